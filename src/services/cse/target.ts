/**
 * From `to` to a resource of this CSE (TS-0004 §6.2.4, §7.3.2.8; wire.md §2.2): CSE-relative
 * structured (`cse-in/meter`, with `-` for the CSEBase name) or unstructured (`Cmeter01`, also
 * followed by child names), SP-relative (`/in-cse/…`) and absolute (`//sp/in-cse/…`) forms
 * with this CSE's own prefix. Another CSE's address gets 5103 TARGET_NOT_REACHABLE: the
 * reference CSE hosts, it does not forward. The virtual children `la` and `ol` of a container
 * (TS-0004 §7.4.6.2.x: latest / oldest contentInstance) resolve to that instance.
 */
import { DEFAULT_LIMITS, RESOURCE_TYPE, RSC, clip, parseTo, refused } from '../../onem2m/index.js'
import type { CseConfig } from './config.js'
import type { CseResource } from './resource.js'
import type { ResourceTree } from './resource-tree.js'

export interface ResolvedTarget {
  readonly resource: CseResource
  /** Set when the address ended in a container's `la` or `ol`. */
  readonly virtual?: 'la' | 'ol'
}

function localSegments(to: string, config: CseConfig): readonly string[] {
  const target = parseTo(to, DEFAULT_LIMITS.maxToLength)
  const s = target.segments
  switch (target.form) {
    case 'cse-relative':
      return s
    case 'sp-relative':
      if (s[0] === config.cseIdSegment && s.length > 1) return s.slice(1)
      break
    case 'absolute':
      if (`//${s[0] ?? ''}` === config.spId && s[1] === config.cseIdSegment && s.length > 2) return s.slice(2)
      break
  }
  throw refused(RSC.TARGET_NOT_REACHABLE, `'${clip(to)}' is not hosted by this CSE, which does not forward requests`)
}

/**
 * @throws OneM2mError 4004 NOT_FOUND when nothing answers to the address; 5103 for an address
 *         of another CSE; 4000 for a malformed `to`.
 */
export function resolveTarget(to: string, tree: ResourceTree, config: CseConfig): ResolvedTarget {
  const segments = localSegments(to, config)
  const [first = '', ...rest] = segments
  const start = first === config.cseBaseName || first === '-' ? tree.root : tree.get(first)
  let current = start
  for (let i = 0; i < rest.length && current !== undefined; i++) {
    const name = rest[i] as string
    if ((name === 'la' || name === 'ol') && current.ty === RESOURCE_TYPE.CONTAINER && i === rest.length - 1) {
      const instances = tree.children(current.ri, RESOURCE_TYPE.CONTENT_INSTANCE)
      const instance = name === 'la' ? instances.at(-1) : instances[0]
      if (instance === undefined) throw refused(RSC.NOT_FOUND, 'the container has no contentInstance')
      return { resource: instance, virtual: name }
    }
    current = tree.childByName(current.ri, name)
  }
  if (current === undefined) throw refused(RSC.NOT_FOUND, `no resource at '${clip(to)}'`)
  return { resource: current }
}
