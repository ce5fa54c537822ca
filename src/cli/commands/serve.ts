/**
 * `m2msec serve <role>`: one role alone on a data directory (ARCHITECTURE.md §1). It prints one
 * JSON ready line on stdout once listening (`{"role":"mef","port":N,…}`), operator events as
 * JSON lines on stderr (codes and messages only, never key bytes), and exits 0 on SIGTERM or
 * SIGINT after closing its port and its store (STYLE.md §7).
 */
import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { TARGET_KEY_MODES, type TargetKeyMode } from '../../core/index.js'
import { createMefService, type MefTargetConfig } from '../../services/mef/index.js'
import { addLogLevelOption, serveEventSink } from '../observability/serve-log.js'
import { collect, parseListen, UsageError } from '../options.js'
import { readyLine, serveOnStore } from '../serve-lifecycle.js'

const DEFAULT_MAX_KEY_LIFETIME_MS = 30 * 24 * 3_600_000

interface ServeMefOptions {
  readonly dataDir: string
  readonly fqdn: string
  readonly listen: string
  readonly cert: string
  readonly key: string
  readonly targetCa: string[]
  readonly target: string[]
  readonly enroleeCa: string[]
  readonly mode: string
  readonly maxKeyLifetimeDays: string
  readonly logLevel: string
}

/** `fqdn=originatorId[,originatorId…]`. */
export function parseTargetOption(text: string): MefTargetConfig {
  const eq = text.indexOf('=')
  const ids = text.slice(eq + 1).split(',').map((s) => s.trim()).filter((s) => s.length > 0)
  if (eq <= 0 || ids.length === 0) throw new UsageError(`--target must be fqdn=originatorId[,originatorId…], got '${text}'`)
  return { fqdn: text.slice(0, eq), originatorIds: ids }
}

async function serveMef(options: ServeMefOptions): Promise<void> {
  if (!TARGET_KEY_MODES.includes(options.mode as TargetKeyMode)) throw new UsageError(`--mode must be one of ${TARGET_KEY_MODES.join(', ')}`)
  const listen = parseListen(options.listen)
  const targets = options.target.map(parseTargetOption)
  const onEvent = serveEventSink('mef', options)
  const read = (path: string): string => readFileSync(path, 'utf8')
  await serveOnStore(options.dataDir, (store) => createMefService({
    store,
    config: { fqdn: options.fqdn, targetKeyMode: options.mode as TargetKeyMode, maxKeyLifetimeMs: Number(options.maxKeyLifetimeDays) * 86_400_000 || DEFAULT_MAX_KEY_LIFETIME_MS },
    credential: { certPem: read(options.cert), keyPem: read(options.key) },
    enroleeTrustAnchors: options.enroleeCa.map(read),
    targets,
    targetTrustAnchors: options.targetCa.map(read),
    listen,
    onEvent,
  }), (service) => [readyLine('mef', service, { fqdn: options.fqdn.toLowerCase(), mode: options.mode })])
}

/** Adds `serve` with its `mef` subcommand; returns `serve` so other roles add theirs. */
export function registerServeCommand(program: Command): Command {
  const serve = program.command('serve').description('run one role alone on a data directory')
  addLogLevelOption(serve
    .command('mef'))
    .description('M2M Enrolment Function: PPSK and certificate RSPF enrolment, MEF procedures, fetchCredentials')
    .requiredOption('--data-dir <dir>', 'data directory (SQLite store and its KEK; created when missing)')
    .requiredOption('--fqdn <fqdn>', 'the MEF-FQDN (MEF-ID): SNI, Host and the @-part of every KeID')
    .requiredOption('--cert <file>', 'PEM certificate of the MEF FQDN (leaf first)')
    .requiredOption('--key <file>', 'PEM private key of that certificate')
    .option('--listen <host:port>', 'address to listen on (port 0: any free port)', '127.0.0.1:0')
    .option('--target-ca <file>', 'PEM trust anchor of Enrolment Target certificates (repeatable)', collect, [])
    .option('--target <fqdn=ids>', 'Enrolment Target allowed to fetch credentials: certificate FQDN = originator IDs, comma-separated (repeatable)', collect, [])
    .option('--enrolee-ca <file>', 'PEM trust anchor of certificate enrolees (repeatable)', collect, [])
    .option('--mode <mode>', `key given to Targets (OQ-6): ${TARGET_KEY_MODES.join(' | ')}`, 'usage-constrained')
    .option('--max-key-lifetime-days <days>', 'upper bound on MEF key registration lifetimes', '30')
    .action((options: ServeMefOptions) => serveMef(options))
  return serve
}
