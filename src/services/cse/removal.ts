/**
 * Removing resources (TS-0004 §7.3.3.5 DELETE; §7.4.6.1 a container dropping its oldest
 * contentInstances past maxNrOfInstances / maxByteSize; §7.4.8.1 a subscription whose
 * expirationCounter ran out): the subtree goes, the parent container's cni/cbs follow, the
 * subscriptions of the resource hear "delete of resource" (net 2), those of its parent "delete
 * of direct child" (net 4), and every deleted subscription with a subscriberURI is told (sud).
 */
import { RESOURCE_TYPE } from '../../onem2m/index.js'
import { NOTIFICATION_EVENT } from './attributes.js'
import type { CseContext } from './context.js'
import { raiseEvent, subscriptionDeleted, subscriptionReference } from './notifications.js'
import type { CseResource } from './resource.js'

/** Removes `resource` with its subtree; `notify` false for housekeeping (container trimming). */
export function removeResource(ctx: CseContext, resource: CseResource, notify = true): CseResource[] {
  const { tree } = ctx
  const parent = tree.parentOf(resource)
  // References are computed while every ancestor still resolves.
  const deletedSubs = [resource, ...tree.descendants(resource.ri)]
    .filter((r) => r.ty === RESOURCE_TYPE.SUBSCRIPTION)
    .map((sub) => ({ sub, sur: subscriptionReference(ctx, sub) }))
  if (notify) raiseEvent(ctx, resource, NOTIFICATION_EVENT.DELETE, resource)
  const removed = tree.remove(resource.ri)
  if (resource.ty === RESOURCE_TYPE.CONTENT_INSTANCE && parent?.ty === RESOURCE_TYPE.CONTAINER) {
    parent.attrs['cni'] = Math.max(0, Number(parent.attrs['cni'] ?? 0) - 1)
    parent.attrs['cbs'] = Math.max(0, Number(parent.attrs['cbs'] ?? 0) - Number(resource.attrs['cs'] ?? 0))
  }
  if (notify && parent !== undefined) raiseEvent(ctx, parent, NOTIFICATION_EVENT.DELETE_CHILD, resource, { expired: (sub) => removeResource(ctx, sub) })
  for (const { sub, sur } of deletedSubs) subscriptionDeleted(ctx, sub, sur)
  return removed
}

/** Drops the oldest contentInstances until cni ≤ mni and cbs ≤ mbs (when those are set). */
export function trimContainer(ctx: CseContext, container: CseResource): void {
  const over = (): boolean => {
    const { cni, cbs, mni, mbs } = container.attrs
    return (typeof mni === 'number' && Number(cni) > mni) || (typeof mbs === 'number' && Number(cbs) > mbs)
  }
  while (over()) {
    const oldest = ctx.tree.children(container.ri, RESOURCE_TYPE.CONTENT_INSTANCE)[0]
    if (oldest === undefined) return
    removeResource(ctx, oldest, false)
  }
}
