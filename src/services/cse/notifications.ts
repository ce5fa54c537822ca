/**
 * Notifications of <subscription> (TS-0004 §7.4.8, §7.5.1; TS-0009 NOTIFY = POST without `ty`;
 * wire.md §9.2): which subscriptions an event concerns (eventNotificationCriteria `net`, default
 * 1 "update of resource"), the `m2m:sgn` body (nev.rep per notificationContentType, nev.net,
 * sur), where it goes (a URL in `nu` as is; an AE-ID or CSE-ID in `nu` → the first http(s)
 * pointOfAccess of that registree, if it is request-reachable), and expirationCounter.
 *
 * Choice (verification request, TS-0004 §7.3.8.2.1 / wire.md §9.2): on CREATE of a subscription
 * the CSE sends `{"m2m:sgn": {"vrq": true, "sur", "cr"}}` to every `nu` that is not the
 * originator itself (a URL always counts as another target: the CSE cannot tell whose it is) and
 * waits for 2000; any other answer, or none, fails the CREATE with 5204
 * SUBSCRIPTION_VERIFICATION_INITIATION_FAILED and the subscription is not created.
 * Event notifications, by contrast, go out in the background after the triggering request has
 * been answered; a failed delivery is reported (M2MSEC_CSE_NOTIFY_FAILED), never retried.
 */
import { DEFAULT_RELEASE_VERSION, OPERATION, RESOURCE_TYPE, RSC, isJsonObject, refused, type JsonObject, type JsonValue, type RequestPrimitive } from '../../onem2m/index.js'
import { localAeStem, randomId } from './ae-id.js'
import { localCseId, registeredAe, registeredCse } from './access.js'
import { NOTIFICATION_EVENT } from './attributes.js'
import type { CseContext } from './context.js'
import { notifyFailed } from './errors.js'
import type { CseResource } from './resource.js'
import { representationOf } from './result-content.js'

const URL_RE = /^https?:\/\//i

/** SP-relative structured address of a subscription: the `sur` of its notifications. */
export function subscriptionReference(ctx: CseContext, sub: CseResource): string {
  return `${ctx.config.cseId}/${ctx.tree.structuredPath(sub)}`
}

function notificationTypes(sub: CseResource): readonly number[] {
  const enc = sub.attrs['enc']
  const net = isJsonObject(enc) ? enc['net'] : undefined
  return Array.isArray(net) ? (net as number[]) : [NOTIFICATION_EVENT.UPDATE]
}

/** The registree a non-URL `nu` names (AE-ID or CSE-ID of this CSE), if registered. */
function registreeOf(ctx: CseContext, nu: string): CseResource | undefined {
  const stem = localAeStem(nu, ctx.config)
  const ae = stem === undefined ? undefined : registeredAe(ctx.tree, stem)
  if (ae !== undefined) return ae
  const csi = localCseId(nu, ctx.config)
  return csi === undefined ? undefined : registeredCse(ctx.tree, csi)
}

/** The URL a `nu` entry is delivered to, or undefined when it names nothing reachable. */
export function deliveryUrl(ctx: CseContext, nu: string): string | undefined {
  if (URL_RE.test(nu)) return nu
  const registree = registreeOf(ctx, nu)
  if (registree === undefined || registree.attrs['rr'] !== true) return undefined
  const poa = registree.attrs['poa']
  return Array.isArray(poa) ? (poa.find((p: JsonValue) => typeof p === 'string' && URL_RE.test(p)) as string | undefined) : undefined
}

function notifyPrimitive(ctx: CseContext, nu: string, sgn: JsonObject): RequestPrimitive {
  // `to` travels only in the request path, and the URL decides that; an ID target keeps its ID.
  return { op: OPERATION.NOTIFY, to: URL_RE.test(nu) ? ctx.config.cseId : nu, fr: ctx.config.cseId, rqi: randomId('ntfy-'), rvi: DEFAULT_RELEASE_VERSION, pc: { 'm2m:sgn': sgn } }
}

