/**
 * `m2msec serve cse`: the reference Registrar CSE alone (ARCHITECTURE.md §1 role `cse`; TS-0004
 * over TS-0009 HTTP, JSON). Prints one JSON ready line on stdout once listening
 * (`{"role":"cse","port":N,"cseId":…,"cseBaseName":…}`), operator events as JSON lines on
 * stderr (codes, identifiers and rsc only, never content), and exits 0 on SIGTERM or SIGINT.
 *
 * The CSE trusts the originator (`fr`) of every request — the gateway in front authenticates the
 * peer — so it listens on loopback or a private address only; `--allow-any-interface` is for a
 * private network the address alone does not reveal (a container bridge). Its resources live in
 * memory and are gone when it stops.
 */
import type { Command } from 'commander'
import { createCseService } from '../../services/cse/index.js'
import { addLogLevelOption, serveEventSink } from '../observability/serve-log.js'
import { parseListen, UsageError } from '../options.js'
import { readyLine, serveUntilStopped } from '../serve-lifecycle.js'

interface ServeCseOptions {
  readonly cseId: string
  readonly cseBaseName: string
  readonly spId: string
  readonly cseType: string
  readonly listen: string
  readonly admin?: string
  readonly allowAnyInterface?: boolean
  readonly logLevel: string
}

function cseTypeOf(text: string): 1 | 2 | 3 {
  const map: Readonly<Record<string, 1 | 2 | 3>> = { in: 1, mn: 2, asn: 3, '1': 1, '2': 2, '3': 3 }
  const type = Object.hasOwn(map, text.toLowerCase()) ? map[text.toLowerCase()] : undefined
  if (type === undefined) throw new UsageError(`--cse-type must be in, mn or asn, got '${text}'`)
  return type
}

async function serveCse(options: ServeCseOptions): Promise<void> {
  const listen = parseListen(options.listen)
  const service = await createCseService({
    cseId: options.cseId, cseBaseName: options.cseBaseName, spId: options.spId, cseType: cseTypeOf(options.cseType), listen,
    ...(options.admin === undefined ? {} : { adminOriginator: options.admin }),
    ...(options.allowAnyInterface === true ? { allowAnyInterface: true } : {}),
    onEvent: serveEventSink('cse', options),
  })
  await serveUntilStopped(service, [readyLine('cse', service, { cseId: service.config.cseId, cseBaseName: service.config.cseBaseName, spId: service.config.spId })])
}

/** Adds `cse` under `m2msec serve`. */
export function registerServeCseCommand(serve: Command): void {
  addLogLevelOption(serve
    .command('cse'))
    .description('reference Registrar CSE (JSON over plain HTTP, in memory) for the gateway to front: it trusts the originator, so listen on loopback or a private address only')
    .option('--cse-id <id>', 'SP-relative CSE-ID', '/in-cse')
    .option('--cse-base-name <name>', 'resource name of the CSEBase', 'cse-in')
    .option('--sp-id <id>', 'M2M-SP-ID (//fqdn or fqdn)', '//m2m.example.com')
    .option('--cse-type <type>', 'in | mn | asn', 'in')
    .option('--listen <host:port>', 'address to listen on (loopback or private; port 0: any free port)', '127.0.0.1:0')
    .option('--admin <originator>', 'originator allowed every operation on every resource (none by default)')
    .option('--allow-any-interface', 'listen on an address that is not loopback/private by itself (only on a network you know is private)')
    .action((options: ServeCseOptions) => serveCse(options))
}
