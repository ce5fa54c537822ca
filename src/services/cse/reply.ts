/**
 * A success response primitive (TS-0004 §7.2.1.2): the request's `rqi` and `rvi` echoed (a
 * Release-1 request, without `rvi`, gets none back — wire.md §1.5), the rsc and the Content.
 */
import type { OneM2mReply } from '../../transport/index.js'
import type { JsonObject, RequestPrimitive, ResponsePrimitive } from '../../onem2m/index.js'

export function reply(p: RequestPrimitive, rsc: number, pc?: JsonObject, createdResourceId?: string): OneM2mReply {
  const response: ResponsePrimitive = { rsc, rqi: p.rqi, ...(p.rvi === undefined ? {} : { rvi: p.rvi }), ...(pc === undefined ? {} : { pc }) }
  return createdResourceId === undefined ? { response } : { response, createdResourceId }
}
