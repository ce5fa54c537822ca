/**
 * Building the response primitive of a MAF procedure (TS-0004 §7.2.1.2): the request's `rqi`
 * and `rvi` echoed, the rsc, and the Content. Refusals are thrown as OneM2mErrors and encoded
 * by the transport.
 */
import type { JsonValue, RequestPrimitive } from '../../onem2m/index.js'
import type { OneM2mReply } from '../../transport/index.js'

export function reply(request: RequestPrimitive, rsc: number, pc?: JsonValue, createdResourceId?: string): OneM2mReply {
  return {
    response: {
      rsc,
      rqi: request.rqi,
      ...(request.rvi === undefined ? {} : { rvi: request.rvi }),
      ...(pc === undefined ? {} : { pc }),
    },
    ...(createdResourceId === undefined ? {} : { createdResourceId }),
  }
}
