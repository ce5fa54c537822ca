/**
 * Who the originator is and what it may touch. The reference CSE trusts `fr` (the gateway in
 * front authenticated it, TS-0003 §7.2.1), so this is the plain Registrar check of wire.md §6 for
 * requests without an SA — an AE-ID or CSE-ID must belong to a registered <AE> / <remoteCSE>, else
 * 4106 ORIGINATOR_NOT_AUTHENTICATED — plus a fixed access rule in place of <accessControlPolicy>
 * (not implemented here): a registree may operate on the resources of its own registration
 * subtree only (4103 ORIGINATOR_HAS_NO_PRIVILEGE otherwise); <CSEBase> may be retrieved and
 * discovered by every registree; the configured admin originator may do everything.
 */
import { parseCseId } from '../../core/index.js'
import { RESOURCE_TYPE, RSC, refused } from '../../onem2m/index.js'
import { localAeStem } from './ae-id.js'
import type { CseConfig } from './config.js'
import type { CseResource } from './resource.js'
import type { ResourceTree } from './resource-tree.js'

export type Originator =
  | { readonly kind: 'admin'; readonly id: string }
  | { readonly kind: 'ae'; readonly id: string; readonly resource: CseResource }
  | { readonly kind: 'cse'; readonly id: string; readonly resource: CseResource }

/** The SP-relative CSE-ID `fr` names when it is a CSE-ID of this SP, else undefined. */
export function localCseId(fr: string, config: CseConfig): string | undefined {
  try {
    const parsed = parseCseId(fr)
    if (parsed.form === 'cse-relative') return undefined
    if (parsed.spId !== undefined && parsed.spId !== config.spId) return undefined
    return parsed.spRelative
  } catch {
    return undefined
  }
}

/** The registered AE with this stem, if any (its resourceID is the stem, wire.md §5.2). */
export function registeredAe(tree: ResourceTree, stem: string): CseResource | undefined {
  const r = tree.get(stem)
  return r?.ty === RESOURCE_TYPE.AE ? r : undefined
}

/** The registered remoteCSE with this SP-relative CSE-ID, if any (its resourceID is the CSE-ID without '/'). */
export function registeredCse(tree: ResourceTree, spRelativeCseId: string): CseResource | undefined {
  const r = tree.get(spRelativeCseId.slice(1))
  return r?.ty === RESOURCE_TYPE.REMOTE_CSE && r.attrs['csi'] === spRelativeCseId ? r : undefined
}

/**
 * The registree behind `fr`.
 * @throws OneM2mError 4106 when `fr` is absent or names nothing registered here.
 */
export function resolveOriginator(fr: string | undefined, tree: ResourceTree, config: CseConfig): Originator {
  if (fr === undefined) throw refused(RSC.ORIGINATOR_NOT_AUTHENTICATED, 'the request has no originator')
  if (config.adminOriginator !== undefined && fr === config.adminOriginator) return { kind: 'admin', id: fr }
  const stem = localAeStem(fr, config)
  const ae = stem === undefined ? undefined : registeredAe(tree, stem)
  if (ae !== undefined && stem !== undefined) return { kind: 'ae', id: stem, resource: ae }
  const csi = localCseId(fr, config)
  const cse = csi === undefined ? undefined : registeredCse(tree, csi)
  if (cse !== undefined && csi !== undefined) return { kind: 'cse', id: csi, resource: cse }
  throw refused(RSC.ORIGINATOR_NOT_AUTHENTICATED, 'the originator is not registered with this CSE')
}

/** True when `originator` may operate on `resource` beyond retrieving <CSEBase>. */
export function mayOperate(originator: Originator, resource: CseResource): boolean {
  return originator.kind === 'admin' || (resource.owner !== undefined && resource.owner === originator.id)
}

/** @throws OneM2mError 4103 when `originator` may not operate on `resource`. */
export function checkPrivilege(originator: Originator, resource: CseResource): void {
  if (!mayOperate(originator, resource)) throw refused(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, 'the originator has no privilege on this resource')
}
