/**
 * Every key of the `m2msec up` configuration (issue 8: "one YAML file with documented defaults,
 * environment overrides, validation that names the bad key and why"), in one table: its path, its
 * environment variable, its flag, what it means, its default, how an environment text becomes a
 * value, and the one sentence that says what a valid value is. The JSON Schema (config-schema.ts),
 * the commented template (config-template.ts) and docs/configuration.md are all read from here,
 * so a key cannot exist in one of them and not in the others.
 *
 * No key holds a secret: the KEK stays in `<dataDir>/kek` or M2MSEC_KEK (ARCHITECTURE.md §3).
 */
import { TARGET_KEY_MODES } from '../../core/index.js'
import type { RoleName } from '../up/role-registry.js'

/** Levels of the process logger (pino's names; `silent` logs nothing). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/** What the configuration needs to know of a role: its name and the roles it starts after (role-registry.ts). */
export interface RoleEntry {
  readonly name: RoleName
  readonly after: readonly RoleName[]
}
export type RoleCatalogue = readonly RoleEntry[]

/** A JSON Schema fragment (draft 2020-12 subset that ajv checks). */
export type SchemaNode = Readonly<Record<string, unknown>>

export interface ConfigKey {
  /** Path in the YAML document: `['ports', 'mef']` is `ports.mef`. */
  readonly path: readonly string[]
  /** `M2MSEC_` + the path parts in upper case, camelCase words split by `_`. */
  readonly env: string
  /** The `m2msec up` flag that sets it, as shown in messages. */
  readonly flag: string
  /** One line for the template comment and the documentation. */
  readonly summary: string
  /** The value when no layer sets it; undefined when absence itself means something (ports). */
  readonly defaultValue: unknown
  /** The default in words, for the documentation. */
  readonly defaultText: string
  readonly schema: SchemaNode
  /** Why a value was refused: what a valid value is. */
  readonly why: string
  /** An environment text as the value the schema then checks (never validates by itself). */
  fromEnv(text: string): unknown
}

export const DEFAULT_DATA_DIR = '.m2msec'
export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_TARGET_KEY_MODE = 'usage-constrained'
export const DEFAULT_LOG_LEVEL: LogLevel = 'info'

/** `['log', 'level']` → `log.level`. */
export function keyName(path: readonly string[]): string {
  return path.join('.')
}

/** `['targetKeyMode']` → `M2MSEC_TARGET_KEY_MODE`. */
export function envName(path: readonly string[]): string {
  return `M2MSEC_${path.map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_')}`
}

const asText = (text: string): unknown => text
// A port text that is not all digits stays text, so the schema refuses it with the port's sentence.
const asInteger = (text: string): unknown => (/^\d{1,6}$/.test(text) ? Number(text) : text)
const asList = (text: string): unknown => (text.trim() === '' ? [] : text.split(',').map((item) => item.trim()))

/** An IPv4 or IPv6 address or a DNS host name: what `net.Server.listen` takes as host. */
const HOST_PATTERN = '^(?:[0-9A-Fa-f:.]+|[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*)$'

function key(path: readonly string[], rest: Omit<ConfigKey, 'path' | 'env'>): ConfigKey {
  return { path, env: envName(path), ...rest }
}

/** The keys, in the order the template and the documentation list them. */
export function configKeys(roles: RoleCatalogue): ConfigKey[] {
  const names = roles.map((r) => r.name)
  return [
    key(['dataDir'], {
      flag: '--data-dir', summary: 'Data directory: development CA, role certificates, KEK, database. Created on first start; a relative path is taken from the current directory.',
      defaultValue: DEFAULT_DATA_DIR, defaultText: `\`${DEFAULT_DATA_DIR}\``,
      schema: { type: 'string', minLength: 1, maxLength: 4096 }, why: 'must be a non-empty path', fromEnv: asText,
    }),
    key(['host'], {
      flag: '--host', summary: 'Address every role listens on (the reference CSE stays on loopback whatever this says).',
      defaultValue: DEFAULT_HOST, defaultText: `\`${DEFAULT_HOST}\``,
      schema: { type: 'string', minLength: 1, maxLength: 253, pattern: HOST_PATTERN }, why: 'must be an IP address or a host name', fromEnv: asText,
    }),
    key(['roles'], {
      flag: '--roles', summary: `Roles to run, each with the roles it needs (${roles.filter((r) => r.after.length > 0).map((r) => `${r.name} needs ${r.after.join(', ')}`).join('; ')}). Environment and flag: comma-separated.`,
      defaultValue: names, defaultText: 'every role',
      schema: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: names } },
      why: `must be a list of distinct role names, at least one, from: ${names.join(', ')}`, fromEnv: asList,
    }),
    ...roles.map((role) => key(['ports', role.name], {
      flag: '--port', summary: `Port of the ${role.name} role; 0 takes any free port.`,
      defaultValue: undefined, defaultText: 'the port of the last run when free, else any',
      schema: { type: 'integer', minimum: 0, maximum: 65535 }, why: 'must be an integer from 0 to 65535', fromEnv: asInteger,
    })),
    key(['targetKeyMode'], {
      flag: '--mode', summary: 'Key the MEF gives Enrolment Targets (OQ-6); every role that talks to the MEF uses the same.',
      defaultValue: DEFAULT_TARGET_KEY_MODE, defaultText: `\`${DEFAULT_TARGET_KEY_MODE}\``,
      schema: { enum: [...TARGET_KEY_MODES] }, why: `must be one of ${TARGET_KEY_MODES.join(', ')}`, fromEnv: asText,
    }),
    key(['log', 'level'], {
      flag: '--log-level', summary: 'Least severe level the process log writes.',
      defaultValue: DEFAULT_LOG_LEVEL, defaultText: `\`${DEFAULT_LOG_LEVEL}\``,
      schema: { enum: [...LOG_LEVELS] }, why: `must be one of ${LOG_LEVELS.join(', ')}`, fromEnv: asText,
    }),
  ]
}

/** Sections that hold keys rather than a value, with their own sentence. */
export const SECTIONS: Readonly<Record<string, string>> = {
  ports: 'Fixed port per role: an integer from 0 to 65535, 0 takes any free port. A role not listed reuses the port of its last run when that is free, else takes any. Environment: M2MSEC_PORTS_<ROLE>. Flag: --port <role>=<port> (repeatable).',
  log: 'The process log (structured JSON lines).',
}
