/**
 * `m2msec serve gateway`: Entity B in front of a Registrar CSE (ARCHITECTURE.md §1; TS-0003 8.2)
 * on a data directory. The PSK SAEF is always on (local Kpsa from `m2msec psk add`; KeIDs fetched
 * from the MEF with `--mef-url`); `--client-ca` turns on the certificate SAEF, `--maf` the
 * MAF-based one. Prints one JSON ready line on stdout once listening
 * (`{"role":"gateway","port":N,…}`), operator events as JSON lines on stderr (codes, reasons and
 * identifiers only, never key bytes), and exits 0 on SIGTERM or SIGINT.
 */
import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { createGatewayService, type GatewayConfig, type KeyServerLink } from '../../services/gateway/index.js'
import { addLogLevelOption, serveEventSink } from '../observability/serve-log.js'
import { collect, parseListen, UsageError } from '../options.js'
import { readyLine, serveOnStore } from '../serve-lifecycle.js'

interface ServeGatewayOptions {
  readonly dataDir: string
  readonly fqdn: string
  readonly cseId: string
  readonly upstream: string
  readonly upstreamTimeoutMs: string
  readonly listen: string
  readonly cert?: string
  readonly key?: string
  readonly clientCa: string[]
  readonly cse: string[]
  readonly mefUrl?: string
  readonly mefFqdn?: string
  readonly mefCa: string[]
  readonly maf: string[]
  readonly mafCa: string[]
  readonly sa2: boolean
  readonly sa2Listen: string
  readonly sa2Url?: string
  readonly sessionRecheckMs: string
  readonly fetchedKeyMaxAgeMs: string
  readonly logLevel: string
}

