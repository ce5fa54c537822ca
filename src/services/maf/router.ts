/**
 * The MAF's request router (mef-maf-interface.md §2.3, §3.7, §3.9, §4.1): checks that the request
 * names this MAF (Host = MAF-FQDN, else 4004) and that `fr` is the authenticated MAF Client
 * (else 4106), maps the `to` forms — `maf`, `maf/<regId>`, `<regId>`, `maf/<RelativeKeyID>`, and
 * the absolute `//<fqdn>/…` spelling of each — and the operation to one procedure.
 */
import { MEF_MAF_PATHS, MEF_MAF_RESOURCE_TYPE, OPERATION, RSC, formatTo, parseTo, refused } from '../../onem2m/index.js'
import type { RequestPrimitive } from '../../onem2m/index.js'
import type { OneM2mReply } from '../../transport/index.js'
import type { MafDeps, MafPeer, MafRequest } from './context.js'
import {
  createClientRegistration, deleteClientRegistration, retrieveClientRegistration, updateClientRegistration,
} from './procedures/client-registration.js'
import { deregisterKey } from './procedures/key-deregistration.js'
import { registerKey } from './procedures/key-registration.js'
import { retrieveKey } from './procedures/key-retrieval.js'
import { updateKeyRegistration } from './procedures/key-update.js'
import { retrieveMafBase } from './procedures/maf-base.js'

export type MafRoute =
  | { readonly kind: 'base' }
  | { readonly kind: 'registration'; readonly regId: string }
  | { readonly kind: 'key'; readonly relativeKeyId: string }

export interface RoutedTarget {
  readonly route: MafRoute
  /** `#attribute` of a partial RETRIEVE. */
  readonly attribute?: string
  readonly to: string
}

/** `mcr` + 16 upper-case letters/digits (store D-53). */
const REG_ID_RE = /^mcr[A-Z0-9]{16}$/
/** sec:relKeyID (TS-0003 12.2); this MAF issues 32 hex digits (OQ-12), compared upper-cased (OQ-2). */
const RELATIVE_KEY_ID_RE = /^[A-Za-z0-9._-]{1,64}$/
const BASE = MEF_MAF_PATHS.mafBaseName

function notFound(to: string): never {
  throw refused(RSC.NOT_FOUND, `no MAF resource at ${to.length > 80 ? `${to.slice(0, 80)}…` : to}`)
}

function routeSegments(segments: readonly string[], to: string): MafRoute {
  const [first, second, ...rest] = segments
  if (rest.length > 0 || first === undefined) return notFound(to)
  if (first === BASE) {
    if (second === undefined) return { kind: 'base' }
    if (REG_ID_RE.test(second)) return { kind: 'registration', regId: second }
    if (RELATIVE_KEY_ID_RE.test(second)) return { kind: 'key', relativeKeyId: /^[0-9A-Fa-f]+$/.test(second) ? second.toUpperCase() : second }
    return notFound(to)
  }
  // The unstructured form `<regId>` (§3.9).
  if (second === undefined && REG_ID_RE.test(first)) return { kind: 'registration', regId: first }
  return notFound(to)
}

/**
 * Resolves a `to` value against this MAF.
 * @throws OneM2mError 4004 for another server's or an unknown resource; 4000 for a malformed `to`.
 */
export function routeTo(to: string, fqdn: string, maxLength = 2048): RoutedTarget {
  const parsed = parseTo(to, maxLength)
  let segments = parsed.segments
  if (parsed.form === 'absolute') {
    if ((segments[0] ?? '').toLowerCase() !== fqdn) return notFound(to)
    segments = segments.slice(1)
  } else if (parsed.form !== 'cse-relative') {
    return notFound(to)
  }
  const attribute = parsed.attribute === undefined ? {} : { attribute: parsed.attribute }
  return { route: routeSegments(segments, to), to: formatTo({ form: 'cse-relative', segments, ...attribute }), ...attribute }
}

/** Host header names this MAF (port ignored, case-insensitive). */
export function hostNamesMaf(host: string | undefined, fqdn: string): boolean {
  if (host === undefined) return false
  const name = host.startsWith('[') ? host : host.replace(/:\d{1,5}$/, '')
  return name.toLowerCase() === fqdn
}

/** `fr` is the authenticated MAF Client: its Client ID or a Credential-ID of its credential (OQ-20). */
export function originatorMatches(fr: string | undefined, peer: MafPeer): boolean {
  return fr !== undefined && peer.originatorIds.includes(fr)
}

function notAllowed(what: string): never {
  throw refused(RSC.OPERATION_NOT_ALLOWED, `${what} is not allowed`)
}

function invalidChild(): never {
  throw refused(RSC.INVALID_CHILD_RESOURCE_TYPE, 'this resource type cannot be created here')
}

async function dispatchBase(request: MafRequest, deps: MafDeps): Promise<OneM2mReply> {
  const p = request.primitive
  switch (p.op) {
    case OPERATION.CREATE:
      if (p.ty === MEF_MAF_RESOURCE_TYPE.MAF_CLIENT_REG) return createClientRegistration(request, deps)
      if (p.ty === MEF_MAF_RESOURCE_TYPE.SYMM_KEY_REG) return registerKey(request, deps)
      return invalidChild()
    case OPERATION.RETRIEVE:
      return retrieveMafBase(request, deps)
    default:
      return notAllowed('UPDATE or DELETE of <MAFBase>')
  }
}

/** Runs the procedure for `routed` (op × resource, mef-maf-interface.md §4.1). */
export async function dispatch(request: MafRequest, deps: MafDeps, routed: RoutedTarget): Promise<OneM2mReply> {
  const op = request.primitive.op
  const route = routed.route
  if (op === OPERATION.NOTIFY) return notAllowed('NOTIFY')
  switch (route.kind) {
    case 'base':
      return dispatchBase(request, deps)
    case 'registration':
      if (op === OPERATION.CREATE) return invalidChild()
      if (op === OPERATION.RETRIEVE) return retrieveClientRegistration(request, deps, route.regId, routed.attribute)
      return op === OPERATION.UPDATE ? updateClientRegistration(request, deps, route.regId) : deleteClientRegistration(request, deps, route.regId)
    case 'key':
      if (op === OPERATION.CREATE) return invalidChild()
      if (routed.attribute !== undefined) throw refused(RSC.BAD_REQUEST, 'a key registration is addressed as a whole, not by attribute')
      if (op === OPERATION.RETRIEVE) return retrieveKey(route.relativeKeyId)(request, deps)
      return op === OPERATION.UPDATE ? updateKeyRegistration(route.relativeKeyId)(request, deps) : deregisterKey(route.relativeKeyId)(request, deps)
  }
}

/**
 * Checks Host and `fr`, routes and dispatches one request.
 * @throws OneM2mError with the rsc of mef-maf-interface.md §4.5.
 */
export async function routeRequest(request: MafRequest, deps: MafDeps, host: string | undefined): Promise<OneM2mReply> {
  const fqdn = deps.config.fqdn
  if (!hostNamesMaf(host, fqdn)) throw refused(RSC.NOT_FOUND, 'the Host header does not name this MAF')
  if (!originatorMatches(request.primitive.fr, request.peer)) throw refused(RSC.ORIGINATOR_NOT_AUTHENTICATED, 'fr is not the authenticated MAF Client')
  const routed = routeTo(request.primitive.to, fqdn)
  const primitive: RequestPrimitive = { ...request.primitive, to: routed.to }
  return dispatch({ ...request, primitive }, deps, routed)
}
