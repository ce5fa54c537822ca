/**
 * Every request on a security association (TS-0003 7.2.1, 8.2.1; TS-0004 7.3.2.1; wire.md §5–§6):
 * decoded, its `fr` checked against the entity the context is bound to, then forwarded. An AE
 * registration (CREATE of ty 2) is decided by the subscription rules or the known AE-IDs, the
 * accepted or assigned AE-ID is forwarded as `fr`, and the AE-ID the CSE confirms is bound to
 * the context and stored durably. A refused request is answered here and nothing is forwarded.
 *
 *   fr missing (not an AE CREATE), fr not an AE-ID/CSE-ID form   → 4000 BAD_REQUEST
 *   fr not the bound AE-ID / CSE-ID, or context bound to a Credential-ID only → 4106
 *   registration: no rules → 4128; no rule matches → 4126; AE-ID not the bound one → 4106
 *   upstream unreachable, timed out, unreadable                  → 5103 TARGET_NOT_REACHABLE
 */
import type { IncomingMessage } from 'node:http'
import {
  OPERATION, RESOURCE_TYPE, RSC, decodeHttpResponse, isJsonObject, refused, type JsonValue, type RequestPrimitive,
} from '../../onem2m/index.js'
import type { BoundEntity, Store } from '../../store/index.js'
import { absoluteAeId, originatorAllowed, withAeId, type RegistrarIds } from './entity-binding.js'
import { GATEWAY_AUDIT_ACTION, type GatewayAudit } from './audit.js'
import type { GatewaySession } from './session.js'
import { decideRegistration, type RegistrationRefusal } from './subscription-rules.js'
import type { RelayedResponse, Upstream } from './upstream.js'

export interface RouterDeps {
  readonly store: Store
  readonly upstream: Upstream
  readonly registrar: RegistrarIds
  readonly now: () => Date
  /** Operator-visible facts (never key bytes). */
  readonly onEvent: (event: GatewayRequestEvent) => void
  /** The body to forward instead of the received one (SA2 poa rewriting, sa2-poa.ts), if any. */
  readonly rewriteBody?: (r: RoutedRequest) => Uint8Array | undefined
  /** The audit trail of refusals and registrations (audit.ts). */
  readonly audit?: Pick<GatewayAudit, 'record' | 'append'>
}

export type GatewayRequestEvent =
  | { readonly type: 'refused'; readonly rsc: number; readonly reason: string; readonly credentialId: string; readonly fr?: string }
  | { readonly type: 'registered'; readonly credentialId: string; readonly aeId: string }

export interface RoutedRequest {
  readonly primitive: RequestPrimitive
  readonly raw: IncomingMessage
  readonly body: Uint8Array
  readonly session: GatewaySession
}

const REGISTRATION_RSC: Readonly<Record<RegistrationRefusal, number>> = {
  'no-subscription': RSC.SERVICE_SUBSCRIPTION_NOT_ESTABLISHED,
  'no-matching-rule': RSC.APP_RULE_VALIDATION_FAILED,
  'not-bound': RSC.ORIGINATOR_NOT_AUTHENTICATED,
  malformed: RSC.BAD_REQUEST,
}

function member(value: JsonValue | undefined, root: string, name: string): string | undefined {
  if (!isJsonObject(value)) return undefined
  const resource = value[root]
  const field = isJsonObject(resource) ? resource[name] : undefined
  return typeof field === 'string' ? field : undefined
}

function forward(deps: RouterDeps, r: RoutedRequest, origin: string | undefined): Promise<RelayedResponse> {
  const body = deps.rewriteBody?.(r) ?? r.body
  return deps.upstream({ method: r.raw.method ?? 'GET', path: r.raw.url ?? '/', headers: r.raw.headers, body, origin })
}

/** Who a request came from, as the audit records it: the credential, its SAEF and the identity it is bound to. */
function sessionSubject(r: RoutedRequest): Record<string, JsonValue> {
  const { context } = r.session
  return { credentialId: context.credentialId, saef: context.saef, ...(r.session.bound === undefined ? {} : { bound: [...r.session.bound.ids] }) }
}

function refuse(deps: RouterDeps, r: RoutedRequest, rsc: number, reason: string): never {
  deps.onEvent({ type: 'refused', rsc, reason, credentialId: r.session.context.credentialId, ...(r.primitive.fr === undefined ? {} : { fr: r.primitive.fr }) })
  const registration = r.primitive.op === OPERATION.CREATE && r.primitive.ty === RESOURCE_TYPE.AE
  deps.audit?.record({
    action: registration ? GATEWAY_AUDIT_ACTION.registration : GATEWAY_AUDIT_ACTION.request, outcome: `refused:${rsc}`,
    subject: { ...sessionSubject(r), ...(r.primitive.fr === undefined ? {} : { fr: r.primitive.fr }), reason },
  })
  throw refused(rsc, rsc === RSC.ORIGINATOR_NOT_AUTHENTICATED ? 'originator not authenticated' : reason)
}

