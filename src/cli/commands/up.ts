/**
 * `m2msec up`: every role that exists in one process on an embedded store, with a development
 * CA — what `npm start` runs (issue 8; ARCHITECTURE.md §1). The work is in src/cli/up; this file
 * parses options and ties the run to SIGINT/SIGTERM: the first signal stops cleanly (exit 0), a
 * second one while stopping exits at once with status 130.
 */
import { writeFileSync } from 'node:fs'
import { Option, type Command } from 'commander'
import type { UpFlags } from '../config/config-layers.js'
import { DEFAULT_DATA_DIR } from '../config/config-keys.js'
import { loadUpConfig } from '../config/load-config.js'
import { addUpConfigOptions } from '../config/up-flags.js'
import { UP_ROLES } from '../up/role-registry.js'
import { runUp } from '../up/run-up.js'
import { createEventSink } from '../observability/event-sink.js'
import { createLogger } from '../observability/logger.js'
import { createProcessMetrics } from '../observability/metrics.js'
import { printThenDemo } from '../demo/up-demo.js'

export const DEFAULT_UP_DATA_DIR = DEFAULT_DATA_DIR

interface UpCliOptions extends UpFlags {
  readonly demo?: boolean
  /** Hidden: where to write the Prometheus text once stopped (tests; the admin role serves /metrics live). */
  readonly metricsFile?: string
}

function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', stop)
      process.off('SIGINT', stop)
      // A second signal while stopping: the operator does not want to wait for the bound.
      const hurry = (): never => process.exit(130)
      process.once('SIGTERM', hurry)
      process.once('SIGINT', hurry)
      resolve(signal)
    }
    process.on('SIGTERM', stop)
    process.on('SIGINT', stop)
  })
}

async function up(options: UpCliOptions): Promise<void> {
  // defaults < YAML file < environment < flags; a bad value exits 2 naming its key (src/cli/config).
  const loaded = loadUpConfig({ flags: options, env: process.env, cwd: process.cwd(), roles: UP_ROLES })
  for (const warning of loaded.warnings) console.error(`m2msec: warning: ${warning}`)
  const { config } = loaded
  // One logger and one metrics registry for every role of the process (issue 8; D-162).
  const logger = createLogger({ level: config.log.level })
  const metrics = createProcessMetrics()
  await runUp({
    dataDir: config.dataDir,
    host: config.host,
    ports: config.ports,
    targetKeyMode: config.targetKeyMode,
    roles: UP_ROLES.filter((role) => config.roles.includes(role.name)),
    // gateway.upstream: the gateway fronts an outside CSE, whose CSE-ID its certificate and MEF target carry (D-178).
    config: { gateway: config.gateway },
    stopped: stopSignal(),
    // --demo: the demo walk runs in this process once every role listens; up keeps running whatever its result (D-182).
    print: options.demo === true
      ? printThenDemo({ dataDir: config.dataDir, mode: config.targetKeyMode, print: (line) => console.log(line), progress: process.stdout, warn: (line) => console.error(line) })
      : (line) => console.log(line),
    // Service events: one JSON log line each on stderr, counted in the metrics; the summary above stays on stdout.
    printEvent: createEventSink(logger, metrics),
    metrics,
  })
  if (options.metricsFile !== undefined) writeFileSync(options.metricsFile, (await metrics.render()).body)
}

export function registerUpCommand(program: Command): void {
  addUpConfigOptions(program
    .command('up')
    .description('run every role (mef, maf, cse, gateway, admin) in one process on an embedded store, with a development CA'))
    .option('--demo', 'once every role listens, run `m2msec demo` against this up (it keeps running whatever the result)')
    .addOption(new Option('--metrics-file <file>', 'write the Prometheus metrics to <file> when up stops').hideHelp())
    .addHelpText('after', `
Role FQDNs are <role>.m2msec.localhost (RFC 6761: loopback only). They need not resolve: dial the
printed URL and name the FQDN (--mef-fqdn, --maf-fqdn). <data-dir>/endpoints.json lists role → URL,
FQDN and CA certificate while up runs. Stop with Ctrl-C or SIGTERM (exit 0).`)
    .action((options: UpCliOptions) => up(options))
}
