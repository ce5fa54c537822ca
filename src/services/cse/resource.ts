/**
 * One resource of the reference CSE's tree (TS-0001 §9.6, TS-0004 §7.4): its universal
 * attributes (TS-0004 §8.2.3: ty, ri, rn, pi, ct, lt, et) kept apart from the type-specific and
 * writable ones (`attrs`, short names only), plus the internal `owner` — the AE-ID or CSE-ID
 * whose registration the resource belongs to, which drives the access rule in access.ts. The
 * owner never leaves the CSE (it is not the `cr` attribute, which the CSE does not support).
 */
import type { JsonObject, JsonValue } from '../../onem2m/index.js'

export interface CseResource {
  readonly ty: number
  readonly ri: string
  readonly rn: string
  /** Absent only for <CSEBase>. */
  readonly pi?: string
  readonly ct: string
  lt: string
  /** Type-specific and writable universal attributes (lbl, et, st …), short names. */
  attrs: Record<string, JsonValue>
  /** AE-ID stem or SP-relative CSE-ID of the registree this resource belongs to. */
  readonly owner?: string
}

/** The attribute members of a resource's representation (short names, TS-0004 §8.4.2). */
export function attributesOf(resource: CseResource): JsonObject {
  const universal: Record<string, JsonValue> = { ty: resource.ty, ri: resource.ri, rn: resource.rn, ct: resource.ct, lt: resource.lt }
  if (resource.pi !== undefined) universal['pi'] = resource.pi
  return { ...universal, ...resource.attrs }
}
