/**
 * CREATE (TS-0004 §7.3.3.2 generic procedure, §7.4.x per type): registration of an <AE>
 * (wire.md §5; AE-ID rules in ae-id.ts) and of a <remoteCSE> (wire.md §8), and container,
 * contentInstance (with the parent container's cni/cbs/st bookkeeping and mni/mbs limits,
 * TS-0004 §7.4.6–§7.4.7) and subscription (verification request, notifications.ts).
 *
 * Refusals: 4108 INVALID_CHILD_RESOURCE_TYPE for a type this CSE does not host under that parent
 * (or at all); 4000 for a Content that does not match `ty` or carries attributes the type does
 * not allow; 4105 CONFLICT for a duplicate resourceName among siblings; 4117
 * ORIGINATOR_HAS_ALREADY_REGISTERED for a second <AE> with the same AE-ID or a second
 * <remoteCSE> with the same CSE-ID; 4005 when a <remoteCSE> is requested by an AE originator;
 * 5207 NOT_ACCEPTABLE for a contentInstance larger than its container's mbs.
 */
import { Buffer } from 'node:buffer'
import { parseCseId } from '../../core/index.js'
import {
  RESOURCE_TYPE, RSC, formatTimestamp, isJsonObject, malformed, readRepresentation, refused, type JsonValue, type RequestPrimitive,
} from '../../onem2m/index.js'
import type { OneM2mReply } from '../../transport/index.js'
import { checkPrivilege, resolveOriginator, type Originator } from './access.js'
import { assignAeId, randomId } from './ae-id.js'
import { NOTIFICATION_EVENT, TYPE_RULES, checkAttributes } from './attributes.js'
import type { CseContext } from './context.js'
import { raiseEvent, verifyTargets } from './notifications.js'
import { removeResource, trimContainer } from './removal.js'
import { reply } from './reply.js'
import type { CseResource } from './resource.js'
import { contentFor, resultContentOf } from './result-content.js'
import { resolveTarget } from './target.js'

const PREFIX: Readonly<Record<number, string>> = { [RESOURCE_TYPE.CONTAINER]: 'cnt', [RESOURCE_TYPE.CONTENT_INSTANCE]: 'cin', [RESOURCE_TYPE.SUBSCRIPTION]: 'sub' }

function base(ctx: CseContext, ty: number, ri: string, rn: string, parent: CseResource, attrs: Record<string, JsonValue>, owner: string | undefined): CseResource {
  const now = formatTimestamp(ctx.now())
  return { ty, ri, rn, pi: parent.ri, ct: now, lt: now, attrs, ...(owner === undefined ? {} : { owner }) }
}

function splitName(attrs: Readonly<Record<string, JsonValue>>): { rn?: string; rest: Record<string, JsonValue> } {
  const { rn, ...rest } = attrs
  return typeof rn === 'string' ? { rn, rest } : { rest }
}

function registerAe(ctx: CseContext, p: RequestPrimitive, parent: CseResource, attrs: Record<string, JsonValue>): CseResource {
  const aei = assignAeId(p.fr, ctx.config)
  if (ctx.tree.get(aei) !== undefined) throw refused(RSC.ORIGINATOR_HAS_ALREADY_REGISTERED, `an AE with AE-ID '${aei}' is already registered`)
  const { rn, rest } = splitName(attrs)
  return base(ctx, RESOURCE_TYPE.AE, aei, rn ?? aei, parent, { ...rest, aei }, aei)
}

function registerCse(ctx: CseContext, p: RequestPrimitive, parent: CseResource, attrs: Record<string, JsonValue>): CseResource {
  if (ctx.config.cseType === 3) throw refused(RSC.OPERATION_NOT_ALLOWED, 'an ASN-CSE accepts no CSE registration')
  let parsed
  try {
    parsed = parseCseId(p.fr ?? '')
  } catch {
    throw malformed('the originator of a CSE registration must be a CSE-ID')
  }
  // A bare stem is an AE-ID (or a CSE-relative CSE-ID): an AE may never register as a CSE (wire.md §8).
  if (parsed.form === 'cse-relative') throw refused(RSC.OPERATION_NOT_ALLOWED, 'an AE cannot register a remoteCSE')
  if (parsed.spId !== undefined && parsed.spId !== ctx.config.spId) throw malformed('the registering CSE belongs to another M2M-SP-ID')
  const csi = parsed.spRelative
  if (csi === ctx.config.cseId) throw malformed('a CSE cannot register with itself')
  if (ctx.tree.get(parsed.cseId) !== undefined) throw refused(RSC.ORIGINATOR_HAS_ALREADY_REGISTERED, `a CSE with CSE-ID '${csi}' is already registered`)
  const { rn, rest } = splitName(attrs)
  return base(ctx, RESOURCE_TYPE.REMOTE_CSE, parsed.cseId, rn ?? parsed.cseId, parent, { ...rest, csi }, csi)
}

