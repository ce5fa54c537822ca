/**
 * `m2msec audit verify`: walks the audit log and checks its hash chain (issue 4 "audit log ...
 * `m2msec audit verify` checks the chain"). Prints the event count and the head as SEQ:HASH, an
 * anchor operators record elsewhere and pass back with --anchor, which catches a rewritten or
 * truncated tail that the chain alone cannot. Exit status: 0 intact, 1 broken, 2 not runnable.
 *
 * The store is reached through a factory so this command does not depend on how the store is
 * opened (SQLite file in the data directory, or PostgreSQL from configuration). With `--server`
 * (issue 8) the admin API verifies its own store (`POST /v1/audit/verify`, once per anchor) and
 * `audit list` pages through `GET /v1/audit`; output and exit status are the same as locally.
 */
import { InvalidArgumentError } from 'commander'
import type { Command } from 'commander'
import { parseAuditAnchor, verifyAuditChain } from '../../store/index.js'
import type { AuditChainResult, AuditChainHead, AuditLink, ChainedAuditEvent } from '../../store/index.js'
import { addServerOptions, adminRequest, adminServerFrom, type AdminServer, type RemoteOptions } from '../admin-client.js'
import { DEFAULT_DATA_DIR } from '../operator-backend/local-store.js'
import { objectOf, pageFrom, queryOf } from '../operator-backend/remote-answer.js'
import { formatTable, parseLimit } from './enrolee-output.js'

/** What the command needs from a store. */
export interface AuditEventSource {
  /** Every event in seq order. */
  listAuditEvents(): AsyncIterable<ChainedAuditEvent>
  /**
   * The head the store recorded on its last append; checked like an anchor, so deleting the
   * newest events without also rewriting the head shows as 'truncated'.
   */
  storedHead?(): Promise<AuditChainHead | undefined>
  /** The link the store chains with when it is not plain SHA-256 (the HMAC variant). */
  readonly auditLink?: AuditLink
  close?(): Promise<void>
}

export type OpenAuditSource = (options: { readonly dataDir: string }) => Promise<AuditEventSource>

export interface AuditCommandDeps {
  /** Opens the store; absent until the store is wired in, in which case verify exits 2. */
  readonly openAuditSource?: OpenAuditSource
}

interface VerifyOptions extends RemoteOptions {
  readonly anchor: readonly AuditChainHead[]
  readonly json: boolean
}

function collectAnchor(value: string, previous: readonly AuditChainHead[]): readonly AuditChainHead[] {
  try {
    return [...previous, parseAuditAnchor(value)]
  } catch {
    throw new InvalidArgumentError('expected SEQ:HASH, as printed by a previous `m2msec audit verify`')
  }
}

function report(result: AuditChainResult, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(result.ok ? { ...result, head: result.head ?? null } : result))
  } else if (!result.ok) {
    console.error(`audit chain broken at seq ${result.brokenAt}: ${result.reason} (${result.count} events verified before it)`)
  } else if (result.head === undefined) {
    console.log('audit chain ok: 0 events (empty log)')
  } else {
    console.log(`audit chain ok: ${result.count} events`)
    console.log(`head ${result.head.seq}:${result.head.hash}`)
    console.log('record the head line elsewhere; pass it back with --anchor to detect a rewritten or truncated tail')
  }
}

/** The API's verify answer as the chain result `report` prints. */
function chainResultOf(value: unknown): AuditChainResult {
  const o = objectOf(value, 'audit verification')
  if (o.ok === true) {
    const head = o.head === null || o.head === undefined ? undefined : objectOf(o.head, 'audit head') as unknown as AuditChainHead
    return { ok: true, count: Number(o.count), ...(head === undefined ? {} : { head }) } as AuditChainResult
  }
  return o as unknown as AuditChainResult
}

/** One verification per anchor (the API takes one); the first failure wins, else the last answer. */
async function verifyRemote(server: AdminServer, anchors: readonly AuditChainHead[]): Promise<AuditChainResult> {
  let result: AuditChainResult | undefined
  for (const anchor of anchors.length === 0 ? [undefined] : anchors) {
    result = chainResultOf(await adminRequest(server, 'POST', '/v1/audit/verify', anchor === undefined ? {} : { anchor: `${anchor.seq}:${anchor.hash}` }))
    if (!result.ok) return result
  }
  return result as AuditChainResult
}

