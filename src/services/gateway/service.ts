/**
 * The gateway service (ARCHITECTURE.md §1 role `gateway`; TS-0003 8.2 Entity B for a Registrar
 * CSE): one TLS 1.2 port offering the configured SAEFs (PSK and MAF-based through the
 * asynchronous PSK resolver, certificate-based through the certificate resolver), each context
 * bound per frameworks.md §4.2–§4.3 (the SAEF's CSE-ID/AE-IDs, else the stored binding of its
 * Credential-ID), and oneM2M over HTTP into router.ts, which forwards to the upstream CSE.
 * Everything another instance needs is in the store; in-process state is per connection: the
 * live associations (live-sessions.ts), cut when their credential's lifetime ends or a recheck
 * finds it revoked. Refusals and cuts go to the audit chain (audit.ts).
 */
import { X509Certificate, randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { parseCseId, type SecretBytes } from '../../core/index.js'
import {
  DEFAULT_LIMITS, RSC, decodeHttpRequest, encodeHttpResponse, errorResponse, requestContextOf, tooLarge, type RequestPrimitive,
} from '../../onem2m/index.js'
import { auditLinker, type AuditLinker, type Store } from '../../store/index.js'
import {
  REQUEST_ID_HEADER, createMixedServer, createSecureHttpServer, requestConnection, type CertificateResolver, type HandshakeSummary, type PskResolver, handshakeEvent, requestEvent, type ExchangeOutcome, type HandshakeEvent, type RequestEvent,
  type SecureConnection, type SecureListener, type HandshakeInfo, type TransportError,
} from '../../transport/index.js'
import type { RegistrarIds } from './entity-binding.js'
import { configInvalid } from './errors.js'
import type { GatewayCredential, KeyServerLink } from './key-server-link.js'
import { createMafKcRetriever } from './maf-key-retrieval.js'
import { createMefKpsaFetcher } from './mef-kpsa-fetch.js'
import { routeRequest, type GatewayRequestEvent, type RouterDeps } from './router.js'
import {
  SAEFS, saefFor, type KcRetriever, type KeyFetchOutcome, type KpsaFetcher, type PeerCredential, type Saef, type SaefDeps, type SaefName,
} from './saef/index.js'
import { GatewaySession } from './session.js'
import { GATEWAY_AUDIT_ACTION, createGatewayAudit, type GatewayAudit } from './audit.js'
import { DEFAULT_SESSION_RECHECK_MS, startSessionGuard, type SessionCutReason } from './live-sessions.js'
import { createUpstream, type UpstreamConfig } from './upstream.js'
import { rewritePoa } from './sa2-poa.js'
import { loadSa2TokenKey, startSa2Relay, type Sa2Event, type Sa2Relay } from './sa2-relay.js'

export interface GatewayConfig {
  /** The gateway's FQDN: the SNI devices must send (TS-0003 10.2.1). */
  readonly fqdn: string
  /** Absolute CSE-ID of the Registrar CSE behind the gateway (IdB). */
  readonly cseId: string
  readonly upstream: UpstreamConfig
  /** Each present key enables that SAEF with its configuration (saef/*.ts). */
  readonly saefs: Partial<Record<SaefName, unknown>>
  readonly mef?: KeyServerLink
  readonly mafs?: readonly KeyServerLink[]
  /** SA2 relay for request-reachable entities (sa2-relay.ts); default on at 127.0.0.1:0; false turns it off. */
  readonly sa2?: Sa2Config | false
  /**
   * How often live associations are rechecked against the store (revoked, removed or replaced
   * credential, removed binding; live-sessions.ts, D-190): the bound on how long a revocation made
   * by another process takes to cut a session here. Default 30 000 ms.
   */
  readonly sessionRecheckMs?: number
  /** Cap on how long a Kpsa fetched from the MEF or a Kc from a MAF is used before it is fetched again (D-191). Default 1 h. */
  readonly fetchedKeyMaxAgeMs?: number
}

export interface Sa2Config {
  readonly listen?: { readonly host?: string; readonly port?: number }
  /** Base URL the upstream CSE dials instead of the listen address (NAT, containers). */
  readonly publicUrl?: string
}

/** How a request, handshake or key fetch ended: accepted, refused (unknown peer, 4xxx), or failed (unreachable, 5xxx). */
export type GatewayOutcome = ExchangeOutcome

/**
 * Operator-visible facts (the CLI logs and counts them, issue 8); never key bytes.
 * `request`: one per request on an SA1 connection; `handshake`: one per TLS connection, `framework`
 * the SAEF that ran ('unknown' when none was reached); `key-fetch`: one per Kpsa fetched from the
 * MEF or Kc retrieved from a MAF.
 */
export type GatewayServiceEvent =
  | GatewayRequestEvent
  | { readonly type: 'handshake-refused'; readonly saef: string | null; readonly reason: string; readonly identity?: string }
  | { readonly type: 'resolver-failed'; readonly error: unknown }
  | { readonly type: 'request-failed'; readonly rsc: number; readonly requestId?: string; readonly error: unknown }
  | RequestEvent
  | HandshakeEvent
  | { readonly type: 'key-fetch'; readonly server: 'mef' | 'maf'; readonly outcome: GatewayOutcome; readonly durationMs: number }
  | { readonly type: 'session-cut'; readonly credentialId: string; readonly saef: string; readonly reason: SessionCutReason }
  | { readonly type: 'audit-failed'; readonly lost: number; readonly error: unknown }
  | Sa2Event

export interface GatewayServiceOptions {
  readonly store: Store
  readonly config: GatewayConfig
  /** The gateway's certificate: server certificate of the certificate SAEF, client certificate towards MEF and MAF. */
  readonly credential?: GatewayCredential
  /** PEM trust anchors of certificate peers (certificate SAEF). */
  readonly clientTrustAnchors?: readonly string[]
  readonly listen?: { readonly host?: string; readonly port?: number }
  readonly clock?: () => Date
  readonly onEvent?: (event: GatewayServiceEvent) => void
  readonly handshakeTimeoutMs?: number
  /** How long an idle SA1 connection is kept; default SECURE_IDLE_TIMEOUT_MS (2 min). */
  readonly idleTimeoutMs?: number
  /** Replace the MEF / MAF clients (tests). */
  readonly kpsaFetcher?: KpsaFetcher
  readonly kcRetriever?: KcRetriever
  /** The audit chain's link (the HMAC variant when configured); default plain SHA-256. */
  readonly auditLink?: AuditLinker
  /** Aggregation window of refusal audit events (audit.ts, D-192); default 60 s. */
  readonly auditWindowMs?: number
}

export interface GatewayService {
  readonly host: string
  readonly port: number
  /** The SA2 relay's base URL (what rewritten poa entries start with), when SA2 is on. */
  readonly sa2Url?: string
  /**
   * Rechecks the live associations of `credentialIds` (every one when omitted) against the store
   * now and cuts those whose credential is revoked, removed or replaced, or whose binding is gone.
   * The admin API calls it after an operator revokes; it also runs every `sessionRecheckMs`.
   */
  recheckSessions(credentialIds?: readonly string[]): Promise<{ readonly checked: number; readonly cut: number }>
  close(): Promise<void>
}

function registrarOf(cseId: string): RegistrarIds {
  let parsed
  try {
    parsed = parseCseId(cseId)
  } catch {
    throw configInvalid('the gateway CSE-ID is not a CSE-ID')
  }
  if (parsed.form !== 'absolute' || parsed.spId === undefined) throw configInvalid('the gateway CSE-ID must be absolute (//sp-fqdn/cse-id)')
  return { spId: parsed.spId, cseId: parsed.spRelative }
}

function checkPem(pem: string, what: string): void {
  try {
    new X509Certificate(pem)
  } catch {
    throw configInvalid(`the ${what} is not a PEM certificate`)
  }
}

/** Handshake failures the gateway audits where they are decided (establish) or that are no refusal (a resolver threw). */
const TLS_FAILURES_AUDITED_ELSEWHERE: ReadonlySet<string> = new Set(['M2MSEC_TLS_PSK_UNKNOWN_IDENTITY', 'M2MSEC_TLS_PEER_REFUSED', 'M2MSEC_TLS_RESOLVE_FAILED'])

/** D-191: a fetched key is asked for again after an hour, whatever lifetime its server gave. */
const DEFAULT_FETCHED_KEY_MAX_AGE_MS = 3_600_000

function positiveMs(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (!(Number.isFinite(value) && value > 0)) throw configInvalid(`${name} must be a positive number of milliseconds`)
  return value
}

function elapsedSince(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000
}

/** A key fetch, timed and reported: a refusal is an answer, a throw (server unreachable) a failure. */
function reported<A extends unknown[]>(
  server: 'mef' | 'maf', emit: (event: GatewayServiceEvent) => void, fetch: ((...args: A) => Promise<KeyFetchOutcome>) | undefined,
): ((...args: A) => Promise<KeyFetchOutcome>) | undefined {
  if (fetch === undefined) return undefined
  return async (...args) => {
    const started = performance.now()
    try {
      const outcome = await fetch(...args)
      emit({ type: 'key-fetch', server, outcome: outcome.ok ? 'ok' : 'refused', durationMs: elapsedSince(started) })
      return outcome
    } catch (error) {
      emit({ type: 'key-fetch', server, outcome: 'failed', durationMs: elapsedSince(started) })
      throw error
    }
  }
}

function buildSaefs(options: GatewayServiceOptions, now: () => Date, emit: (event: GatewayServiceEvent) => void): Saef[] {
  const c = options.config
  const needsCredential = (c.mef !== undefined || (c.mafs?.length ?? 0) > 0) && options.credential === undefined
  if (needsCredential) throw configInvalid('MEF and MAF links need the gateway certificate')
  const fr = c.cseId
  const fetchKpsa = reported('mef', emit, options.kpsaFetcher ?? (c.mef && options.credential ? createMefKpsaFetcher(c.mef, options.credential, fr) : undefined))
  const retrieveKc = reported('maf', emit, options.kcRetriever ?? (c.mafs && options.credential ? createMafKcRetriever(c.mafs, options.credential, fr) : undefined))
  const fetchedKeyMaxAgeMs = positiveMs(c.fetchedKeyMaxAgeMs, DEFAULT_FETCHED_KEY_MAX_AGE_MS, 'fetchedKeyMaxAgeMs')
  const deps: SaefDeps = { store: options.store, now, fetchedKeyMaxAgeMs, ...(fetchKpsa ? { fetchKpsa } : {}), ...(retrieveKc ? { retrieveKc } : {}) }
  const saefs = (Object.keys(SAEFS) as SaefName[]).filter((name) => Object.hasOwn(c.saefs, name)).map((name) => SAEFS[name](deps, c.saefs[name]))
  if (saefs.length === 0) throw configInvalid('no SAEF is configured')
  return saefs
}

function readBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let length = 0
    const timer = setTimeout(() => req.destroy(tooLarge('request body did not arrive in time')), timeoutMs)
    req.on('data', (chunk: Buffer) => {
      length += chunk.length
      if (length > maxBytes) req.destroy(tooLarge(`body is over the limit of ${maxBytes} bytes`))
      else chunks.push(chunk)
    })
    req.on('end', () => {
      clearTimeout(timer)
      resolve(new Uint8Array(Buffer.concat(chunks, length)))
    })
    req.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
  })
}