function contentSize(con: JsonValue | undefined): number {
  return Buffer.byteLength(typeof con === 'string' ? con : JSON.stringify(con ?? ''), 'utf8')
}

function childOf(ctx: CseContext, ty: number, parent: CseResource, attrs: Record<string, JsonValue>, originator: Originator): CseResource {
  const prefix = PREFIX[ty] ?? 'res'
  const { rn, rest } = splitName(attrs)
  const owner = parent.owner ?? (originator.kind === 'admin' ? undefined : originator.id)
  const resource = base(ctx, ty, randomId(prefix), rn ?? randomId(`${prefix}_`), parent, rest, owner)
  if (ty === RESOURCE_TYPE.CONTAINER) Object.assign(resource.attrs, { cni: 0, cbs: 0, st: 0 })
  if (ty === RESOURCE_TYPE.CONTENT_INSTANCE) {
    const cs = contentSize(rest['con'])
    const mbs = parent.attrs['mbs']
    if (typeof mbs === 'number' && cs > mbs) throw refused(RSC.NOT_ACCEPTABLE, `the content (${cs} bytes) is larger than the container's maxByteSize`)
    Object.assign(resource.attrs, { cs, st: 0 })
  }
  return resource
}

function addInstance(ctx: CseContext, container: CseResource, instance: CseResource): void {
  const a = container.attrs
  a['cni'] = Number(a['cni'] ?? 0) + 1
  a['cbs'] = Number(a['cbs'] ?? 0) + Number(instance.attrs['cs'] ?? 0)
  a['st'] = Number(a['st'] ?? 0) + 1
  instance.attrs['st'] = a['st'] as number
  container.lt = instance.ct
  trimContainer(ctx, container)
}

/** CREATE of any hosted type under the resource `p.to` names. */
export async function create(ctx: CseContext, p: RequestPrimitive): Promise<OneM2mReply> {
  const rcn = resultContentOf(p.op, p.rcn)
  const ty = p.ty as number
  const target = resolveTarget(p.to, ctx.tree, ctx.config)
  if (target.virtual !== undefined) throw refused(RSC.OPERATION_NOT_ALLOWED, 'nothing can be created under la or ol')
  const parent = target.resource
  const rule = TYPE_RULES.get(ty)
  if (rule === undefined || !rule.parents.includes(parent.ty)) throw refused(RSC.INVALID_CHILD_RESOURCE_TYPE, `resource type ${ty} cannot be created here`)
  const representation = readRepresentation(p.pc, ty)
  if (!isJsonObject(representation.value)) throw malformed('the Content must be an object')
  const { cr, ...attrs } = representation.value
  // TS-0004 §9.6.1.3: `cr` may only be sent as null, asking the hosting CSE to record the creator.
  if (cr !== undefined && (cr !== null || ty === RESOURCE_TYPE.AE || ty === RESOURCE_TYPE.REMOTE_CSE)) throw malformed('creator (cr) may only be null, and not in a registration')
  checkAttributes(rule, attrs, false)
  let resource: CseResource
  if (ty === RESOURCE_TYPE.AE) resource = registerAe(ctx, p, parent, attrs)
  else if (ty === RESOURCE_TYPE.REMOTE_CSE) resource = registerCse(ctx, p, parent, attrs)
  else {
    const originator = resolveOriginator(p.fr, ctx.tree, ctx.config)
    checkPrivilege(originator, parent)
    resource = childOf(ctx, ty, parent, attrs, originator)
    if (cr === null) resource.attrs['cr'] = originator.id
    if (ty === RESOURCE_TYPE.SUBSCRIPTION) {
      if (ctx.tree.childByName(parent.ri, resource.rn) !== undefined) throw refused(RSC.CONFLICT, `a resource named '${resource.rn}' already exists here`)
      const sur = `${ctx.config.cseId}/${ctx.tree.structuredPath(parent)}/${resource.rn}`
      await verifyTargets(ctx, resource, sur, originator.id)
    }
  }
  ctx.tree.add(resource)
  if (ty === RESOURCE_TYPE.CONTENT_INSTANCE) addInstance(ctx, parent, resource)
  if (ty !== RESOURCE_TYPE.SUBSCRIPTION) {
    raiseEvent(ctx, parent, NOTIFICATION_EVENT.CREATE_CHILD, resource, { expired: (sub) => removeResource(ctx, sub) })
  }
  return reply(p, RSC.CREATED, contentFor(rcn, resource, ctx.tree), ctx.tree.structuredPath(resource))
}
