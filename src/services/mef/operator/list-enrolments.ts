/**
 * `listEnrolments`: the live enrolments (KeID, RelativeKeID, MEF FQDN, enrolee, created, expiry;
 * frameworks.md §10.3, §18 MEF row) of one enrolee or of all, paginated — never Ke. Ordered by
 * (enrolee reference, KeID); the cursor is that pair, so a page boundary stays put while
 * enrolments are added or removed elsewhere.
 */
import type { EnrolmentSummary, Store, StoreTx } from '../../../store/index.js'
import { invalidField } from './errors.js'
import { enrolmentView } from './enrolee-view.js'
import type { EnrolmentView } from './enrolee-view.js'
import { checkPage, compare } from './enrolee-queries.js'
import type { Page, PageOptions } from './enrolee-queries.js'
import { operatorError, resolveEnrolee } from './operator-context.js'

export interface ListEnrolmentsOptions extends PageOptions {
  /** Only this enrolee (reference, KpmID or certificate identity). */
  readonly enrolee?: string
}

const ENROLEE_PAGE = 200

function parseCursor(cursor: string | undefined): { ref: string; keId: string } | undefined {
  if (cursor === undefined) return undefined
  const space = cursor.indexOf(' ')
  if (space <= 0 || space === cursor.length - 1) throw invalidField('cursor', 'is not a cursor returned by a previous page')
  return { ref: cursor.slice(0, space), keId: cursor.slice(space + 1) }
}

async function enrolmentsOf(tx: StoreTx, ref: string, now: Date, afterKeId?: string): Promise<EnrolmentSummary[]> {
  const all = [...await tx.enrolments.listByEnrolee(ref, now)].sort((a, b) => compare(a.keId, b.keId))
  return afterKeId === undefined ? all : all.filter((e) => compare(e.keId, afterKeId) > 0)
}

async function collect(tx: StoreTx, want: number, now: Date, after: { ref: string; keId: string } | undefined): Promise<EnrolmentSummary[]> {
  const out: EnrolmentSummary[] = after === undefined ? [] : await enrolmentsOf(tx, after.ref, now, after.keId)
  let afterRef = after?.ref
  while (out.length < want) {
    const enrolees = await tx.enrolees.list({ limit: ENROLEE_PAGE, ...(afterRef === undefined ? {} : { afterRef }) })
    for (const e of enrolees) {
      out.push(...await enrolmentsOf(tx, e.enroleeRef, now))
      if (out.length >= want) break
    }
    const last = enrolees.at(-1)
    if (last === undefined || enrolees.length < ENROLEE_PAGE) break
    afterRef = last.enroleeRef
  }
  return out
}

/**
 * One page of live enrolments, metadata only.
 * @throws OperatorError M2MSEC_ENROLEE_INVALID (limit, cursor), M2MSEC_ENROLEE_NOT_FOUND (enrolee).
 */
export async function listEnrolments(store: Store, options: ListEnrolmentsOptions = {}, now: Date = new Date()): Promise<Page<EnrolmentView>> {
  const { cursor, limit } = checkPage(options)
  const after = parseCursor(cursor)
  try {
    const rows = await store.transaction(async (tx) => {
      if (options.enrolee === undefined) return collect(tx, limit + 1, now, after)
      const record = await resolveEnrolee(tx, options.enrolee)
      if (after !== undefined && after.ref !== record.enroleeRef) throw invalidField('cursor', 'belongs to another listing')
      return enrolmentsOf(tx, record.enroleeRef, now, after?.keId)
    })
    const items = rows.slice(0, limit).map(enrolmentView)
    const last = items.at(-1)
    return rows.length > limit && last !== undefined ? { items, nextCursor: `${last.enroleeRef} ${last.keId}` } : { items }
  } catch (error) {
    throw operatorError(error)
  }
}
