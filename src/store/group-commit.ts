/**
 * Group commit for the embedded SQLite store (issue 5: durable enrolments at handshake rate).
 * A durable COMMIT waits for an fsync of the WAL; one fsync per enrolment makes the disk's flush
 * latency the cap of the whole service, and with better-sqlite3 the wait also stalls the event
 * loop, so every handshake in the process waits with it.
 *
 * So transactions that are requested while others wait or run are coalesced: one
 * `BEGIN IMMEDIATE`, each unit of work inside its own SAVEPOINT, one COMMIT (one fsync) for the
 * batch. Each caller's promise settles only after that COMMIT returned (with `durable`, after
 * the flush that follows it: wal-flush.ts, the fsync then runs off the event loop and the next
 * batch does not wait for it), so a caller that is told "done" is exactly as durable as with a
 * COMMIT of its own, and a crash at any moment loses the whole uncommitted batch, never part of
 * one unit.
 *
 *   - Units run one after another, never interleaved: each sees the writes of the units before
 *     it, as if they had committed first (serial order, like the single SQLite writer it is).
 *   - A unit that throws is rolled back to its savepoint and its caller gets its own error; the
 *     other units of the batch are unaffected.
 *   - When SQLite itself ended the transaction (e.g. SQLITE_FULL rolls everything back), the
 *     units already run lost their writes: their callers get the translated store error. Units
 *     not yet run go back to the queue for the next batch.
 *   - A failed BEGIN or COMMIT fails every unit of the batch with the translated store error; a
 *     failed flush fails its units' callers with M2MSEC_STORE_UNAVAILABLE.
 *
 * A batch is collected on `setImmediate`, after the I/O callbacks of the current event-loop turn
 * have queued their transactions; a lone transaction skips the savepoint. PostgreSQL needs none
 * of this: each transaction runs on its own pooled connection and the server groups commits.
 */
import { sql, type Kysely } from 'kysely'
import type { RepoContext } from './context.js'
import { translateDriverError } from './driver-errors.js'
import { StoreError } from './errors.js'
import type { Database as Schema } from './schema.js'

/** Units per batch: bounds the latency one batch adds and the work one failed COMMIT undoes. */
export const GROUP_COMMIT_MAX_UNITS = 64

type Work<T> = (ctx: RepoContext) => Promise<T>

export interface GroupCommitOptions {
  /** Units per batch (default GROUP_COMMIT_MAX_UNITS). */
  readonly maxUnits?: number
  /**
   * Called after each COMMIT; the batch's callers are answered when it resolves (wal-flush.ts),
   * and fail with M2MSEC_STORE_UNAVAILABLE when it rejects. Absent: answered at COMMIT.
   */
  readonly durable?: () => Promise<void>
}

interface Unit {
  readonly work: Work<unknown>
  readonly resolve: (value: unknown) => void
  readonly reject: (error: unknown) => void
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown }

/** SQLite ended the batch transaction itself (e.g. SQLITE_FULL) while a unit was being undone. */
class BatchLost extends Error {
  constructor(readonly reason: unknown, readonly unitError: unknown) {
    super('the batch transaction was rolled back by SQLite')
  }
}

/** A lone unit failed: roll its transaction back and hand it its own error. */
class LoneUnitFailed extends Error {
  constructor(readonly unitError: unknown) {
    super('the transaction failed')
  }
}

/** Runs one unit inside the open batch transaction. @throws BatchLost when the transaction is gone */
async function runUnit(conn: Kysely<Schema>, ctx: RepoContext, unit: Unit, alone: boolean): Promise<Outcome> {
  if (alone) {
    try {
      return { ok: true, value: await unit.work(ctx) }
    } catch (error) {
      throw new LoneUnitFailed(error)
    }
  }
  await sql`savepoint m2msec_unit`.execute(conn)
  try {
    const value = await unit.work(ctx)
    await sql`release m2msec_unit`.execute(conn)
    return { ok: true, value }
  } catch (error) {
    try {
      await sql`rollback to m2msec_unit`.execute(conn)
      await sql`release m2msec_unit`.execute(conn)
    } catch (lost) {
      throw new BatchLost(lost, error)
    }
    return { ok: false, error }
  }
}