async function runVerify(deps: AuditCommandDeps, options: VerifyOptions): Promise<void> {
  const server = adminServerFrom(options)
  if (server !== undefined) {
    const result = await verifyRemote(server, options.anchor)
    report(result, options.json)
    process.exitCode = result.ok ? 0 : 1
    return
  }
  if (deps.openAuditSource === undefined) {
    console.error('m2msec audit verify: no store is available in this build yet.')
    process.exitCode = 2
    return
  }
  const source = await deps.openAuditSource({ dataDir: options.dataDir })
  try {
    const link = source.auditLink
    const stored = await source.storedHead?.()
    const result = await verifyAuditChain(source.listAuditEvents(), {
      anchors: stored === undefined ? options.anchor : [...options.anchor, stored],
      ...(link === undefined ? {} : { link }),
    })
    report(result, options.json)
    process.exitCode = result.ok ? 0 : 1
  } finally {
    await source.close?.()
  }
}

interface ListOptions extends RemoteOptions {
  readonly afterSeq?: number
  readonly limit?: number
  readonly json: boolean
}

interface AuditEventLine {
  readonly seq: number
  readonly at: string
  readonly actor: string
  readonly action: string
  readonly outcome: string
  readonly subject: unknown
}

const DEFAULT_LIST_LIMIT = 100

async function listLocal(deps: AuditCommandDeps, options: ListOptions, afterSeq: number, limit: number): Promise<AuditEventLine[]> {
  if (deps.openAuditSource === undefined) throw new InvalidArgumentError('no store is available in this build')
  const source = await deps.openAuditSource({ dataDir: options.dataDir })
  const out: AuditEventLine[] = []
  try {
    for await (const e of source.listAuditEvents()) {
      if (e.seq <= afterSeq) continue
      out.push({ seq: e.seq, at: new Date(e.time).toISOString(), actor: e.actor, action: e.action, outcome: e.outcome, subject: e.subject })
      if (out.length >= limit) break
    }
  } finally {
    await source.close?.()
  }
  return out
}

async function listRemote(server: AdminServer, afterSeq: number, limit: number): Promise<AuditEventLine[]> {
  const page = pageFrom(await adminRequest(server, 'GET', `/v1/audit${queryOf({ afterSeq, limit })}`), 'audit event', (v) => objectOf(v, 'audit event'))
  return page.items.map((e) => ({ seq: Number(e.seq), at: String(e.at), actor: String(e.actor), action: String(e.action), outcome: String(e.outcome), subject: e.subject }))
}

async function runList(deps: AuditCommandDeps, options: ListOptions): Promise<void> {
  const afterSeq = options.afterSeq ?? 0
  const limit = options.limit ?? DEFAULT_LIST_LIMIT
  const server = adminServerFrom(options)
  const events = server === undefined ? await listLocal(deps, options, afterSeq, limit) : await listRemote(server, afterSeq, limit)
  if (options.json) return void console.log(JSON.stringify(events))
  console.log(formatTable(['SEQ', 'AT', 'ACTOR', 'ACTION', 'OUTCOME'], events.map((e) => [String(e.seq), e.at, e.actor, e.action, e.outcome])))
  const last = events.at(-1)
  if (events.length === limit && last !== undefined) console.log(`more: --after-seq ${last.seq}`)
}

function parseSeq(value: string): number {
  if (!/^[0-9]{1,15}$/.test(value)) throw new InvalidArgumentError('expected a sequence number')
  return Number(value)
}

/** Adds `audit verify [--data-dir DIR] [--anchor SEQ:HASH]… [--json]` and `audit list` to `program`. */
export function registerAuditCommand(program: Command, deps: AuditCommandDeps = {}): void {
  const audit = program.command('audit').description('inspect the tamper-evident audit log')
  addServerOptions(audit
    .command('verify')
    .description('check the audit log hash chain; prints the event count and the head SEQ:HASH')
    .option('--data-dir <dir>', 'data directory of the embedded store', DEFAULT_DATA_DIR)
    .option('--anchor <seq:hash>', 'a head printed earlier; fails if the log no longer matches it (repeatable)', collectAnchor, [])
    .option('--json', 'print the result as one JSON object', false))
    .action(async (options: VerifyOptions) => runVerify(deps, options))
  addServerOptions(audit
    .command('list')
    .description('list audit events in seq order: who did what, when, with which outcome (identifiers only, never keys)')
    .option('--data-dir <dir>', 'data directory of the embedded store', DEFAULT_DATA_DIR)
    .option('--after-seq <n>', 'start after this sequence number', parseSeq)
    .option('--limit <n>', 'events to print (1-1000, default 100)', parseLimit)
    .option('--json', 'print the events (with their subjects) as one JSON array', false))
    .action(async (options: ListOptions) => runList(deps, options))
}