async function deliver(ctx: CseContext, nu: string, sgn: JsonObject): Promise<void> {
  const url = deliveryUrl(ctx, nu)
  if (url === undefined) throw notifyFailed('the notification target has no reachable http(s) pointOfAccess')
  const response = await ctx.send(url, notifyPrimitive(ctx, nu, sgn))
  if (response.rsc !== RSC.OK) throw notifyFailed(`the notification target answered ${response.rsc}`)
}

function targetsOf(sub: CseResource): string[] {
  const nu = sub.attrs['nu']
  return Array.isArray(nu) ? nu.filter((n: JsonValue): n is string => typeof n === 'string') : []
}

/**
 * Sends the verification request to every `nu` other than the originator's own ID.
 * @throws OneM2mError 5204 when a target refuses or cannot be reached.
 */
export async function verifyTargets(ctx: CseContext, sub: CseResource, sur: string, creator: string): Promise<void> {
  for (const nu of targetsOf(sub)) {
    if (!URL_RE.test(nu) && localAeStem(nu, ctx.config) === creator) continue
    if (!URL_RE.test(nu) && localCseId(nu, ctx.config) === creator) continue
    try {
      await deliver(ctx, nu, { vrq: true, sur, cr: creator })
    } catch (error) {
      throw refused(RSC.SUBSCRIPTION_VERIFICATION_INITIATION_FAILED, 'a notification target did not accept the verification request', { cause: error })
    }
  }
}

function representationFor(sub: CseResource, subject: CseResource, modified: JsonObject | undefined, tree: CseContext['tree']): JsonValue {
  switch (sub.attrs['nct']) {
    case 2:
      return modified === undefined ? representationOf(subject) : Object.fromEntries([[Object.keys(representationOf(subject))[0] as string, modified]]) as JsonObject
    case 3:
      return { 'm2m:uri': tree.structuredPath(subject) }
    default:
      return representationOf(subject)
  }
}

/** Delivers one notification to every target of `sub` in the background, then counts it (exc). */
function notifyOne(ctx: CseContext, sub: CseResource, sgn: JsonObject, net?: number, onCounted?: () => void): void {
  const sur = String(sgn['sur'])
  for (const nu of targetsOf(sub)) {
    ctx.background(deliver(ctx, nu, sgn).then(
      () => ctx.emit({ type: 'notification-sent', target: nu, subscription: sur, ...(net === undefined ? {} : { net }) }),
      (error: unknown) => ctx.emit({ type: 'notification-failed', target: nu, subscription: sur, error }),
    ))
  }
  onCounted?.()
}

/**
 * Raises event `net` on `subscribedTo` (whose <subscription> children are consulted): `subject`
 * is the resource the event is about (the child for 3/4, the resource itself for 1/2).
 * `expired` receives subscriptions whose expirationCounter just reached 0.
 */
export function raiseEvent(
  ctx: CseContext, subscribedTo: CseResource, net: number, subject: CseResource, options: { readonly modified?: JsonObject; readonly subscriptions?: readonly CseResource[]; readonly expired?: (sub: CseResource) => void } = {},
): void {
  const subs = options.subscriptions ?? ctx.tree.children(subscribedTo.ri, RESOURCE_TYPE.SUBSCRIPTION)
  for (const sub of subs) {
    if (!notificationTypes(sub).includes(net)) continue
    const sgn: JsonObject = { nev: { rep: representationFor(sub, subject, options.modified, ctx.tree), net }, sur: subscriptionReference(ctx, sub) }
    notifyOne(ctx, sub, sgn, net, () => {
      const exc = sub.attrs['exc']
      if (typeof exc !== 'number') return
      sub.attrs['exc'] = exc - 1
      if (exc - 1 <= 0) options.expired?.(sub)
    })
  }
}

/** TS-0004 §7.4.8.2.4: a deleted subscription tells its subscriberURI (`su`), if it has one. */
export function subscriptionDeleted(ctx: CseContext, sub: CseResource, sur: string): void {
  const su = sub.attrs['su']
  if (typeof su !== 'string') return
  const sgn: JsonObject = { sud: true, sur }
  ctx.background(deliver(ctx, su, sgn).then(
    () => ctx.emit({ type: 'notification-sent', target: su, subscription: sur }),
    (error: unknown) => ctx.emit({ type: 'notification-failed', target: su, subscription: sur, error }),
  ))
}
