/**
 * One request primitive in, one response out (TS-0004 §7.3.2: the hosting CSE's processing by
 * operation). NOTIFY addressed to the CSE's resources is not a service this CSE offers (4005).
 */
import { OPERATION, RSC, refused, type RequestPrimitive } from '../../onem2m/index.js'
import type { OneM2mReply } from '../../transport/index.js'
import type { CseContext } from './context.js'
import { create } from './create.js'
import { retrieve } from './retrieve.js'
import { remove, update } from './update-delete.js'

export async function routeRequest(ctx: CseContext, p: RequestPrimitive): Promise<OneM2mReply> {
  switch (p.op) {
    case OPERATION.CREATE:
      return create(ctx, p)
    case OPERATION.RETRIEVE:
      return retrieve(ctx, p)
    case OPERATION.UPDATE:
      return update(ctx, p)
    case OPERATION.DELETE:
      return remove(ctx, p)
    default:
      throw refused(RSC.OPERATION_NOT_ALLOWED, 'this CSE accepts no NOTIFY on its resources')
  }
}
