/**
 * RETRIEVE (TS-0004 §7.3.3.3) with Result Content and partial retrieve (`atrl`, TS-0009
 * §6.2.2.2), and discovery (TS-0004 §7.3.3.15 / §7.3.3.17: Filter Criteria with fu=1) answering
 * `{"m2m:uril": [...]}` — structured CSE-relative addresses (drt 1, the default) or resourceIDs
 * (drt 2) of the descendants of the target that match `ty`, `lbl` and attribute conditions,
 * combined by `fo` (1 AND, default; 2 OR), limited by `lvl`, `ofst` and `lim`. Discovery lists
 * only resources the originator may operate on (access.ts), so a registree discovering from
 * <CSEBase> sees its own subtree. Filter Criteria without fu=1 (conditional retrieval) are not
 * evaluated.
 */
import {
  FILTER_USAGE, RSC, isJsonObject, type FilterCriteria, type JsonValue, type RequestPrimitive,
} from '../../onem2m/index.js'
import type { OneM2mReply } from '../../transport/index.js'
import { checkPrivilege, mayOperate, resolveOriginator, type Originator } from './access.js'
import type { CseContext } from './context.js'
import { reply } from './reply.js'
import { attributesOf, type CseResource } from './resource.js'
import { contentFor, representationOf, resultContentOf } from './result-content.js'
import { resolveTarget } from './target.js'

function checkReadable(ctx: CseContext, originator: Originator, resource: CseResource): void {
  // Every registree may read <CSEBase> itself (it has to learn csi, srt, poa …).
  if (resource === ctx.tree.root) return
  checkPrivilege(originator, resource)
}

function attributeList(pc: JsonValue | undefined): readonly string[] | undefined {
  if (!isJsonObject(pc)) return undefined
  const list = pc['m2m:atrl']
  return Array.isArray(list) ? list.filter((a: JsonValue): a is string => typeof a === 'string') : undefined
}

function text(value: JsonValue | undefined): string[] {
  if (Array.isArray(value)) return value.map((v: JsonValue) => (typeof v === 'string' ? v : JSON.stringify(v)))
  if (value === undefined || value === null) return []
  return [typeof value === 'string' ? value : JSON.stringify(value)]
}

/** The criteria of `fc` as predicates (one per criterion present). */
function predicates(fc: FilterCriteria): ((r: CseResource) => boolean)[] {
  const out: ((r: CseResource) => boolean)[] = []
  const { ty, lbl, atr } = fc
  if (ty !== undefined && ty.length > 0) out.push((r) => ty.includes(r.ty))
  if (lbl !== undefined && lbl.length > 0) out.push((r) => text(r.attrs['lbl']).some((l) => lbl.includes(l)))
  for (const condition of atr ?? []) out.push((r) => text(attributesOf(r)[condition.nm]).includes(condition.val))
  return out
}

/** Discovery: m2m:uril of the matching descendants of `base`. */
export function discover(ctx: CseContext, originator: Originator, base: CseResource, fc: FilterCriteria, drt: number | undefined): string[] {
  const tests = predicates(fc)
  const matches = (r: CseResource): boolean => tests.length === 0 || (fc.fo === 2 ? tests.some((t) => t(r)) : tests.every((t) => t(r)))
  const found: string[] = []
  let skipped = 0
  for (const r of ctx.tree.descendants(base.ri, fc.lvl ?? Number.POSITIVE_INFINITY)) {
    if (!mayOperate(originator, r) || !matches(r)) continue
    if (skipped < (fc.ofst ?? 0)) {
      skipped++
      continue
    }
    found.push(drt === 2 ? r.ri : ctx.tree.structuredPath(r))
    if (fc.lim !== undefined && found.length >= fc.lim) break
  }
  return found
}

export function retrieve(ctx: CseContext, p: RequestPrimitive): OneM2mReply {
  const originator = resolveOriginator(p.fr, ctx.tree, ctx.config)
  const { resource } = resolveTarget(p.to, ctx.tree, ctx.config)
  checkReadable(ctx, originator, resource)
  if (p.fc?.fu === FILTER_USAGE.DISCOVERY) {
    return reply(p, RSC.OK, { 'm2m:uril': discover(ctx, originator, resource, p.fc, p.drt) })
  }
  const rcn = resultContentOf(p.op, p.rcn)
  const only = attributeList(p.pc)
  return reply(p, RSC.OK, only !== undefined && rcn === 1 ? representationOf(resource, only) : contentFor(rcn, resource, ctx.tree))
}
