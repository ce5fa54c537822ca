/**
 * `m2msec serve maf`: the M2M Authentication Function alone on a data directory (ARCHITECTURE.md
 * §1; TS-0003 8.8). Prints one JSON ready line on stdout once listening
 * (`{"role":"maf","port":N,…}`), operator events as JSON lines on stderr (codes and messages
 * only, never key bytes), and exits 0 on SIGTERM or SIGINT after closing its port and store.
 */
import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { TARGET_KEY_MODES, type TargetKeyMode } from '../../core/index.js'
import { createMafService } from '../../services/maf/index.js'
import { addLogLevelOption, serveEventSink } from '../observability/serve-log.js'
import { collect, parseListen, UsageError } from '../options.js'
import { readyLine, serveOnStore } from '../serve-lifecycle.js'

interface ServeMafOptions {
  readonly dataDir: string
  readonly fqdn: string
  readonly listen: string
  readonly cert: string
  readonly key: string
  readonly mefUrl?: string
  readonly mefFqdn?: string
  readonly mefCa: string[]
  readonly mefMode: string
  readonly clientCa: string[]
  readonly kcLifetimeHours: string
  readonly registrationLifetimeDays: string
  readonly logLevel: string
}

function positive(text: string, what: string): number {
  const n = Number(text)
  if (!(n > 0)) throw new UsageError(`${what} must be a positive number, got '${text}'`)
  return n
}

function mefSettings(options: ServeMafOptions, read: (path: string) => string) {
  if (options.mefUrl === undefined) {
    if (options.mefCa.length > 0) throw new UsageError('--mef-ca needs --mef-url')
    return undefined
  }
  if (options.mefCa.length === 0) throw new UsageError('--mef-url needs --mef-ca (the MEF certificate trust anchor)')
  if (!TARGET_KEY_MODES.includes(options.mefMode as TargetKeyMode)) throw new UsageError(`--mef-mode must be one of ${TARGET_KEY_MODES.join(', ')}`)
  const fqdn = options.mefFqdn ?? new URL(options.mefUrl).hostname
  return { url: options.mefUrl, fqdn, caPem: options.mefCa.map(read), targetKeyMode: options.mefMode as TargetKeyMode }
}

async function serveMaf(options: ServeMafOptions): Promise<void> {
  const listen = parseListen(options.listen)
  const read = (path: string): string => readFileSync(path, 'utf8')
  const mef = mefSettings(options, read)
  const onEvent = serveEventSink('maf', options)
  const config = {
    fqdn: options.fqdn,
    kcLifetimeMs: positive(options.kcLifetimeHours, '--kc-lifetime-hours') * 3_600_000,
    registrationMaxLifetimeMs: positive(options.registrationLifetimeDays, '--registration-lifetime-days') * 86_400_000,
    ...(mef === undefined ? {} : { mef }),
  }
  const credential = { certPem: read(options.cert), keyPem: read(options.key) }
  const clientTrustAnchors = options.clientCa.map(read)
  await serveOnStore(options.dataDir, (store) => createMafService({ store, config, credential, clientTrustAnchors, listen, onEvent }),
    (service) => [readyLine('maf', service, { fqdn: options.fqdn.toLowerCase(), ...(mef ? { mefFqdn: mef.fqdn.toLowerCase() } : {}) })])
}

/** Adds `maf` under `m2msec serve`. */
export function registerServeMafCommand(serve: Command): void {
  addLogLevelOption(serve
    .command('maf'))
    .description('M2M Authentication Function: MAF Handshake (KmID, KeID with Km pulled from the MEF, certificates), MAF client and key procedures')
    .requiredOption('--data-dir <dir>', 'data directory (SQLite store and its KEK; created when missing)')
    .requiredOption('--fqdn <fqdn>', 'the MAF-FQDN (MAF-ID): SNI, Host and the @-part of every KmID and Key Identifier')
    .requiredOption('--cert <file>', 'PEM certificate of the MAF FQDN (leaf first); also the client certificate towards the MEF')
    .requiredOption('--key <file>', 'PEM private key of that certificate')
    .option('--listen <host:port>', 'address to listen on (port 0: any free port)', '127.0.0.1:0')
    .option('--mef-url <url>', 'https URL of the MEF to fetch Km from for a KeID (fetchCredentials)')
    .option('--mef-fqdn <fqdn>', 'MEF-FQDN (default: the URL host)')
    .option('--mef-ca <file>', 'PEM trust anchor of the MEF certificate (repeatable)', collect, [])
    .option('--mef-mode <mode>', `the MEF's target key mode (OQ-6): ${TARGET_KEY_MODES.join(' | ')}`, 'usage-constrained')
    .option('--client-ca <file>', 'PEM trust anchor of certificate MAF Clients (repeatable)', collect, [])
    .option('--kc-lifetime-hours <hours>', 'upper bound on the Kc lifetime the MAF assigns', '24')
    .option('--registration-lifetime-days <days>', 'upper bound on MAF Client Registration lifetimes', '365')
    .action((options: ServeMafOptions) => serveMaf(options))
}
