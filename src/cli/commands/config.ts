/**
 * `m2msec config init|check|show` (issue 8): write the documented YAML configuration of
 * `m2msec up`, validate it (with the environment and flags `up` would see) and show the effective
 * values with where each came from. The work is in src/cli/config.
 */
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { stringify } from 'yaml'
import { describeSource } from '../config/config-error.js'
import type { UpFlags } from '../config/config-layers.js'
import { keyName } from '../config/config-keys.js'
import { configTemplate } from '../config/config-template.js'
import { DEFAULT_CONFIG_FILE, loadUpConfig, type LoadedConfig } from '../config/load-config.js'
import { addUpConfigOptions } from '../config/up-flags.js'
import { UsageError } from '../options.js'
import { UP_ROLES } from '../up/role-registry.js'

interface InitOptions {
  readonly file: string
  readonly force?: true
}

function load(flags: UpFlags): LoadedConfig {
  return loadUpConfig({ flags, env: process.env, cwd: process.cwd(), roles: UP_ROLES })
}

function printWarnings(loaded: LoadedConfig): void {
  for (const warning of loaded.warnings) console.error(`m2msec: warning: ${warning}`)
}

function init(options: InitOptions): void {
  try {
    // 'wx': refuse to replace a file, atomically (no check-then-write race).
    writeFileSync(resolve(options.file), configTemplate(UP_ROLES), { flag: options.force === true ? 'w' : 'wx', mode: 0o644 })
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'EEXIST') {
      throw new UsageError(`${options.file} exists; use --force to replace it`)
    }
    throw error
  }
  console.log(`wrote ${options.file}: every key at its default, with a comment each; check it with \`m2msec config check --config ${options.file}\``)
}

function valueText(value: unknown): string {
  return Array.isArray(value) ? value.join(', ') : String(value)
}

function check(flags: UpFlags): void {
  const loaded = load(flags)
  printWarnings(loaded)
  const { config, values, sources, file } = loaded
  const rows = loaded.keys.map((k) => {
    const name = keyName(k.path)
    const value = values.get(name)
    const source = sources.get(name)
    const ignored = k.path[0] === 'ports' && !config.roles.some((r) => r === k.path[1]) && value !== undefined ? ' (ignored: not among roles)' : ''
    return [name, value === undefined ? `(${k.defaultText})` : `${valueText(value)}${ignored}`, source === undefined ? 'default' : describeSource(source)] as const
  })
  const width = Math.max(...rows.map((r) => r[0].length))
  const valueWidth = Math.max(...rows.map((r) => r[1].length))
  console.log(file === undefined ? 'configuration file: none (defaults, environment and flags only)' : `configuration file: ${file.display} (from ${file.via})`)
  for (const [name, value, source] of rows) console.log(`  ${name.padEnd(width)}  ${value.padEnd(valueWidth)}  ${source}`)
  console.log('configuration is valid')
}

function show(flags: UpFlags): void {
  const loaded = load(flags)
  printWarnings(loaded)
  const { config } = loaded
  process.stdout.write(stringify({
    dataDir: config.dataDir, host: config.host, roles: [...config.roles], ports: Object.fromEntries(config.ports),
    targetKeyMode: config.targetKeyMode, log: { level: config.log.level },
    gateway: { upstream: { ...(config.gateway.upstream ?? {}), timeoutMs: config.gateway.upstreamTimeoutMs } },
  }))
}

export function registerConfigCommand(program: Command): void {
  const config = program.command('config').description('the YAML configuration of `m2msec up`: write, check, show (docs/configuration.md)')
  config
    .command('init')
    .description('write the configuration file: every key at its default, with a comment saying what it does')
    .option('--file <path>', 'where to write it', DEFAULT_CONFIG_FILE)
    .option('--force', 'replace an existing file')
    .action((options: InitOptions) => init(options))
  addUpConfigOptions(config
    .command('check')
    .description('validate the configuration (file, environment, the flags given here) and show each value with its source'))
    .action((flags: UpFlags) => check(flags))
  addUpConfigOptions(config
    .command('show')
    .description('print the effective configuration as YAML (a file `up --config` accepts)'))
    .action((flags: UpFlags) => show(flags))
}
