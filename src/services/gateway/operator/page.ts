/**
 * Paging of the gateway operator lists (Kpsa credentials, bindings, rules): the store's keyset
 * paging (src/store/page.ts) with a bad limit or cursor reported as this module's coded error.
 */
import { pageRequest, type PageOptions } from '../../../store/index.js'
import { invalidField } from './errors.js'

export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, pageOf } from '../../../store/index.js'
export type { Page, PageOptions } from '../../../store/index.js'

/** @throws GatewayOperatorError M2MSEC_GATEWAY_OPERATOR_INVALID (field `limit` / `cursor`). */
export function checkPage(options: PageOptions): { readonly cursor?: string; readonly limit: number } {
  const request = pageRequest(options)
  if (!request.ok) throw invalidField(request.field, request.problem)
  return request
}
