/**
 * `m2msec up`: every role that exists in one process on an embedded store, with a development
 * CA — what `npm start` runs (issue 8; ARCHITECTURE.md §1). The work is in src/cli/up; this file
 * parses options and ties the run to SIGINT/SIGTERM: the first signal stops cleanly (exit 0), a
 * second one while stopping exits at once with status 130.
 */
import type { Command } from 'commander'
import { TARGET_KEY_MODES, type TargetKeyMode } from '../../core/index.js'
import { collect, UsageError } from '../options.js'
import { ROLE_NAMES, type RoleName } from '../up/role-registry.js'
import { runUp } from '../up/run-up.js'

export const DEFAULT_UP_DATA_DIR = '.m2msec'

interface UpCliOptions {
  readonly dataDir: string
  readonly host: string
  readonly port: readonly string[]
  readonly mode: string
}

/** `role=port` options → map. @throws UsageError for an unknown role, a role named twice or a port out of range. */
export function parseRolePorts(values: readonly string[]): Map<RoleName, number> {
  const ports = new Map<RoleName, number>()
  for (const value of values) {
    const m = /^([a-z]+)=(\d{1,5})$/.exec(value)
    const role = m?.[1] as RoleName | undefined
    const port = Number(m?.[2])
    if (role === undefined || !ROLE_NAMES.includes(role)) throw new UsageError(`--port takes role=port with role one of ${ROLE_NAMES.join(', ')}, got '${value}'`)
    if (port > 65535 || ports.has(role)) throw new UsageError(`--port ${value}: port out of range or role given twice`)
    ports.set(role, port)
  }
  return ports
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
  if (!(TARGET_KEY_MODES as readonly string[]).includes(options.mode)) throw new UsageError(`--mode must be one of ${TARGET_KEY_MODES.join(', ')}`)
  await runUp({
    dataDir: options.dataDir,
    host: options.host,
    ports: parseRolePorts(options.port),
    targetKeyMode: options.mode as TargetKeyMode,
    stopped: stopSignal(),
    print: (line) => console.log(line),
    printEvent: (event) => console.error(JSON.stringify(event)),
  })
}

export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description('run every role (mef, maf, cse, gateway; admin once built) in one process on an embedded store, with a development CA')
    .option('--data-dir <dir>', 'data directory: development CA, certificates, KEK, database (created on first start)', DEFAULT_UP_DATA_DIR)
    .option('--host <address>', 'address every role listens on', '127.0.0.1')
    .option('--port <role=port>', 'fixed port for a role (repeatable; default: the port of the last run when free, else any)', collect, [])
    .option('--mode <mode>', `key the MEF gives Enrolment Targets (OQ-6): ${TARGET_KEY_MODES.join(' | ')}`, 'usage-constrained')
    .addHelpText('after', `
Role FQDNs are <role>.m2msec.localhost (RFC 6761: loopback only). They need not resolve: dial the
printed URL and name the FQDN (--mef-fqdn, --maf-fqdn). <data-dir>/endpoints.json lists role → URL,
FQDN and CA certificate while up runs. Stop with Ctrl-C or SIGTERM (exit 0).`)
    .action((options: UpCliOptions) => up(options))
}