/** `fqdn=https://host:port`. */
function parseMaf(text: string, anchors: readonly string[]): KeyServerLink {
  const eq = text.indexOf('=')
  if (eq <= 0 || !/^https:\/\//.test(text.slice(eq + 1))) throw new UsageError(`--maf must be fqdn=https://host:port, got '${text}'`)
  return { fqdn: text.slice(0, eq).toLowerCase(), url: text.slice(eq + 1), caPem: anchors }
}

function positiveMs(text: string, option: string): number {
  const ms = Number(text)
  if (!(Number.isFinite(ms) && ms > 0)) throw new UsageError(`${option} must be a positive number, got '${text}'`)
  return ms
}

function buildConfig(o: ServeGatewayOptions, read: (path: string) => string): GatewayConfig {
  const timeoutMs = Number(o.upstreamTimeoutMs)
  if (!(timeoutMs > 0)) throw new UsageError(`--upstream-timeout-ms must be a positive number, got '${o.upstreamTimeoutMs}'`)
  if (o.mefUrl !== undefined && o.mefCa.length === 0) throw new UsageError('--mef-url needs --mef-ca (the MEF certificate trust anchor)')
  if (o.maf.length > 0 && o.mafCa.length === 0) throw new UsageError('--maf needs --maf-ca (the MAF certificate trust anchor)')
  const mafCa = o.mafCa.map(read)
  const mafs = o.maf.map((m) => parseMaf(m, mafCa))
  const mef = o.mefUrl === undefined ? undefined : { url: o.mefUrl, fqdn: (o.mefFqdn ?? new URL(o.mefUrl).hostname).toLowerCase(), caPem: o.mefCa.map(read) }
  return {
    fqdn: o.fqdn, cseId: o.cseId, upstream: { url: o.upstream, timeoutMs },
    saefs: {
      psk: mef === undefined ? {} : { mefFqdn: mef.fqdn },
      ...(o.clientCa.length === 0 ? {} : { certificate: { cseIds: o.cse } }),
      ...(mafs.length === 0 ? {} : { maf: { mafFqdns: mafs.map((m) => m.fqdn) } }),
    },
    ...(mef === undefined ? {} : { mef }),
    ...(mafs.length === 0 ? {} : { mafs }),
    sa2: o.sa2 ? { listen: parseListen(o.sa2Listen), ...(o.sa2Url === undefined ? {} : { publicUrl: o.sa2Url }) } : false,
    sessionRecheckMs: positiveMs(o.sessionRecheckMs, '--session-recheck-ms'),
    fetchedKeyMaxAgeMs: positiveMs(o.fetchedKeyMaxAgeMs, '--fetched-key-max-age-ms'),
  }
}

async function serveGateway(o: ServeGatewayOptions): Promise<void> {
  const listen = parseListen(o.listen)
  const read = (path: string): string => readFileSync(path, 'utf8')
  if ((o.cert === undefined) !== (o.key === undefined)) throw new UsageError('--cert and --key go together')
  const config = buildConfig(o, read)
  const onEvent = serveEventSink('gateway', o)
  const credential = o.cert !== undefined && o.key !== undefined ? { certPem: read(o.cert), keyPem: read(o.key) } : undefined
  await serveOnStore(o.dataDir, (store) => createGatewayService({
    store, config, listen, clientTrustAnchors: o.clientCa.map(read), ...(credential ? { credential } : {}),
    onEvent,
  }), (service) => [readyLine('gateway', service, {
    fqdn: o.fqdn.toLowerCase(), cseId: o.cseId, saefs: Object.keys(config.saefs), ...(service.sa2Url === undefined ? {} : { sa2Url: service.sa2Url }),
  })])
}

/** Adds `gateway` under `m2msec serve`. */
export function registerServeGatewayCommand(serve: Command): void {
  addLogLevelOption(serve
    .command('gateway'))
    .description('Entity B for a Registrar CSE: PSK, certificate and MAF-based SAEFs, identity binding, forwarding to the CSE')
    .requiredOption('--data-dir <dir>', 'data directory (SQLite store and its KEK; created when missing)')
    .requiredOption('--fqdn <fqdn>', 'the gateway FQDN devices send as SNI')
    .requiredOption('--cse-id <id>', 'Absolute CSE-ID of the Registrar CSE behind the gateway (//sp-fqdn/cse-id)')
    .requiredOption('--upstream <url>', 'http URL of the upstream CSE')
    .option('--upstream-timeout-ms <ms>', 'bound on one forwarded request', '10000')
    .option('--listen <host:port>', 'address to listen on (port 0: any free port)', '127.0.0.1:0')
    .option('--cert <file>', 'PEM certificate of the gateway (server certificate; client certificate towards MEF and MAF)')
    .option('--key <file>', 'PEM private key of that certificate')
    .option('--client-ca <file>', 'PEM trust anchor of device certificates: enables the certificate SAEF (repeatable)', collect, [])
    .option('--cse <id>', 'Absolute CSE-ID allowed to connect with a CSE-ID certificate (repeatable)', collect, [])
    .option('--mef-url <url>', 'https URL of the MEF to fetch Kpsa from for a KeID (fetchCredentials, SUID 22)')
    .option('--mef-fqdn <fqdn>', 'MEF-FQDN (default: the URL host)')
    .option('--mef-ca <file>', 'PEM trust anchor of the MEF certificate (repeatable)', collect, [])
    .option('--maf <fqdn=url>', 'MAF to retrieve Kc from: enables the MAF-based SAEF (repeatable)', collect, [])
    .option('--maf-ca <file>', 'PEM trust anchor of MAF certificates (repeatable)', collect, [])
    .option('--sa2-listen <host:port>', 'plain HTTP listener of the SA2 relay, for the upstream CSE only', '127.0.0.1:0')
    .option('--sa2-url <url>', 'http://host:port the upstream CSE dials for SA2 (default: the --sa2-listen address)')
    .option('--no-sa2', 'do not rewrite pointOfAccess nor relay requests to request-reachable entities (no SA2)')
    .option('--session-recheck-ms <ms>', 'how often live sessions are rechecked against the store (revoked, removed, replaced credential; removed binding)', '30000')
    .option('--fetched-key-max-age-ms <ms>', 'longest use of a Kpsa fetched from the MEF or a Kc from a MAF before it is fetched again', '3600000')
    .action((options: ServeGatewayOptions) => serveGateway(options))
}
