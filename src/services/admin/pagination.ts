/**
 * Pagination of the admin API's lists (admin-api.md "Pagination"): `?limit=1..1000` (default
 * 100) and `?cursor=`, answered as `{ items, nextCursor }` with `nextCursor: null` on the last
 * page. The cursor the client sees is the operation's own cursor in base64url: opaque, URL-safe,
 * and a cursor that was not produced by us fails to decode into the same text (400 `cursor`).
 */
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../../store/index.js'
import { invalidRequest } from './errors.js'
import type { AdminPage, AdminPageQuery } from './operations.js'

export const DEFAULT_LIMIT = DEFAULT_PAGE_LIMIT
export const MAX_LIMIT = MAX_PAGE_LIMIT

export const PAGE_QUERY_PROPERTIES = {
  limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
  cursor: { type: 'string', minLength: 1, maxLength: 2048, pattern: '^[A-Za-z0-9_-]+$' },
} as const

export const PAGE_SCHEMA = {
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: {
    items: { type: 'array', items: { type: 'object', additionalProperties: true } },
    nextCursor: { type: ['string', 'null'] },
  },
} as const

export function encodeCursor(inner: string): string {
  return Buffer.from(inner, 'utf8').toString('base64url')
}

/** @throws AdminError M2MSEC_ADMIN_INVALID (field `cursor`) */
export function decodeCursor(cursor: string): string {
  const inner = Buffer.from(cursor, 'base64url').toString('utf8')
  if (inner === '' || encodeCursor(inner) !== cursor) throw invalidRequest('cursor', 'is not a cursor returned by a previous page')
  return inner
}

/** limit and decoded cursor from a validated query. */
export function pageQuery(query: Readonly<Record<string, unknown>>): AdminPageQuery {
  const limit = typeof query.limit === 'number' ? query.limit : DEFAULT_LIMIT
  return { limit, ...(typeof query.cursor === 'string' ? { cursor: decodeCursor(query.cursor) } : {}) }
}

export function pageBody(page: AdminPage): { readonly items: readonly unknown[]; readonly nextCursor: string | null } {
  return { items: page.items, nextCursor: page.nextCursor === undefined ? null : encodeCursor(page.nextCursor) }
}

/** The store's keyset page of rows fetched with limit + 1 (src/store/page.ts). */
export { pageOf } from '../../store/index.js'
