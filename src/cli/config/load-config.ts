/**
 * The effective `m2msec up` configuration (issue 8): defaults < YAML file < environment < flags,
 * each key taken from the highest layer that sets it, with the source of every value kept for
 * `m2msec config check`. The file is `--config <file>`, else M2MSEC_CONFIG, else `./m2msec.yaml`
 * when it exists, else none (defaults only). Checks that span keys run on the merged result:
 * `gateway.upstream` is named whole or not at all; a role the configuration replaces (the `cse`
 * role once the gateway fronts an outside CSE) is left out of the default roles and refused when
 * listed; every role's `after` roles are selected too (or replaced); and no two roles ask for the
 * same fixed port.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { TargetKeyMode } from '../../core/index.js'
import type { RoleConfig, RoleName, RoleReplacement } from '../up/role-registry.js'
import { ConfigError, describeSource, type ConfigProblem, type ConfigSource } from './config-error.js'
import { envLayer, fileLayer, flagLayer, valueAt, type LayerResult, type UpFlags } from './config-layers.js'
import { configKeys, keyName, type ConfigKey, type LogLevel, type RoleCatalogue } from './config-keys.js'
import { layerValidator } from './config-schema.js'

export const DEFAULT_CONFIG_FILE = 'm2msec.yaml'
export const CONFIG_FILE_ENV = 'M2MSEC_CONFIG'

/** An outside oneM2M CSE the gateway fronts instead of the reference `cse` role (`gateway.upstream`). */
export interface OutsideCse {
  /** Base URL the gateway forwards to (TS-0009 HTTP binding). */
  readonly url: string
  /** Absolute CSE-ID `//sp-domain/cse-id`: the gateway's IdB, its certificate URI, its `fr` towards MEF and MAF. */
  readonly cseId: string
  /** Resource name of its CSEBase. */
  readonly cseBaseName: string
}

export interface GatewaySettings {
  /** Absent: the gateway fronts the reference `cse` role. */
  readonly upstream?: OutsideCse
  /** Bound on one exchange with whichever CSE the gateway forwards to. */
  readonly upstreamTimeoutMs: number
}

export interface UpConfig {
  /** As given (relative to the current directory); `up` prints it back in commands. */
  readonly dataDir: string
  readonly host: string
  /** Selected roles, in the registry's start order whatever order the user wrote. */
  readonly roles: readonly RoleName[]
  /** Fixed ports; a role without one reuses its last port when free, else any. */
  readonly ports: ReadonlyMap<RoleName, number>
  readonly targetKeyMode: TargetKeyMode
  readonly log: { readonly level: LogLevel }
  readonly gateway: GatewaySettings
}

export interface ConfigFileChoice {
  readonly path: string
  /** How messages name it: as the user wrote it. */
  readonly display: string
  readonly via: 'flag' | 'env' | 'current directory'
}

export interface LoadedConfig {
  readonly config: UpConfig
  /** Dotted key → merged value, including keys the config then leaves out (a port of an unselected role). */
  readonly values: ReadonlyMap<string, unknown>
  /** Dotted key → where its value came from; every key with a value has an entry. */
  readonly sources: ReadonlyMap<string, ConfigSource>
  readonly file?: ConfigFileChoice
  /** Not errors, but an operator should hear of them (an ignored port, a near-miss variable name). */
  readonly warnings: readonly string[]
  readonly keys: readonly ConfigKey[]
}

export interface LoadOptions {
  readonly flags: UpFlags
  readonly env: NodeJS.ProcessEnv
  readonly cwd: string
  readonly roles: RoleCatalogue
}

/** Which file, if any; a file named by flag or environment must exist (checked when read). */
export function chooseConfigFile(flags: UpFlags, env: NodeJS.ProcessEnv, cwd: string): ConfigFileChoice | undefined {
  if (flags.config !== undefined) return { path: resolve(cwd, flags.config), display: flags.config, via: 'flag' }
  const fromEnv = env[CONFIG_FILE_ENV]
  if (fromEnv !== undefined && fromEnv !== '') return { path: resolve(cwd, fromEnv), display: fromEnv, via: 'env' }
  const local = resolve(cwd, DEFAULT_CONFIG_FILE)
  return existsSync(local) ? { path: local, display: DEFAULT_CONFIG_FILE, via: 'current directory' } : undefined
}

function merge(keys: readonly ConfigKey[], layers: readonly LayerResult[]): { values: Map<string, unknown>; sources: Map<string, ConfigSource> } {
  const values = new Map<string, unknown>()
  const sources = new Map<string, ConfigSource>()
  for (const k of keys) {
    const name = keyName(k.path)
    // Highest layer first: flags, environment, file.
    const from = [...layers].reverse().find((l) => valueAt(l.layer, k.path) !== undefined)
    if (from !== undefined) {
      values.set(name, valueAt(from.layer, k.path))
      sources.set(name, from.sources.get(name)!)
    } else if (k.defaultValue !== undefined) {
      values.set(name, k.defaultValue)
      sources.set(name, { kind: 'default' })
    }
  }
  return { values, sources }
}

const UPSTREAM_PARTS = ['url', 'cseId', 'cseBaseName'] as const

