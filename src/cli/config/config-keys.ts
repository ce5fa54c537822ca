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
import { parseCseId, TARGET_KEY_MODES } from '../../core/index.js'
import type { RoleConfig, RoleName, RoleReplacement } from '../up/role-registry.js'

/** Levels of the process logger (pino's names; `silent` logs nothing). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/**
 * What the configuration needs to know of a role (role-registry.ts): its name, the roles it starts
 * after, and whether a configuration replaces it by something outside the process.
 */
export interface RoleEntry {
  readonly name: RoleName
  readonly after: readonly RoleName[]
  readonly replacedBy?: (config: RoleConfig) => RoleReplacement | undefined
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
  /** A check beyond what JSON Schema says (a parser of the core layer), run once the schema passed. */
  accepts?(value: unknown): boolean
  /** For a key without a default: the value its commented example in the template shows. */
  readonly example?: string
}

export const DEFAULT_DATA_DIR = '.m2msec'
export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_TARGET_KEY_MODE = 'usage-constrained'
export const DEFAULT_LOG_LEVEL: LogLevel = 'info'
/** Same default as `m2msec serve gateway --upstream-timeout-ms`. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 10_000
/**
 * URL schemes the gateway forwards over (src/services/gateway/upstream.ts speaks plain HTTP only
 * today; `https` joins this list when it learns TLS towards the CSE).
 */
export const UPSTREAM_SCHEMES = ['http'] as const

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

/**
 * A base URL: scheme, host (name, IPv4 or bracketed IPv6), optional port and path. No user name or
 * password (D-177: no secrets in the configuration), no query, no fragment (the gateway appends
 * the request path to it).
 */
const UPSTREAM_URL_PATTERN = `^(?:${UPSTREAM_SCHEMES.join('|')})://(?:\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}))(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?$`
/** TS-0004 resourceName, read strictly: it is typed into a URL path and into the printed shell line (next-steps.ts). */
const RESOURCE_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]*$'

/** What the pattern cannot say: the port is at most 65535 and WHATWG URL parsing agrees (the gateway parses it so). */
function isUpstreamUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false
  try {
    const url = new URL(value)
    return (UPSTREAM_SCHEMES as readonly string[]).includes(url.protocol.slice(0, -1)) && url.username === '' && url.password === '' && url.search === '' && url.hash === ''
  } catch {
    return false
  }
}

/** `//sp-fqdn/cse-id` and nothing else (src/core/ids/m2m-id.ts decides). */
function isAbsoluteCseId(value: unknown): boolean {
  if (typeof value !== 'string') return false
  try {
    return parseCseId(value).form === 'absolute'
  } catch {
    return false
  }
}

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
      schema: { type: 'integer', minimum: 0, maximum: 65535 }, why: 'must be an integer from 0 to 65535', fromEnv: asInteger, example: '0',
    })),
    key(['targetKeyMode'], {
      flag: '--mode', summary: 'Key the MEF gives Enrolment Targets (OQ-6); every role that talks to the MEF uses the same.',
      defaultValue: DEFAULT_TARGET_KEY_MODE, defaultText: `\`${DEFAULT_TARGET_KEY_MODE}\``,
      schema: { enum: [...TARGET_KEY_MODES] }, why: `must be one of ${TARGET_KEY_MODES.join(', ')}`, fromEnv: asText,
    }),
    // The CSE the gateway forwards to (ARCHITECTURE.md §1: "production users point gateway at their own CSE").
    key(['gateway', 'upstream', 'url'], {
      flag: '--gateway-upstream', summary: 'Base URL of the outside oneM2M CSE (HTTP binding) the gateway forwards to.',
      defaultValue: undefined, defaultText: 'none: the reference `cse` role', example: 'http://cse.example.net:8080',
      schema: { type: 'string', minLength: 1, maxLength: 2048, pattern: UPSTREAM_URL_PATTERN }, accepts: isUpstreamUrl,
      why: `must be an ${UPSTREAM_SCHEMES.map((s) => `${s}://`).join(' or ')} base URL: host, optional port and path; no user name, query or fragment`, fromEnv: asText,
    }),
    key(['gateway', 'upstream', 'cseId'], {
      flag: '--gateway-upstream-cse-id', summary: 'Absolute CSE-ID of the outside CSE: the gateway presents it to MEF and MAF and its certificate names it.',
      defaultValue: undefined, defaultText: 'none: the reference `cse` role', example: '//example.net/cse-1',
      schema: { type: 'string', minLength: 4, maxLength: 255 }, accepts: isAbsoluteCseId,
      why: 'must be an absolute CSE-ID //sp-domain/cse-id (lower-case SP domain; the CSE-ID a letter or digit, then letters, digits, "-", "." or "_")', fromEnv: asText,
    }),
    key(['gateway', 'upstream', 'cseBaseName'], {
      flag: '--gateway-upstream-cse-base-name', summary: 'Resource name of the outside CSE\'s CSEBase (the first path segment of its requests).',
      defaultValue: undefined, defaultText: 'none: the reference `cse` role', example: 'cse-base',
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: RESOURCE_NAME_PATTERN },
      why: 'must be a CSEBase resource name: a letter or digit, then letters, digits, "-", "." or "_"', fromEnv: asText,
    }),
    key(['gateway', 'upstream', 'timeoutMs'], {
      flag: '--gateway-upstream-timeout-ms', summary: 'Bound on one request/response exchange between the gateway and its CSE (outside or reference); past it the device gets 5103.',
      defaultValue: DEFAULT_UPSTREAM_TIMEOUT_MS, defaultText: `\`${DEFAULT_UPSTREAM_TIMEOUT_MS}\``,
      schema: { type: 'integer', minimum: 100, maximum: 600_000 }, why: 'must be an integer number of milliseconds from 100 to 600000', fromEnv: asInteger,
    }),
    key(['log', 'level'], {
      flag: '--log-level', summary: 'Least severe level the process log writes.',
      defaultValue: DEFAULT_LOG_LEVEL, defaultText: `\`${DEFAULT_LOG_LEVEL}\``,
      schema: { enum: [...LOG_LEVELS] }, why: `must be one of ${LOG_LEVELS.join(', ')}`, fromEnv: asText,
    }),
  ]
}

/** Mappings that hold keys rather than a value (dotted path), with their own sentence. */
export const SECTIONS: Readonly<Record<string, string>> = {
  ports: 'Fixed port per role: an integer from 0 to 65535, 0 takes any free port. A role not listed reuses the port of its last run when that is free, else takes any. Environment: M2MSEC_PORTS_<ROLE>. Flag: --port <role>=<port> (repeatable).',
  gateway: 'The gateway role (Entity B in front of a Registrar CSE).',
  'gateway.upstream': 'The CSE the gateway forwards to: the reference `cse` role of this process unless url, cseId and cseBaseName are set, together, to name an outside oneM2M CSE; then the cse role does not run (listing it in roles is refused), the gateway\'s certificate and its MEF Enrolment Target identity carry that CSE-ID, and endpoints.json and the printed steps name that CSE. Flags: --gateway-upstream <url>, --gateway-upstream-cse-id <id>, --gateway-upstream-cse-base-name <name>.',
  log: 'The process log (structured JSON lines).',
}
