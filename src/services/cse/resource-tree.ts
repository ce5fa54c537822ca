/**
 * The reference CSE's resource tree (TS-0001 §9.2 resource structure; TS-0004 §6.2.4 addressing):
 * resources indexed by resourceID (unstructured, unique in this CSE) and by (parent, resourceName)
 * for structured paths, children in creation order (TS-0004 §7.4.x: `la`/`ol` and the oldest
 * contentInstance to drop come from that order).
 *
 * State is in memory: the reference CSE is a single process for development, tests and the
 * gateway's end-to-end flow, and forgets its resources when it stops (docs: serve-cse.ts). A
 * class because the three indexes must change together.
 */
import { RSC, refused } from '../../onem2m/index.js'
import type { CseResource } from './resource.js'

export class ResourceTree {
  readonly #byRi = new Map<string, CseResource>()
  readonly #children = new Map<string, string[]>()
  readonly #byName = new Map<string, string>()
  readonly root: CseResource

  constructor(root: CseResource) {
    this.root = root
    this.#byRi.set(root.ri, root)
    this.#children.set(root.ri, [])
  }

  get size(): number {
    return this.#byRi.size
  }

  get(ri: string): CseResource | undefined {
    return this.#byRi.get(ri)
  }

  parentOf(resource: CseResource): CseResource | undefined {
    return resource.pi === undefined ? undefined : this.#byRi.get(resource.pi)
  }

  childByName(parentRi: string, rn: string): CseResource | undefined {
    const ri = this.#byName.get(nameKey(parentRi, rn))
    return ri === undefined ? undefined : this.#byRi.get(ri)
  }

  /** Direct children in creation order, optionally of one type. */
  children(parentRi: string, ty?: number): CseResource[] {
    const out: CseResource[] = []
    for (const ri of this.#children.get(parentRi) ?? []) {
      const child = this.#byRi.get(ri)
      if (child !== undefined && (ty === undefined || child.ty === ty)) out.push(child)
    }
    return out
  }

  /**
   * Adds a resource under its parent.
   * @throws OneM2mError 4004 when the parent is gone; 4105 CONFLICT when the parent already has a
   *         child with that resourceName or the resourceID is taken (TS-0004 §7.3.3.2).
   */
  add(resource: CseResource): void {
    const pi = resource.pi
    if (pi === undefined || !this.#byRi.has(pi)) throw refused(RSC.NOT_FOUND, 'the parent resource does not exist')
    if (this.#byName.has(nameKey(pi, resource.rn))) throw refused(RSC.CONFLICT, `a resource named '${resource.rn}' already exists here`)
    if (this.#byRi.has(resource.ri)) throw refused(RSC.CONFLICT, `resourceID '${resource.ri}' is already in use`)
    this.#byRi.set(resource.ri, resource)
    this.#children.set(resource.ri, [])
    this.#children.get(pi)?.push(resource.ri)
    this.#byName.set(nameKey(pi, resource.rn), resource.ri)
  }

  /**
   * Removes a resource and its whole subtree (TS-0004 §7.3.3.5: children go with their parent).
   * Returns the removed resources, children before their parents. The root cannot be removed.
   */
  remove(ri: string): CseResource[] {
    const resource = this.#byRi.get(ri)
    if (resource === undefined || resource === this.root) return []
    const removed: CseResource[] = []
    for (const child of this.children(ri)) removed.push(...this.remove(child.ri))
    this.#byRi.delete(ri)
    this.#children.delete(ri)
    if (resource.pi !== undefined) {
      this.#byName.delete(nameKey(resource.pi, resource.rn))
      const siblings = this.#children.get(resource.pi)
      const at = siblings?.indexOf(ri) ?? -1
      if (siblings !== undefined && at >= 0) siblings.splice(at, 1)
    }
    removed.push(resource)
    return removed
  }

  /** Structured CSE-relative address, `cse-in/meter/data` (TS-0004 §6.2.4). */
  structuredPath(resource: CseResource): string {
    const names: string[] = []
    for (let r: CseResource | undefined = resource; r !== undefined; r = this.parentOf(r)) names.push(r.rn)
    return names.reverse().join('/')
  }

  /** The resource a structured path names below the root (segments after the CSEBase name). */
  resolve(segments: readonly string[]): CseResource | undefined {
    let current: CseResource | undefined = this.root
    for (const rn of segments) {
      if (current === undefined) return undefined
      current = this.childByName(current.ri, rn)
    }
    return current
  }

  /** Descendants of `ri` in pre-order (parents before children), down to `maxLevel` levels. */
  *descendants(ri: string, maxLevel = Number.POSITIVE_INFINITY, level = 1): Generator<CseResource> {
    if (level > maxLevel) return
    for (const child of this.children(ri)) {
      yield child
      yield* this.descendants(child.ri, maxLevel, level + 1)
    }
  }

  /** The nearest resource at or above `resource` for which `predicate` holds. */
  ancestorOrSelf(resource: CseResource, predicate: (r: CseResource) => boolean): CseResource | undefined {
    for (let r: CseResource | undefined = resource; r !== undefined; r = this.parentOf(r)) if (predicate(r)) return r
    return undefined
  }
}

// A NUL never appears in a checked ri or rn, so the key is unambiguous.
function nameKey(parentRi: string, rn: string): string {
  return `${parentRi}\u0000${rn}`
}
