/**
 * The effective `m2msec up` configuration (issue 8): defaults < YAML file < environment < flags,
 * each key taken from the highest layer that sets it, with the source of every value kept for
 * `m2msec config check`. The file is `--config <file>`, else M2MSEC_CONFIG, else `./m2msec.yaml`
 * when it exists, else none (defaults only). Checks that span keys run on the merged result:
 * every role's `after` roles are selected too, and no two roles ask for the same fixed port.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { TargetKeyMode } from '../../core/index.js'
import type { RoleName } from '../up/role-registry.js'
import { ConfigError, describeSource, type ConfigProblem, type ConfigSource } from './config-error.js'
import { envLayer, fileLayer, flagLayer, valueAt, type LayerResult, type UpFlags } from './config-layers.js'
import { configKeys, keyName, type ConfigKey, type LogLevel, type RoleCatalogue } from './config-keys.js'
import { layerValidator } from './config-schema.js'

export const DEFAULT_CONFIG_FILE = 'm2msec.yaml'
export const CONFIG_FILE_ENV = 'M2MSEC_CONFIG'

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

function checkRoles(catalogue: RoleCatalogue, selected: ReadonlySet<string>, source: ConfigSource): ConfigProblem[] {
  return catalogue.filter((r) => selected.has(r.name)).flatMap((r) => {
    const missing = r.after.filter((name) => !selected.has(name))
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
  const selected = new Set(values.get('roles') as readonly string[])
  const ports = new Map<RoleName, number>()
  for (const role of options.roles) {
    const port = values.get(`ports.${role.name}`)
    if (typeof port === 'number' && selected.has(role.name)) ports.set(role.name, port)
  }
  const crossProblems = [...checkRoles(options.roles, selected, sources.get('roles')!), ...checkPorts(ports, sources)]
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
  }
  return { config, values, sources, warnings, keys, ...(file === undefined ? {} : { file }) }
}
