/**
 * The Content of a successful response, chosen by Result Content (TS-0004 §6.3.4.2.7, wire.md
 * §1.4): a resource as `{"m2m:<type>": {...}}` (TS-0004 §8.4.2), its address as `m2m:uri`, both
 * as `m2m:rce`, its child references (`ch`, or `m2m:rrl` alone) or its children inline. The
 * values each operation supports are listed in RCN_BY_OPERATION; any other is 4000.
 */
import { M2M_ROOT_BY_TYPE, OPERATION, malformed, type JsonObject, type JsonValue, type Operation } from '../../onem2m/index.js'
import { attributesOf, type CseResource } from './resource.js'
import type { ResourceTree } from './resource-tree.js'

/** Supported rcn per operation, default first (TS-0004 §7.3.3.x). */
export const RCN_BY_OPERATION: Readonly<Partial<Record<Operation, readonly number[]>>> = {
  [OPERATION.CREATE]: [1, 0, 2, 3],
  [OPERATION.RETRIEVE]: [1, 4, 5, 6],
  [OPERATION.UPDATE]: [1, 0, 9],
  [OPERATION.DELETE]: [0, 1],
}

/** The rcn to apply. @throws OneM2mError 4000 for a value the operation does not support here. */
export function resultContentOf(op: Operation, rcn: number | undefined): number {
  const allowed = RCN_BY_OPERATION[op] ?? [1]
  if (rcn === undefined) return allowed[0] as number
  if (!allowed.includes(rcn)) throw malformed(`rcn ${rcn} is not supported for this operation (supported: ${allowed.join(', ')})`)
  return rcn
}

export function rootOf(resource: CseResource): string {
  return M2M_ROOT_BY_TYPE[resource.ty as keyof typeof M2M_ROOT_BY_TYPE] ?? `m2m:ty${resource.ty}`
}

/** `{"m2m:<type>": attributes}`, or only the attributes named in `only` (partial retrieve). */
export function representationOf(resource: CseResource, only?: readonly string[]): JsonObject {
  const all = attributesOf(resource)
  const value = only === undefined ? all : Object.fromEntries(only.filter((n) => Object.hasOwn(all, n)).map((n) => [n, all[n] as JsonValue]))
  return Object.fromEntries([[rootOf(resource), value]]) as JsonObject
}

function childReferences(resource: CseResource, tree: ResourceTree): JsonValue[] {
  return tree.children(resource.ri).map((c) => ({ nm: c.rn, typ: c.ty, val: tree.structuredPath(c) }))
}

/** The Content for `rcn` (already checked with resultContentOf). */
export function contentFor(rcn: number, resource: CseResource, tree: ResourceTree, modified?: JsonObject): JsonObject | undefined {
  const root = rootOf(resource)
  switch (rcn) {
    case 0:
      return undefined
    case 2:
      return { 'm2m:uri': tree.structuredPath(resource) }
    case 3:
      return { 'm2m:rce': { ...representationOf(resource), uri: tree.structuredPath(resource) } }
    case 4: {
      // Children inline, grouped by their root name, as ACME renders them.
      const value: Record<string, JsonValue> = { ...attributesOf(resource) }
      for (const child of tree.children(resource.ri)) {
        const list = (value[rootOf(child)] as JsonValue[] | undefined) ?? []
        list.push(attributesOf(child))
        value[rootOf(child)] = list
      }
      return Object.fromEntries([[root, value]]) as JsonObject
    }
    case 5:
      return Object.fromEntries([[root, { ...attributesOf(resource), ch: childReferences(resource, tree) }]]) as JsonObject
    case 6:
      return { 'm2m:rrl': { rrf: childReferences(resource, tree) } }
    case 9:
      return Object.fromEntries([[root, modified ?? {}]]) as JsonObject
    default:
      return representationOf(resource)
  }
}