/** Opens the batch transaction, runs every unit, commits; outcomes are pushed as units finish. */
async function executeBatch(db: Kysely<Schema>, base: Omit<RepoContext, 'db'>, batch: readonly Unit[], outcomes: Outcome[]): Promise<void> {
  await db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn)
    try {
      const ctx: RepoContext = { ...base, db: conn }
      for (const unit of batch) outcomes.push(await runUnit(conn, ctx, unit, batch.length === 1))
      await sql`commit`.execute(conn)
    } catch (error) {
      // SQLite may already have rolled back (e.g. SQLITE_FULL); then ROLLBACK itself fails
      // with "no transaction is active", which must not hide the original error.
      await sql`rollback`.execute(conn).catch(() => undefined)
      throw error
    }
  })
}

/**
 * A `run(work)` for SQLite that commits concurrent transactions together (module comment).
 * Rejects with the caller's own error as thrown, or a StoreError for BEGIN/COMMIT failures.
 */
export function groupCommitRunner(db: Kysely<Schema>, base: Omit<RepoContext, 'db'>, options: GroupCommitOptions = {}) {
  const maxUnits = options.maxUnits ?? GROUP_COMMIT_MAX_UNITS
  const queue: Unit[] = []
  let scheduled = false

  /** `thrown` is what the batch transaction threw, if anything. */
  const settle = (batch: readonly Unit[], outcomes: readonly Outcome[], thrown?: { readonly error: unknown }): void => {
    const error = thrown?.error
    if (error instanceof LoneUnitFailed) return batch[0]!.reject(error.unitError)
    const lost = error instanceof BatchLost ? error : undefined
    const failure = thrown === undefined ? undefined : translateDriverError(lost ? lost.reason : error, 'transaction')
    const requeue: Unit[] = []
    batch.forEach((unit, i) => {
      const outcome = outcomes[i]
      if (outcome !== undefined && !outcome.ok) unit.reject(outcome.error)
      else if (outcome !== undefined && failure === undefined) unit.resolve(outcome.value)
      else if (outcome !== undefined) unit.reject(failure)
      // The unit whose undo found the transaction gone ran and failed on its own.
      else if (lost !== undefined && i === outcomes.length) unit.reject(lost.unitError)
      // Not run yet: a lost transaction is no reason to fail it; another BEGIN/COMMIT failure is.
      else if (lost !== undefined) requeue.push(unit)
      else unit.reject(failure)
    })
    queue.unshift(...requeue)
  }

  /** Resolves when the batch's transaction ended; its callers are answered once it is durable. */
  const runBatch = async (batch: Unit[]): Promise<void> => {
    const outcomes: Outcome[] = []
    try {
      await executeBatch(db, base, batch, outcomes)
    } catch (error) {
      return settle(batch, outcomes, { error })
    }
    if (options.durable === undefined) return settle(batch, outcomes)
    // The next batch need not wait for this one's flush: it starts at once.
    options.durable().then(
      () => settle(batch, outcomes),
      (cause: unknown) => settle(batch, outcomes, { error: new StoreError('M2MSEC_STORE_UNAVAILABLE', 'unavailable', 'transaction: the commit could not be made durable', { cause }) }),
    )
  }

  const flush = (): void => {
    const batch = queue.splice(0, maxUnits)
    void runBatch(batch).finally(() => {
      scheduled = false
      if (queue.length > 0) schedule()
    })
  }

  const schedule = (): void => {
    if (scheduled) return
    scheduled = true
    setImmediate(flush)
  }

  return <T>(work: Work<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work: work as Work<unknown>, resolve: resolve as (value: unknown) => void, reject })
      schedule()
    })
}