/** The binding stored for the credential (another connection may have registered meanwhile). */
async function storedBinding(deps: RouterDeps, session: GatewaySession): Promise<BoundEntity | undefined> {
  if (session.context.boundTo !== undefined) return session.context.boundTo
  const record = await deps.store.reader.findIdentityBinding(session.context.credentialId, deps.now())
  return record === undefined ? undefined : { kind: record.entityKind, ids: record.entityIds }
}

async function registerAe(deps: RouterDeps, r: RoutedRequest): Promise<RelayedResponse> {
  const { session, primitive } = r
  const bound = session.bound ?? (await storedBinding(deps, session))
  const decision = decideRegistration({
    fr: primitive.fr, api: member(primitive.pc, 'm2m:ae', 'api'), credentialId: session.context.credentialId, bound,
    rules: bound === undefined ? await deps.store.reader.listAppRules() : [], registrar: deps.registrar,
  })
  if (!decision.ok) return refuse(deps, r, REGISTRATION_RSC[decision.refusal], `AE registration refused (${decision.refusal})`)
  const response = await forward(deps, r, decision.fr)
  if (response.headers['x-m2m-rsc'] !== String(RSC.CREATED)) return response
  const decoded = decodeHttpResponse({ status: response.status, headers: response.headers as Record<string, string>, body: new Uint8Array(response.body) })
  const aei = member(decoded.primitive.pc, 'm2m:ae', 'aei')
  const aeId = aei === undefined ? undefined : absoluteAeId(aei, deps.registrar)
  if (aeId === undefined || !decision.allows(aeId)) {
    return refuse(deps, r, RSC.APP_RULE_VALIDATION_FAILED, 'the CSE assigned an AE-ID the rules do not allow')
  }
  if (!(bound?.kind === 'ae' && bound.ids.includes(aeId))) {
    // Union with what other connections of the credential registered (frameworks.md §4.2: a list of AE-IDs).
    const entity = withAeId(await storedBinding(deps, session), aeId)
    await deps.store.transaction(async (tx) => {
      await tx.identityBindings.put({ credentialId: session.context.credentialId, entityKind: 'ae', entityIds: entity.ids, source: 'assigned' })
      // The binding and its audit event commit together.
      await deps.audit?.append(tx, { action: GATEWAY_AUDIT_ACTION.registration, outcome: 'ok', subject: { ...sessionSubject(r), aeId, binding: [...entity.ids] } })
    })
    session.bind(entity)
    deps.onEvent({ type: 'registered', credentialId: session.context.credentialId, aeId })
  } else {
    session.bind(bound)
    deps.audit?.record({ action: GATEWAY_AUDIT_ACTION.registration, outcome: 'ok', subject: { ...sessionSubject(r), aeId, binding: 'existing' } })
  }
  return response
}

/**
 * Checks and forwards one request; returns the upstream response to relay.
 * @throws OneM2mError for a refusal; GatewayError M2MSEC_GATEWAY_UPSTREAM_UNAVAILABLE.
 */
export async function routeRequest(deps: RouterDeps, r: RoutedRequest): Promise<RelayedResponse> {
  const p = r.primitive
  if (p.op === OPERATION.CREATE && p.ty === RESOURCE_TYPE.AE) return registerAe(deps, r)
  if (p.fr === undefined) return refuse(deps, r, RSC.BAD_REQUEST, 'From is missing')
  let verdict = originatorAllowed(p.fr, r.session.bound, deps.registrar)
  if (!verdict.ok && verdict.refusal === 'not-bound') {
    const stored = await storedBinding(deps, r.session)
    if (stored !== undefined) {
      r.session.bind(stored)
      verdict = originatorAllowed(p.fr, stored, deps.registrar)
    }
  }
  if (!verdict.ok) {
    return verdict.refusal === 'malformed'
      ? refuse(deps, r, RSC.BAD_REQUEST, 'From is not an AE-ID or CSE-ID')
      : refuse(deps, r, RSC.ORIGINATOR_NOT_AUTHENTICATED, 'fr does not match the identity bound to the security association')
  }
  return forward(deps, r, p.fr)
}
