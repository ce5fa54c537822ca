/**
 * Read-only operator views: `listEnrolees` (paginated by enrolee reference) and `showEnrolee`
 * (one enrolee with its current enrolments). Metadata only; no key is ever opened.
 */
import type { Store } from '../../../store/index.js'
import { invalidField } from './errors.js'
import { enroleeView, enrolmentView } from './enrolee-view.js'
import type { EnroleeView, EnrolmentView } from './enrolee-view.js'
import { operatorError, resolveEnrolee } from './operator-context.js'

export interface PageOptions {
  /** `nextCursor` of the previous page; absent for the first page. */
  readonly cursor?: string
  /** 1–1000, default 100. */
  readonly limit?: number
}

export interface Page<T> {
  readonly items: readonly T[]
  /** Present when more items follow; pass it back as `cursor`. */
  readonly nextCursor?: string
}

export const DEFAULT_PAGE_LIMIT = 100
export const MAX_PAGE_LIMIT = 1000
const CURSOR_RE = /^[\x21-\x7e ]{1,600}$/

/** @throws OperatorError M2MSEC_ENROLEE_INVALID (field `limit` / `cursor`). */
export function checkPage(options: PageOptions): { readonly cursor?: string; readonly limit: number } {
  const limit = options.limit ?? DEFAULT_PAGE_LIMIT
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) throw invalidField('limit', `must be an integer from 1 to ${MAX_PAGE_LIMIT}`)
  if (options.cursor !== undefined && !CURSOR_RE.test(options.cursor)) throw invalidField('cursor', 'is not a cursor returned by a previous page')
  return { limit, ...(options.cursor === undefined ? {} : { cursor: options.cursor }) }
}

/**
 * One page of enrolees in reference order.
 * @throws OperatorError M2MSEC_ENROLEE_INVALID for a bad limit or cursor.
 */
export async function listEnrolees(store: Store, options: PageOptions = {}): Promise<Page<EnroleeView>> {
  const { cursor, limit } = checkPage(options)
  const rows = await store.transaction((tx) => tx.enrolees.list({ limit: limit + 1, ...(cursor === undefined ? {} : { afterRef: cursor }) }))
  const items = rows.slice(0, limit).map(enroleeView)
  const last = items.at(-1)
  return rows.length > limit && last !== undefined ? { items, nextCursor: last.enroleeRef } : { items }
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
