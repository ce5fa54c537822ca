/**
 * Read-only operator views: `listEnrolees` (paginated by enrolee reference) and `showEnrolee`
 * (one enrolee with its current enrolments). Metadata only; no key is ever opened.
 */
import { pageOf, pageRequest, type Page, type PageOptions, type Store } from '../../../store/index.js'
import { invalidField } from './errors.js'
import { enroleeView, enrolmentView } from './enrolee-view.js'
import type { EnroleeView, EnrolmentView } from './enrolee-view.js'
import { operatorError, resolveEnrolee } from './operator-context.js'

export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../../../store/index.js'
export type { Page, PageOptions } from '../../../store/index.js'

/** The store's keyset paging (src/store/page.ts), a bad limit or cursor reported as an enrolee input error. @throws OperatorError M2MSEC_ENROLEE_INVALID (field `limit` / `cursor`). */
export function checkPage(options: PageOptions): { readonly cursor?: string; readonly limit: number } {
  const request = pageRequest(options)
  if (!request.ok) throw invalidField(request.field, request.problem)
  return request
}

/**
 * One page of enrolees in reference order.
 * @throws OperatorError M2MSEC_ENROLEE_INVALID for a bad limit or cursor.
 */
export async function listEnrolees(store: Store, options: PageOptions = {}): Promise<Page<EnroleeView>> {
  const { cursor, limit } = checkPage(options)
  const rows = await store.transaction((tx) => tx.enrolees.list({ limit: limit + 1, ...(cursor === undefined ? {} : { afterRef: cursor }) }))
  const page = pageOf(rows, limit, (row) => row.enroleeRef)
  return { ...page, items: page.items.map(enroleeView) }
}

export interface EnroleeDetails {
  readonly enrolee: EnroleeView
  /** Enrolments not expired at `now`, by KeID. */
  readonly enrolments: readonly EnrolmentView[]
}

/**
 * One enrolee, named by reference, KpmID or certificate identity, with its live enrolments.
 * @throws OperatorError M2MSEC_ENROLEE_NOT_FOUND.
 */
export async function showEnrolee(store: Store, selector: string, now: Date = new Date()): Promise<EnroleeDetails> {
  try {
    return await store.transaction(async (tx) => {
      const record = await resolveEnrolee(tx, selector)
      const enrolments = await tx.enrolments.listByEnrolee(record.enroleeRef, now)
      return { enrolee: enroleeView(record), enrolments: enrolments.map(enrolmentView).sort((a, b) => compare(a.keId, b.keId)) }
    })
  } catch (error) {
    throw operatorError(error)
  }
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
