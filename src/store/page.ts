/**
 * Keyset paging of the store's lists, shared by every operator list (MEF enrolees and
 * enrolments, gateway Kpsa/bindings/rules, the admin API's metadata reads): a page size of 1–1000
 * (default 100) and a cursor that is the last key of the previous page, so a page boundary stays
 * put while rows are added or removed elsewhere. The repos' `list` take that key as `after…` and
 * `limit + 1`, so one extra row tells whether another page follows.
 *
 * Checking a request returns a typed problem rather than throwing: each caller reports it with its
 * own coded error (STYLE.md §4: an expected refusal is a value).
 */

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
/** A key of ours: printable ASCII (identifiers, references), bounded. */
const CURSOR_RE = /^[\x20-\x7e]{1,600}$/

export type PageRequest =
  | { readonly ok: true; readonly limit: number; readonly cursor?: string }
  | { readonly ok: false; readonly field: 'limit' | 'cursor'; readonly problem: string }

/** The limit (defaulted) and cursor of `options`, or which of them is wrong and why. */
export function pageRequest(options: PageOptions): PageRequest {
  const limit = options.limit ?? DEFAULT_PAGE_LIMIT
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    return { ok: false, field: 'limit', problem: `must be an integer from 1 to ${MAX_PAGE_LIMIT}` }
  }
  if (options.cursor !== undefined && !CURSOR_RE.test(options.cursor)) {
    return { ok: false, field: 'cursor', problem: 'is not a cursor returned by a previous page' }
  }
  return { ok: true, limit, ...(options.cursor === undefined ? {} : { cursor: options.cursor }) }
}

/** The page of `rows` (fetched with limit + 1) and its cursor: the key of its last item. */
export function pageOf<T>(rows: readonly T[], limit: number, keyOf: (item: T) => string): Page<T> {
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return rows.length > limit && last !== undefined ? { items, nextCursor: keyOf(last) } : { items }
}
