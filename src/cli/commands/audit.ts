/**
 * `m2msec audit verify`: walks the audit log and checks its hash chain (issue 4 "audit log ...
 * `m2msec audit verify` checks the chain"). Prints the event count and the head as SEQ:HASH, an
 * anchor operators record elsewhere and pass back with --anchor, which catches a rewritten or
 * truncated tail that the chain alone cannot. Exit status: 0 intact, 1 broken, 2 not runnable.
 *
 * The store is reached through a factory so this command does not depend on how the store is
 * opened (SQLite file in the data directory, or PostgreSQL from configuration).
 */
import { InvalidArgumentError } from 'commander'
import type { Command } from 'commander'
import { parseAuditAnchor, verifyAuditChain } from '../../store/index.js'
import type { AuditChainResult, AuditChainHead, AuditLink, ChainedAuditEvent } from '../../store/index.js'

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

const DEFAULT_DATA_DIR = '.m2msec'

interface VerifyOptions {
  readonly dataDir: string
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

async function runVerify(deps: AuditCommandDeps, options: VerifyOptions): Promise<void> {
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

/** Adds `audit verify [--data-dir DIR] [--anchor SEQ:HASH]… [--json]` to `program`. */
export function registerAuditCommand(program: Command, deps: AuditCommandDeps = {}): void {
  const audit = program.command('audit').description('inspect the tamper-evident audit log')
  audit
    .command('verify')
    .description('check the audit log hash chain; prints the event count and the head SEQ:HASH')
    .option('--data-dir <dir>', 'data directory of the embedded store', DEFAULT_DATA_DIR)
    .option('--anchor <seq:hash>', 'a head printed earlier; fails if the log no longer matches it (repeatable)', collectAnchor, [])
    .option('--json', 'print the result as one JSON object', false)
    .action(async (options: VerifyOptions) => runVerify(deps, options))
}
