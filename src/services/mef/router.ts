/**
 * The MEF's request router (mef-maf-interface.md §2.3, §3.7, §3.9, §4): checks that the request
 * names this MEF (Host and SNI = MEF-FQDN, else 4004) and that `fr` is the authenticated peer
 * (else 4106), maps the `to` forms — `mef`, `mef/<id>`, `<regId>`, `…/cmd`,
 * `fetchCredentials/<KeID>/<SUID>`, and the absolute `//<fqdn>/…` spelling of each — and the
 * operation to one procedure. Procedures receive `to` in its CSE-relative form.
 */
import {
  MEF_MAF_PATHS, MEF_MAF_RESOURCE_TYPE, OPERATION, RSC, debugTextForError, formatTo, parseFetchCredentialsTarget, parseTo, refused, rscForError,
  writeFetchCredentialsResult,
} from '../../onem2m/index.js'
import type { FetchCredentialsTarget, RequestPrimitive } from '../../onem2m/index.js'
import type { OneM2mReply } from '../../transport/index.js'
import { isAudited, MEF_AUDIT_ACTION, refusedOutcome, type MefAuditEvent } from './audit.js'
import type { MefDeps, MefPeer, MefRequest } from './context.js'
import { deleteClientCommand, retrieveClientCommand, updateClientCommand } from './procedures/client-command.js'
import {
  createClientRegistration, deleteClientRegistration, retrieveClientRegistration, updateClientRegistration,
} from './procedures/client-registration.js'
import { fetchCredentials } from './procedures/fetch-credentials.js'
import { deregisterKey } from './procedures/key-deregistration.js'
import { registerKey } from './procedures/key-registration.js'
import { retrieveKey } from './procedures/key-retrieval.js'
import { updateKeyRegistration } from './procedures/key-update.js'
import { retrieveMefBase } from './procedures/mef-base.js'
import { reply } from './reply.js'

export type MefRoute =
  | { readonly kind: 'base' }
  | { readonly kind: 'registration'; readonly regId: string }
  | { readonly kind: 'command'; readonly regId: string }
  | { readonly kind: 'key'; readonly relativeKeyId: string }
  | { readonly kind: 'fetch'; readonly target: FetchCredentialsTarget }

export interface RoutedTarget {
  readonly route: MefRoute
  /** `#attribute` of a partial RETRIEVE. */
  readonly attribute?: string
  /** The CSE-relative `to` the procedures see. */
  readonly to: string
}

/** `ecr` + 16 upper-case letters/digits (store D-53); a RelativeKeyID can never look like one. */
const REG_ID_RE = /^ecr[A-Z0-9]{16}$/
const BASE = MEF_MAF_PATHS.mefBaseName
const CMD = MEF_MAF_PATHS.mefClientCmdName

function notFound(to: string): never {
  throw refused(RSC.NOT_FOUND, `no MEF resource at ${to.length > 80 ? `${to.slice(0, 80)}…` : to}`)
}

function routeSegments(segments: readonly string[], to: string): MefRoute {
  const [first, second, third, ...rest] = segments
  if (rest.length > 0 || first === undefined) return notFound(to)
  if (first === BASE) {
    if (second === undefined) return { kind: 'base' }
    if (REG_ID_RE.test(second)) {
      if (third === undefined) return { kind: 'registration', regId: second }
      return third === CMD ? { kind: 'command', regId: second } : notFound(to)
    }
    return third === undefined ? { kind: 'key', relativeKeyId: second } : notFound(to)
  }
  // The unstructured form: `<regId>` and `<regId>/cmd`.
  if (REG_ID_RE.test(first) && third === undefined) {
    if (second === undefined) return { kind: 'registration', regId: first }
    if (second === CMD) return { kind: 'command', regId: first }
  }
  return notFound(to)
}

/**
 * Resolves a `to` value against this MEF.
 * @throws OneM2mError 4004 for another server's or an unknown resource; 4000 for a malformed `to`.
 */
export function routeTo(to: string, fqdn: string, maxLength = 2048): RoutedTarget {
  const parsed = parseTo(to, maxLength)
  let segments = parsed.segments
  if (parsed.form === 'absolute') {
    if ((segments[0] ?? '').toLowerCase() !== fqdn) return notFound(to)
    segments = segments.slice(1)
  } else if (parsed.form === 'sp-relative' && segments[0] !== MEF_MAF_PATHS.fetchCredentials) {
    return notFound(to)
  }
  const relative = formatTo({ form: 'cse-relative', segments, ...(parsed.attribute === undefined ? {} : { attribute: parsed.attribute }) })
  if (segments[0] === MEF_MAF_PATHS.fetchCredentials) {
    const target = parseFetchCredentialsTarget(relative, maxLength)
    if (target === undefined) return notFound(to)
    if (target.keId.slice(target.keId.lastIndexOf('@') + 1) !== fqdn) return notFound(to)
    return { route: { kind: 'fetch', target }, to: relative }
  }
  return { route: routeSegments(segments, to), to: relative, ...(parsed.attribute === undefined ? {} : { attribute: parsed.attribute }) }
}

/** Host header names this MEF (port ignored, case-insensitive). */
export function hostNamesMef(host: string | undefined, fqdn: string): boolean {
  if (host === undefined) return false
  const name = host.startsWith('[') ? host : host.replace(/:\d{1,5}$/, '')
  return name.toLowerCase() === fqdn
}

