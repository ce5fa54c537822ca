/**
 * Paging of the gateway operator lists (Kpsa credentials, bindings, rules): a page size of 1–1000
 * (default 100) and a cursor that is the last key of the previous page, so a page boundary stays
 * put while rows are added or removed elsewhere. Same shape as the MEF operator's pages.
 */
import { invalidField } from './errors.js'

export interface PageOptions {
  readonly cursor?: string
  readonly limit?: number
}

export interface Page<T> {
  readonly items: readonly T[]
  /** Present when more items follow. */
  readonly nextCursor?: string
}

export const DEFAULT_PAGE_LIMIT = 100
export const MAX_PAGE_LIMIT = 1000
const CURSOR_RE = /^[\x21-\x7e]{1,600}$/

/** @throws GatewayOperatorError M2MSEC_GATEWAY_OPERATOR_INVALID (field `limit` / `cursor`). */
export function checkPage(options: PageOptions): { readonly cursor?: string; readonly limit: number } {
  const limit = options.limit ?? DEFAULT_PAGE_LIMIT
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) throw invalidField('limit', `must be an integer from 1 to ${MAX_PAGE_LIMIT}`)
  if (options.cursor !== undefined && !CURSOR_RE.test(options.cursor)) throw invalidField('cursor', 'is not a cursor returned by a previous page')
  return { limit, ...(options.cursor === undefined ? {} : { cursor: options.cursor }) }
}

/** The page of `rows` (fetched with limit + 1) and its cursor. */
export function pageOf<T>(rows: readonly T[], limit: number, keyOf: (item: T) => string): Page<T> {
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return rows.length > limit && last !== undefined ? { items, nextCursor: keyOf(last) } : { items }
}