/** The SA2 relay with its token key; `base` is what rewritten poa entries start with. */
async function startSa2(options: GatewayServiceOptions, fqdn: string, now: () => Date, emit: (event: GatewayServiceEvent) => void): Promise<{ relay: Sa2Relay; key: SecretBytes; base: string }> {
  const config = options.config.sa2 === false ? {} : options.config.sa2 ?? {}
  if (config.publicUrl !== undefined && !/^http:\/\/[^/]+$/.test(config.publicUrl)) throw configInvalid('sa2.publicUrl must be http://host:port')
  const key = await loadSa2TokenKey(options.store)
  const relay = await startSa2Relay({
    store: options.store, now, tokenKey: key, gatewayFqdn: fqdn, trustAnchors: options.clientTrustAnchors ?? [],
    ...(options.credential === undefined ? {} : { credential: options.credential }),
    listen: { host: config.listen?.host ?? '127.0.0.1', port: config.listen?.port ?? 0 }, onEvent: emit,
  })
  return { relay, key, base: config.publicUrl ?? relay.base }
}

/** Starts a gateway. @throws GatewayError M2MSEC_GATEWAY_CONFIG_INVALID for unusable options. */
export async function createGatewayService(options: GatewayServiceOptions): Promise<GatewayService> {
  const c = options.config
  const registrar = registrarOf(c.cseId)
  const fqdn = c.fqdn.toLowerCase()
  const now = options.clock ?? ((): Date => new Date())
  const emit = options.onEvent ?? ((): void => undefined)
  const saefs = buildSaefs(options, now, emit)
  const anchors = options.clientTrustAnchors ?? []
  for (const anchor of anchors) checkPem(anchor, 'client trust anchor')
  const withCertificate = saefs.some((s) => s.name === 'certificate')
  if (withCertificate && (options.credential === undefined || anchors.length === 0)) throw configInvalid('the certificate SAEF needs the gateway certificate and client trust anchors')
  let upstream
  try {
    upstream = createUpstream(c.upstream)
  } catch (error) {
    throw configInvalid(error instanceof Error ? error.message : 'the upstream URL is unusable')
  }
  const recheckMs = positiveMs(c.sessionRecheckMs, DEFAULT_SESSION_RECHECK_MS, 'sessionRecheckMs')
  const audit: GatewayAudit = createGatewayAudit({
    store: options.store, auditLink: options.auditLink ?? auditLinker(), now,
    ...(options.auditWindowMs === undefined ? {} : { windowMs: options.auditWindowMs }),
    onError: (error, lost) => emit({ type: 'audit-failed', lost, error }),
  })
  const sessions = startSessionGuard({ store: options.store, saefs, now, recheckMs, audit, onCut: (cut) => emit({ type: 'session-cut', ...cut }) })
  const refusedHandshake = (saef: string | null, reason: string, credential: PeerCredential, sni: string | undefined): void => {
    const identity = credential.kind === 'psk' ? { identity: credential.identity } : {}
    emit({ type: 'handshake-refused', saef, reason, ...identity })
    const subject: Record<string, string | null> = { saef }
    if (credential.kind === 'psk') subject['identity'] = credential.identity
    if (sni !== undefined) subject['sni'] = sni
    audit.record({ action: GATEWAY_AUDIT_ACTION.handshake, outcome: `refused:${reason}`, subject })
  }

  const establish = async (credential: PeerCredential, sni: string | undefined, signal: AbortSignal): Promise<{ session: GatewaySession; key?: SecretBytes } | null> => {
    if (sni?.toLowerCase() !== fqdn) {
      refusedHandshake(null, 'wrong-sni', credential, sni)
      return null
    }
    const saef = saefFor(saefs, credential)
    const outcome = saef === undefined ? ({ ok: false, refusal: 'unknown-identity' } as const) : await saef.resolve(credential, signal)
    if (!outcome.ok) {
      refusedHandshake(saef?.name ?? null, outcome.refusal, credential, sni)
      return null
    }
    // frameworks.md §4.3: the ID known for the credential, else the binding stored for its Credential-ID.
    const context = outcome.context
    const stored = context.boundTo === undefined ? await options.store.reader.findIdentityBinding(context.credentialId, now()) : undefined
    const bound = context.boundTo ?? (stored === undefined ? undefined : { kind: stored.entityKind, ids: stored.entityIds })
    const session = new GatewaySession(context, bound)
    if (outcome.key !== undefined) sessions.noteKey(session, outcome.key)
    return { session, ...(outcome.key === undefined ? {} : { key: outcome.key }) }
  }
  const pskResolve: PskResolver<GatewaySession> = async (identity, sni, signal) => {
    const established = await establish({ kind: 'psk', identity }, sni, signal)
    return established?.key === undefined ? null : { key: established.key, binding: established.session }
  }
  const certificateResolve: CertificateResolver<GatewaySession> = async (peer, sni, signal) => {
    const established = await establish({ kind: 'certificate', sans: peer.sans, chain: peer.chain }, sni, signal)
    return established === null ? null : { binding: established.session }
  }
  const listener: SecureListener<GatewaySession> = createMixedServer<GatewaySession>({
    ...(saefs.some((s) => s.name !== 'certificate') ? { psk: { resolve: pskResolve } } : {}),
    ...(withCertificate && options.credential ? {
      certificate: { fallback: { cert: options.credential.certPem, key: options.credential.keyPem }, trustAnchors: [...anchors], resolve: certificateResolve },
    } : {}),
    ...(options.handshakeTimeoutMs === undefined ? {} : { handshakeTimeoutMs: options.handshakeTimeoutMs }),
  })
  listener.on('resolveError', (error: unknown) => emit({ type: 'resolver-failed', error }))
  listener.on('connection', (connection: SecureConnection<GatewaySession>) => sessions.track(connection.binding, connection.socket))
  listener.on('handshakeError', (failure: TransportError, info: HandshakeInfo) => {
    // Refusals a SAEF made are audited in establish; a resolver that threw is no refusal. What is
    // left failed in TLS itself (wrong key, untrusted chain, timeout). Nothing named (no SNI, no
    // identity: a port probe) is left to the metrics.
    if (TLS_FAILURES_AUDITED_ELSEWHERE.has(failure.code) || (info.sni === undefined && info.identity === undefined)) return
    audit.record({
      action: GATEWAY_AUDIT_ACTION.handshake, outcome: `failed:${failure.code}`,
      subject: { ...(info.identity === undefined ? {} : { identity: info.identity }), ...(info.sni === undefined ? {} : { sni: info.sni }) },
    })
  })
  listener.on('handshake', (summary: HandshakeSummary, connection: SecureConnection<GatewaySession> | undefined) => {
    // The SAEF that ran: the session's on success; on failure the one that accepts the presented identity, if any.
    const tried = summary.identity !== undefined ? saefFor(saefs, { kind: 'psk', identity: summary.identity })?.name : summary.framework === 'certificate' ? 'certificate' : undefined
    emit(handshakeEvent(summary, connection?.binding.context.saef ?? tried ?? 'unknown'))
  })

  const sa2 = c.sa2 === false ? undefined : await startSa2(options, fqdn, now, emit)
  const deps: RouterDeps = {
    store: options.store, upstream, registrar, now, onEvent: emit, audit,
    ...(sa2 === undefined ? {} : { rewriteBody: (r) => rewritePoa(r.primitive, r.session.context, sa2.key, sa2.base) }),
  }
  const limits = DEFAULT_LIMITS
  const answer = (res: ServerResponse, error: unknown, context: { rqi?: string; rvi?: string }, requestId: string): number => {
    const response = errorResponse(error, context, { M2MSEC_GATEWAY_UPSTREAM_UNAVAILABLE: RSC.TARGET_NOT_REACHABLE })
    if (response.rsc >= 5000) emit({ type: 'request-failed', rsc: response.rsc, requestId, error })
    const message = encodeHttpResponse(response)
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(message.status, message.headers as Record<string, string>)
      res.end(message.body)
    }
    return response.rsc
  }
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now()
    // Ours, not the CSE's: the upstream's own x-request-id is replaced in the relayed answer.
    const requestId = randomUUID()
    res.setHeader(REQUEST_ID_HEADER, requestId)
    let primitive: RequestPrimitive | undefined
    let rsc: number | undefined
    try {
      const connection: SecureConnection<GatewaySession> = requestConnection<GatewaySession>(req)
      const body = await readBody(req, limits.maxBodyBytes, 10_000)
      primitive = decodeHttpRequest({ method: req.method ?? '', path: req.url ?? '/', headers: req.headers, body }, { limits }).primitive
      const relayed = await routeRequest(deps, { primitive, raw: req, body, session: connection.binding })
      res.writeHead(relayed.status, { ...relayed.headers, [REQUEST_ID_HEADER]: requestId })
      res.end(relayed.body)
      const relayedRsc = Number(relayed.headers['x-m2m-rsc'])
      rsc = Number.isInteger(relayedRsc) ? relayedRsc : undefined
    } catch (error) {
      rsc = answer(res, error, primitive === undefined ? requestContextOf({ headers: req.headers }) : { rqi: primitive.rqi, ...(primitive.rvi === undefined ? {} : { rvi: primitive.rvi }) }, requestId)
    }
    emit(requestEvent({ requestId, request: primitive, durationMs: elapsedSince(started), ...(rsc === undefined ? {} : { rsc }) }))
  }
  const http = createSecureHttpServer(listener, (req, res) => void serve(req, res), options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs })
  let address
  try {
    address = await listener.listen(options.listen?.port ?? 0, options.listen?.host ?? '127.0.0.1')
  } catch (error) {
    sessions.close()
    await sa2?.relay.close()
    throw error
  }
  return {
    host: address.address,
    port: address.port,
    ...(sa2 === undefined ? {} : { sa2Url: sa2.base }),
    recheckSessions: (credentialIds) => sessions.recheck(credentialIds),
    close: async () => {
      http.close()
      http.closeAllConnections()
      sessions.close()
      await listener.close()
      await sa2?.relay.close()
      upstream.close()
      await audit.close()
    },
  }
}
