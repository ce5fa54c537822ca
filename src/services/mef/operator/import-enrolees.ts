/**
 * `importEnrolees`: many enrolees at once (issue 5 "thousands of rows … one bad row never aborts
 * or half-applies the rest"). Every row is validated first, without the store. Valid rows are
 * then written in batches, one transaction per batch; inside it each row's conflicts are checked
 * before any of its writes, so a conflicting row writes nothing and is reported. If a batch fails
 * for any other reason its transaction rolls back whole and its rows are retried one transaction
 * each, so an unexpected failure costs only the row that caused it. Each stored enrolee gets its
 * batch's audit event (listing each enrolee it added); a closing event records the totals.
 */
import { M2mSecError } from '../../../core/index.js'
import type { Store, StoreTx } from '../../../store/index.js'
import { validateEnrolee } from './enrolee-input.js'
import type { ValidEnrolee } from './enrolee-input.js'
import type { ImportRow } from './import-file.js'
import { actorOf, addedSubject, conflictError, credentialConflict, linkerOf, operatorError } from './operator-context.js'
import type { OperatorOptions } from './operator-context.js'
import { invalidField } from './errors.js'

export interface ImportProgress {
  /** Rows finished (stored or rejected) out of `total`. */
  readonly done: number
  readonly total: number
  readonly imported: number
  readonly rejected: number
}

export interface RejectedRow {
  readonly row: number
  readonly line: number
  readonly code: string
  readonly message: string
  readonly field?: string
}

export interface ImportResult {
  readonly imported: number
  readonly rejected: readonly RejectedRow[]
}

export interface ImportOptions extends OperatorOptions {
  readonly onProgress?: (progress: ImportProgress) => void
  /** Validation and expiry reference time; default the current time. */
  readonly now?: Date
  /** Rows per transaction, 1–5000; default 250. */
  readonly batchSize?: number
}

interface Pending {
  readonly row: ImportRow
  readonly valid: ValidEnrolee
}

const DEFAULT_BATCH = 250
const SUMMARY_LINES = 100

function rejection(row: ImportRow, error: unknown): RejectedRow {
  const mapped = operatorError(error)
  if (!(mapped instanceof M2mSecError)) throw error
  const field = 'field' in mapped && typeof mapped.field === 'string' ? { field: mapped.field } : {}
  return { row: row.row, line: row.line, code: mapped.code, message: mapped.message, ...field }
}

/** Validates every row and drops in-file duplicates; returns the rows to write and the rejects. */
function validateRows(rows: readonly ImportRow[], now: Date): { pending: Pending[]; rejected: RejectedRow[] } {
  const pending: Pending[] = []
  const rejected: RejectedRow[] = []
  const firstRow = new Map<string, number>()
  for (const row of rows) {
    try {
      if (row.error !== undefined) throw row.error
      if (row.input === undefined) throw invalidField('row', 'is empty')
      const valid = validateEnrolee(row.input, now)
      const key = `${valid.credentialKind} ${valid.credentialIdentity}`
      const first = firstRow.get(key)
      if (first !== undefined) {
        rejected.push({ ...rejection(row, conflictError(valid)), message: `${conflictError(valid).message} (row ${first} of this file)` })
        continue
      }
      firstRow.set(key, row.row)
      pending.push({ row, valid })
    } catch (error) {
      rejected.push(rejection(row, error))
    }
  }
  return { pending, rejected }
}

type Written = { readonly rejected: RejectedRow } | { readonly added: { readonly [key: string]: string | number | readonly string[] } }

async function writeRow(tx: StoreTx, item: Pending, now: Date): Promise<Written> {
  if (await credentialConflict(tx, item.valid, now)) return { rejected: rejection(item.row, conflictError(item.valid)) }
  const record = await tx.enrolees.create(item.valid.enrolee)
  return { added: { ...addedSubject(record.enroleeRef, item.valid), line: item.row.line } }
}

/**
 * Writes rows in one transaction with one audit event listing every enrolee it added (a batch
 * is one write; per-row events would triple the statements of a 5,000-row import).
 */
async function writeTogether(store: Store, items: readonly Pending[], now: Date, options: OperatorOptions): Promise<RejectedRow[]> {
  return store.transaction(async (tx) => {
    const rejected: RejectedRow[] = []
    const added: Extract<Written, { added: unknown }>['added'][] = []
    for (const item of items) {
      const written = await writeRow(tx, item, now)
      if ('rejected' in written) rejected.push(written.rejected)
      else added.push(written.added)
    }
    if (added.length > 0) {
      await tx.audit.append({
        at: now, actor: actorOf(options), action: 'enrolee.add',
        subject: { source: 'import', count: added.length, enrolees: added }, outcome: 'success',
      }, linkerOf(options))
    }
    return rejected
  })
}

/** Writes one batch; returns the rows rejected inside it. */
async function writeBatch(store: Store, batch: readonly Pending[], now: Date, options: OperatorOptions): Promise<RejectedRow[]> {
  try {
    return await writeTogether(store, batch, now, options)
  } catch {
    // The batch rolled back as a whole; retry row by row so only the culprit is lost.
    const out: RejectedRow[] = []
    for (const item of batch) {
      try {
        out.push(...await writeTogether(store, [item], now, options))
      } catch (error) {
        out.push(rejection(item.row, error))
      }
    }
    return out
  }
}

/**
 * Imports `rows` (from parseImportFile, or built by a caller). Never throws for a bad row.
 * @returns the number stored and the rejected rows in file order, each with its code.
 * @throws OperatorError M2MSEC_ENROLEE_INVALID for a bad batchSize.
 */
export async function importEnrolees(store: Store, rows: readonly ImportRow[], options: ImportOptions = {}): Promise<ImportResult> {
  const now = options.now ?? new Date()
  const batchSize = options.batchSize ?? DEFAULT_BATCH
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000) throw invalidField('batchSize', 'must be an integer from 1 to 5000')
  const { pending, rejected } = validateRows(rows, now)
  let imported = 0
  const report = (): void => options.onProgress?.({ done: imported + rejected.length, total: rows.length, imported, rejected: rejected.length })
  report()
  for (let i = 0; i < pending.length; i += batchSize) {
    const batch = pending.slice(i, i + batchSize)
    const batchRejects = await writeBatch(store, batch, now, options)
    imported += batch.length - batchRejects.length
    rejected.push(...batchRejects)
    report()
  }
  rejected.sort((a, b) => a.row - b.row)
  await store.transaction((tx) => tx.audit.append({
    at: now, actor: actorOf(options), action: 'enrolee.import',
    subject: { rows: rows.length, imported, rejected: rejected.length, rejectedLines: rejected.slice(0, SUMMARY_LINES).map((r) => r.line) },
    outcome: rejected.length === 0 ? 'success' : imported === 0 ? 'failure' : 'partial',
  }, linkerOf(options)))
  return { imported, rejected }
}
