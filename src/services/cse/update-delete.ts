/**
 * UPDATE (TS-0004 §7.3.3.4: writable attributes only, `null` deletes one; a container's new
 * mni/mbs applies at once; subscribers of the resource hear net 1) and DELETE (TS-0004
 * §7.3.3.5: the subtree goes with it; `la`/`ol` delete that contentInstance). <CSEBase> can be
 * neither updated nor deleted (4005 OPERATION_NOT_ALLOWED); neither can a contentInstance be
 * updated (4005, attributes.ts).
 */
import { RESOURCE_TYPE, RSC, isJsonObject, malformed, readRepresentation, refused, formatTimestamp, type JsonObject, type JsonValue, type RequestPrimitive } from '../../onem2m/index.js'
import type { OneM2mReply } from '../../transport/index.js'
import { checkPrivilege, resolveOriginator } from './access.js'
import { NOTIFICATION_EVENT, TYPE_RULES, checkAttributes } from './attributes.js'
import type { CseContext } from './context.js'
import { raiseEvent } from './notifications.js'
import { removeResource, trimContainer } from './removal.js'
import { reply } from './reply.js'
import { contentFor, resultContentOf } from './result-content.js'
import { resolveTarget } from './target.js'

export function update(ctx: CseContext, p: RequestPrimitive): OneM2mReply {
  const rcn = resultContentOf(p.op, p.rcn)
  const originator = resolveOriginator(p.fr, ctx.tree, ctx.config)
  const { resource } = resolveTarget(p.to, ctx.tree, ctx.config)
  if (resource === ctx.tree.root) throw refused(RSC.OPERATION_NOT_ALLOWED, 'the CSEBase cannot be updated')
  checkPrivilege(originator, resource)
  const rule = TYPE_RULES.get(resource.ty)
  if (rule === undefined) throw refused(RSC.OPERATION_NOT_ALLOWED, 'this resource cannot be updated')
  const representation = readRepresentation(p.pc, resource.ty)
  if (!isJsonObject(representation.value)) throw malformed('the Content must be an object')
  const changes: Record<string, JsonValue> = { ...representation.value }
  checkAttributes(rule, changes, true)
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete resource.attrs[name]
    else resource.attrs[name] = value
  }
  resource.lt = formatTimestamp(ctx.now())
  if (resource.ty === RESOURCE_TYPE.CONTAINER) {
    resource.attrs['st'] = Number(resource.attrs['st'] ?? 0) + 1
    trimContainer(ctx, resource)
  }
  const modified: JsonObject = { ...changes, lt: resource.lt }
  raiseEvent(ctx, resource, NOTIFICATION_EVENT.UPDATE, resource, { modified, expired: (sub) => removeResource(ctx, sub) })
  return reply(p, RSC.UPDATED, contentFor(rcn, resource, ctx.tree, modified))
}

export function remove(ctx: CseContext, p: RequestPrimitive): OneM2mReply {
  const rcn = resultContentOf(p.op, p.rcn)
  const originator = resolveOriginator(p.fr, ctx.tree, ctx.config)
  const { resource } = resolveTarget(p.to, ctx.tree, ctx.config)
  if (resource === ctx.tree.root) throw refused(RSC.OPERATION_NOT_ALLOWED, 'the CSEBase cannot be deleted')
  checkPrivilege(originator, resource)
  const content = contentFor(rcn, resource, ctx.tree)
  removeResource(ctx, resource)
  return reply(p, RSC.DELETED, content)
}