/** `gateway.upstream` from the merged values: all three parts or none; a partial one is refused naming what is missing. */
function gatewaySettings(values: ReadonlyMap<string, unknown>, sources: ReadonlyMap<string, ConfigSource>): { gateway: GatewaySettings; problems: ConfigProblem[] } {
  const upstreamTimeoutMs = values.get('gateway.upstream.timeoutMs') as number
  const given = UPSTREAM_PARTS.filter((part) => values.has(`gateway.upstream.${part}`))
  if (given.length === 0) return { gateway: { upstreamTimeoutMs }, problems: [] }
  if (given.length < UPSTREAM_PARTS.length) {
    const source = sources.get(`gateway.upstream.${given[0]!}`)!
    const problems = UPSTREAM_PARTS.filter((part) => !given.includes(part)).map((part): ConfigProblem => ({
      source, key: `gateway.upstream.${part}`, why: `must be set too: an outside CSE needs ${UPSTREAM_PARTS.map((p) => `gateway.upstream.${p}`).join(', ')} together`,
    }))
    return { gateway: { upstreamTimeoutMs }, problems }
  }
  const [url, cseId, cseBaseName] = UPSTREAM_PARTS.map((part) => values.get(`gateway.upstream.${part}`) as string) as [string, string, string]
  return { gateway: { upstream: { url, cseId, cseBaseName }, upstreamTimeoutMs }, problems: [] }
}

/** Roles the configuration replaces by something outside the process, with the key that does. */
function replacedRoles(catalogue: RoleCatalogue, config: RoleConfig): Map<RoleName, RoleReplacement> {
  return new Map(catalogue.flatMap((r) => {
    const replacement = r.replacedBy?.(config)
    return replacement === undefined ? [] : [[r.name, replacement] as const]
  }))
}

/** Listing a replaced role is a contradiction the operator must resolve: refused, never silently dropped (D-178). */
function checkReplaced(selected: ReadonlySet<string>, replaced: ReadonlyMap<RoleName, RoleReplacement>, source: ConfigSource): ConfigProblem[] {
  return [...replaced].filter(([name]) => selected.has(name))
    .map(([name, r]) => ({ source, key: 'roles', why: `${name} cannot run with ${r.key} set (${r.why}): leave ${name} out` }))
}

function checkRoles(catalogue: RoleCatalogue, selected: ReadonlySet<string>, replaced: ReadonlyMap<RoleName, RoleReplacement>, source: ConfigSource): ConfigProblem[] {
  return catalogue.filter((r) => selected.has(r.name)).flatMap((r) => {
    // A replaced role's part is played from outside: the roles after it do not wait for it.
    const missing = r.after.filter((name) => !selected.has(name) && !replaced.has(name))
    return missing.length === 0 ? [] : [{ source, key: 'roles', why: `${r.name} needs ${r.after.join(', ')} running before it: add ${missing.join(', ')}` }]
  })
}

function checkPorts(ports: ReadonlyMap<RoleName, number>, sources: ReadonlyMap<string, ConfigSource>): ConfigProblem[] {
  const owner = new Map<number, RoleName>()
  const problems: ConfigProblem[] = []
  for (const [role, port] of ports) {
    const first = owner.get(port)
    // Port 0 is "any": many roles may ask for it.
    if (port !== 0 && first !== undefined) problems.push({ source: sources.get(`ports.${role}`)!, key: `ports.${role}`, why: `port ${port} is already the port of ${first}` })
    owner.set(port, first ?? role)
  }
  return problems
}

/**
 * Reads, checks and merges the configuration of `m2msec up`.
 * @throws ConfigError (a UsageError: exit 2) listing every problem of every layer.
 */
export function loadUpConfig(options: LoadOptions): LoadedConfig {
  const keys = configKeys(options.roles)
  const validate = layerValidator(keys)
  const file = chooseConfigFile(options.flags, options.env, options.cwd)
  const layers = [
    ...(file === undefined ? [] : [fileLayer(file.path, file.display, keys, validate)]),
    envLayer(options.env, keys, validate),
    flagLayer(options.flags, keys, validate),
  ]
  const problems = layers.flatMap((l) => l.problems)
  if (problems.length > 0) throw new ConfigError(problems)
  const { values, sources } = merge(keys, layers)
  const { gateway, problems: upstreamProblems } = gatewaySettings(values, sources)
  const replaced = replacedRoles(options.roles, { gateway })
  const rolesSource = sources.get('roles')!
  // The default is every role the configuration does not replace; `config check` shows that list.
  if (rolesSource.kind === 'default') values.set('roles', options.roles.map((r) => r.name).filter((name) => !replaced.has(name)))
  const selected = new Set(values.get('roles') as readonly string[])
  const ports = new Map<RoleName, number>()
  for (const role of options.roles) {
    const port = values.get(`ports.${role.name}`)
    if (typeof port === 'number' && selected.has(role.name)) ports.set(role.name, port)
  }
  const crossProblems = [...upstreamProblems, ...checkReplaced(selected, replaced, rolesSource), ...checkRoles(options.roles, selected, replaced, rolesSource), ...checkPorts(ports, sources)]
  if (crossProblems.length > 0) throw new ConfigError(crossProblems)
  const warnings = [
    ...layers.flatMap((l) => l.warnings),
    ...options.roles.filter((r) => !selected.has(r.name) && values.has(`ports.${r.name}`))
      .map((r) => `ports.${r.name} (${describeSource(sources.get(`ports.${r.name}`)!)}) is ignored: ${r.name} is not among roles`),
  ]
  const config: UpConfig = {
    dataDir: values.get('dataDir') as string,
    host: values.get('host') as string,
    roles: options.roles.filter((r) => selected.has(r.name)).map((r) => r.name),
    ports,
    targetKeyMode: values.get('targetKeyMode') as TargetKeyMode,
    log: { level: values.get('log.level') as LogLevel },
    gateway,
  }
  return { config, values, sources, warnings, keys, ...(file === undefined ? {} : { file }) }
}
