/**
 * `m2msec demo`: walks a fresh demo device through the whole system of a running `m2msec up`
 * (issue 8) — PPSK enrolment (TS-0003 8.3.2.1), MAF client and key registration (8.8.2.3,
 * 8.8.2.7), SA1 with the MAF-based SAEF (8.2.2.3), AE registration, data, and a notification
 * over SA2 (8.2.1) — printing each step with its duration and a summary table. The work is in
 * src/cli/demo. Exit status: 0 every step passed, 1 a step failed (the rest are shown skipped) or
 * no `up` runs on the data directory. Key bytes are never printed.
 */
import type { Command } from 'commander'
import { TARGET_KEY_MODES, type TargetKeyMode } from '../../core/index.js'
import { runDemo, type DemoOutcome } from '../demo/run-demo.js'
import { loadUpConfig } from '../config/load-config.js'
import { UsageError } from '../options.js'
import { UP_ROLES } from '../up/role-registry.js'

interface DemoCliOptions {
  readonly dataDir?: string
  readonly config?: string
  readonly mode?: string
  readonly device?: string
  readonly stepTimeoutMs: string
  readonly json: boolean
}

export function outcomeJson(outcome: DemoOutcome): string {
  return JSON.stringify({
    ok: outcome.ok, device: outcome.device,
    steps: outcome.results.map((r) => ({ name: r.name, status: r.status, durationMs: Math.round(r.durationMs), ...(r.detail === undefined ? {} : { detail: r.detail }), ...(r.code === undefined ? {} : { code: r.code }) })),
  })
}

async function demo(o: DemoCliOptions): Promise<void> {
  if (o.mode !== undefined && !(TARGET_KEY_MODES as readonly string[]).includes(o.mode)) throw new UsageError(`--mode must be one of ${TARGET_KEY_MODES.join(', ')}`)
  const stepTimeoutMs = Number(o.stepTimeoutMs)
  if (!(Number.isSafeInteger(stepTimeoutMs) && stepTimeoutMs > 0)) throw new UsageError(`--step-timeout-ms must be a positive integer, got '${o.stepTimeoutMs}'`)
  if (o.device !== undefined && !/^[a-z0-9][a-z0-9-]{0,30}$/.test(o.device)) throw new UsageError('--device must be 1-31 lower-case letters, digits or "-", starting with a letter or digit')
  // Same data directory as `up` would use here: --data-dir, else the configuration (m2msec.yaml, M2MSEC_DATA_DIR), else .m2msec.
  const dataDir = o.dataDir ?? loadUpConfig({ flags: o.config === undefined ? {} : { config: o.config }, env: process.env, cwd: process.cwd(), roles: UP_ROLES }).config.dataDir
  const outcome = await runDemo({
    dataDir, stepTimeoutMs, ...(o.mode === undefined ? {} : { mode: o.mode as TargetKeyMode }), ...(o.device === undefined ? {} : { deviceName: o.device }),
    ...(o.json ? {} : { progress: process.stdout }),
  })
  if (o.json) console.log(outcomeJson(outcome))
  else console.log(`\n${outcome.summary}\n${outcome.ok ? 'demo passed' : 'demo FAILED'}`)
  if (!outcome.ok) process.exitCode = 1
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('walk a demo device through a running `m2msec up`: enrolment, MAF keys, gateway SAEF, AE, data, notification over SA2')
    .option('--data-dir <dir>', 'data directory of the running `m2msec up` (its endpoints.json); default: as `up` takes it from the configuration, else .m2msec')
    .option('--config <file>', 'the configuration file `up` was started with (default: M2MSEC_CONFIG, else ./m2msec.yaml if present)')
    .option('--mode <mode>', `target key mode of the MEF, as given to up --mode: ${TARGET_KEY_MODES.join(' | ')} (default: usage-constrained)`)
    .option('--device <name>', 'name of the demo device (default: a fresh demo-xxxxxx)')
    .option('--step-timeout-ms <ms>', 'bound on each step', '30000')
    .option('--json', 'print one JSON object { ok, device, steps } instead of progress and a table', false)
    .addHelpText('after', `
The demo device's Kpm and sealed credential file go to <data-dir>/devices/<name>/ (0600); no key
is ever printed. Exit status: 0 every step passed, 1 a step failed or no up is running.`)
    .action((options: DemoCliOptions) => demo(options))
}