/** `fr` is the authenticated peer: an enrolee's Client ID or Credential-ID (OQ-20), a Target's configured originator IDs. */
export function originatorMatches(fr: string | undefined, peer: MefPeer): boolean {
  if (fr === undefined) return false
  return peer.kind === 'enrolee' ? fr === peer.clientId || fr === peer.credentialId : peer.originatorIds.includes(fr)
}

function notAllowed(what: string): never {
  throw refused(RSC.OPERATION_NOT_ALLOWED, `${what} is not allowed`)
}

function invalidChild(): never {
  throw refused(RSC.INVALID_CHILD_RESOURCE_TYPE, 'this resource type cannot be created here')
}

async function dispatchBase(request: MefRequest, deps: MefDeps): Promise<OneM2mReply> {
  const p = request.primitive
  switch (p.op) {
    case OPERATION.CREATE:
      if (p.ty === MEF_MAF_RESOURCE_TYPE.MEF_CLIENT_REG) return createClientRegistration(request, deps)
      if (p.ty === MEF_MAF_RESOURCE_TYPE.SYMM_KEY_REG) return registerKey(request, deps)
      return invalidChild()
    case OPERATION.RETRIEVE:
      return retrieveMefBase(request, deps)
    default:
      return notAllowed('UPDATE or DELETE of <MEFBase>')
  }
}

/** Runs the procedure for `routed` (op × resource, mef-maf-interface.md §4.1, §4.2, §6). */
export async function dispatch(request: MefRequest, deps: MefDeps, routed: RoutedTarget): Promise<OneM2mReply> {
  const op = request.primitive.op
  const route = routed.route
  if (op === OPERATION.NOTIFY) return notAllowed('NOTIFY')
  switch (route.kind) {
    case 'base':
      return dispatchBase(request, deps)
    case 'fetch':
      return op === OPERATION.RETRIEVE ? fetchCredentials(request, deps, route.target) : notAllowed('only RETRIEVE of fetchCredentials')
    case 'registration':
      if (op === OPERATION.CREATE) return invalidChild()
      if (op === OPERATION.RETRIEVE) return retrieveClientRegistration(request, deps, route.regId, routed.attribute)
      return op === OPERATION.UPDATE ? updateClientRegistration(request, deps, route.regId) : deleteClientRegistration(request, deps, route.regId)
    case 'command':
      if (op === OPERATION.CREATE) return invalidChild()
      if (op === OPERATION.RETRIEVE) return retrieveClientCommand(request, deps, route.regId)
      return op === OPERATION.UPDATE ? updateClientCommand(request, deps, route.regId) : deleteClientCommand()
    case 'key':
      if (op === OPERATION.CREATE) return invalidChild()
      if (op === OPERATION.RETRIEVE) return retrieveKey(request, deps)
      return op === OPERATION.UPDATE ? updateKeyRegistration(request, deps) : deregisterKey(request, deps)
  }
}

/** True when `to` addresses fetchCredentials in any of its forms (its failures carry `stat: false`). */
export function isFetchCredentialsTo(to: string): boolean {
  const path = to.replace(/^\/\/[^/]+\//, '').replace(/^\//, '')
  return path === MEF_MAF_PATHS.fetchCredentials || path.startsWith(`${MEF_MAF_PATHS.fetchCredentials}/`)
}

async function checkedDispatch(request: MefRequest, deps: MefDeps, host: string | undefined): Promise<OneM2mReply> {
  const fqdn = deps.config.fqdn
  if (!hostNamesMef(host, fqdn)) throw refused(RSC.NOT_FOUND, 'the Host header does not name this MEF')
  if (!originatorMatches(request.primitive.fr, request.peer)) throw refused(RSC.ORIGINATOR_NOT_AUTHENTICATED, 'fr is not the authenticated client')
  const routed = routeTo(request.primitive.to, fqdn)
  const primitive: RequestPrimitive = { ...request.primitive, to: routed.to }
  return dispatch({ ...request, primitive }, deps, routed)
}

/**
 * Checks Host and `fr`, routes and dispatches one request. A fetchCredentials request that
 * fails any check is answered with its rsc and `{"sec:fcr": {"stat": false, …}}` (§6); such a
 * refusal never reaches the service's catch-all audit, so `onRefusal` records it here as
 * `mef.fetch-credentials` (the procedure audits the refusals it decides itself).
 * @throws OneM2mError with the rsc of mef-maf-interface.md §4.5 for every other resource.
 */
export async function routeRequest(
  request: MefRequest, deps: MefDeps, host: string | undefined, onRefusal?: (event: MefAuditEvent) => void,
): Promise<OneM2mReply> {
  if (!isFetchCredentialsTo(request.primitive.to)) return checkedDispatch(request, deps, host)
  try {
    return await checkedDispatch(request, deps, host)
  } catch (error) {
    const rsc = rscForError(error)
    if (!isAudited(error)) {
      const p = request.primitive
      const peer = request.peer.kind === 'enrolee' ? request.peer.clientId : request.peer.fqdn
      onRefusal?.({ action: MEF_AUDIT_ACTION.fetchCredentials, outcome: refusedOutcome(String(rsc)), subject: { to: p.to, fr: p.fr ?? null, peer } })
    }
    return reply(request.primitive, rsc, writeFetchCredentialsResult({ stat: false, errs: debugTextForError(error) }))
  }
}
