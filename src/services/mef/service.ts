/**
 * The MEF service (ARCHITECTURE.md §1 role `mef`): one TLS 1.2 port offering the PSK and the
 * certificate profiles of TS-0003 10.2 with the MEF's FQDN certificate, PSK resolution of KpmIDs
 * from the store, certificate resolution of enrolees and Enrolment Targets (peer-resolution.ts),
 * and oneM2M over HTTP (TS-0009) into the router. Everything a second instance would need lives
 * in the store; the only in-process state is per TLS session (its export, whether it enrolled
 * and which registrations it created — enrolment.ts).
 */
import { X509Certificate } from 'node:crypto'
import type { Server } from 'node:http'
import type { TLSSocket } from 'node:tls'
import { parseFqdn, TARGET_KEY_MODES } from '../../core/index.js'
import { M2mSecError } from '../../core/index.js'
import { auditLinker, type AuditLinker, type Store } from '../../store/index.js'
import {
  createMixedServer, createOneM2mHttpServer, exportKeyingMaterial, handshakeEvent, requestEvent, type ExchangeOutcome, type HandshakeEvent,
  type HandshakeSummary, type OneM2mRequestContext, type RequestEvent, type SecureListener, type ServerCredential,
} from '../../transport/index.js'
import { MEF_MAF_RESOURCE_TYPE, OPERATION, RSC, refused, rscForError, type RequestPrimitive } from '../../onem2m/index.js'
import { isAudited, MEF_AUDIT_ACTION, recordMefAudit, refusedOutcome, type MefAuditEvent } from './audit.js'
import type { MefConfig, MefDeps, MefPeer, MefSession } from './context.js'
import { configInvalid } from './errors.js'
import { sessionEnrolment } from './enrolment.js'
import { createMefCertificateResolver, createMefPskResolver, pemCertificatesDer, type MefTargetConfig } from './peer-resolution.js'
import { routeRequest, routeTo } from './router.js'

/** How a request, handshake or key fetch ended (transport's ExchangeOutcome). */
export type MefOutcome = ExchangeOutcome

/**
 * Something the operator should see (the CLI logs it and counts it, issue 8); never holds key bytes.
 * `request`: one per oneM2M request answered; `handshake`: one per TLS connection accepted;
 * `enrolment`: a MEF Client Registration CREATE that produced (or was refused) a new Ke;
 * `key-retrieval`: one per MEF Key Retrieval (TS-0003 8.3.5.2).
 */
export type MefServiceEvent =
  | { readonly type: 'audit-failed'; readonly action: string; readonly error: unknown }
  | { readonly type: 'request-failed'; readonly rsc: number; readonly to?: string; readonly requestId?: string; readonly error: unknown }
  | { readonly type: 'resolver-failed'; readonly error: unknown }
  | RequestEvent
  | HandshakeEvent
  | { readonly type: 'enrolment'; readonly outcome: MefOutcome; readonly requestId: string }
  | { readonly type: 'key-retrieval'; readonly outcome: MefOutcome; readonly requestId: string }

export interface MefServiceOptions {
  readonly store: Store
  readonly config: MefConfig
  /** The MEF's FQDN certificate (PEM, leaf first) and its private key (TS-0003 8.3.2.2: mandatory). */
  readonly credential: { readonly certPem: string; readonly keyPem: string }
  /** PEM trust anchors of certificate enrolees (each enrolee's own anchor must be one of them). */
  readonly enroleeTrustAnchors?: readonly string[]
  /** Enrolment Targets allowed to call fetchCredentials, by certificate FQDN. */
  readonly targets: readonly MefTargetConfig[]
  /** PEM trust anchors of Target certificates. */
  readonly targetTrustAnchors: readonly string[]
  readonly listen?: { readonly host?: string; readonly port?: number }
  readonly clock?: () => Date
  readonly auditLink?: AuditLinker
  readonly onEvent?: (event: MefServiceEvent) => void
  readonly handshakeTimeoutMs?: number
}

export interface MefService {
  readonly host: string
  readonly port: number
  /** Stops accepting, closes open connections, resolves when the port is free. */
  close(): Promise<void>
}

function checkAnchors(pems: readonly string[], what: string): Uint8Array[] {
  const ders = pems.flatMap((pem) => {
    try {
      return pemCertificatesDer(pem)
    } catch {
      throw configInvalid(`a ${what} trust anchor is not a PEM certificate`)
    }
  })
  if (ders.length < pems.length) throw configInvalid(`a ${what} trust anchor file holds no certificate`)
  return ders
}

function normaliseTargets(targets: readonly MefTargetConfig[]): MefTargetConfig[] {
  return targets.map((t) => {
    let fqdn: string
    try {
      fqdn = parseFqdn(t.fqdn)
    } catch {
      throw configInvalid(`target FQDN '${t.fqdn}' is not an FQDN`)
    }
    if (t.originatorIds.length === 0 || t.originatorIds.some((id) => id.length === 0)) throw configInvalid(`target ${fqdn} needs at least one originator ID`)
    return { fqdn, originatorIds: [...t.originatorIds] }
  })
}

/** Checks the options that cannot work, before anything listens. @throws M2MSEC_MEF_CONFIG_INVALID */
function validate(options: MefServiceOptions): { config: MefConfig; targets: MefTargetConfig[]; targetAnchors: Uint8Array[] } {
  let fqdn: string
  try {
    fqdn = parseFqdn(options.config.fqdn)
  } catch {
    throw configInvalid('the MEF FQDN is not an FQDN')
  }
  if (!TARGET_KEY_MODES.includes(options.config.targetKeyMode)) throw configInvalid(`unknown target key mode '${String(options.config.targetKeyMode)}'`)
  if (!(options.config.maxKeyLifetimeMs > 0)) throw configInvalid('maxKeyLifetimeMs must be positive')
  try {
    new X509Certificate(options.credential.certPem)
  } catch {
    throw configInvalid('the MEF certificate is not a PEM certificate')
  }
  const targets = normaliseTargets(options.targets)
  const targetAnchors = checkAnchors(options.targetTrustAnchors, 'Target')
  if (targets.length > 0 && targetAnchors.length === 0) throw configInvalid('Targets are configured but no Target trust anchor')
  checkAnchors(options.enroleeTrustAnchors ?? [], 'enrolee')
  return { config: { ...options.config, fqdn }, targets, targetAnchors }
}

function peerSubject(peer: MefPeer): string {
  return peer.kind === 'enrolee' ? peer.clientId : peer.fqdn
}

function outcomeOf(rsc: number): MefOutcome {
  return rsc < 3000 ? 'ok' : rsc < 5000 ? 'refused' : 'failed'
}

/** A MEF Client Registration CREATE: on a bootstrap session, the request that enrols (enrolment.ts). */
function isEnrolment(p: RequestPrimitive): boolean {
  return p.op === OPERATION.CREATE && p.ty === MEF_MAF_RESOURCE_TYPE.MEF_CLIENT_REG
}

function isKeyRetrieval(p: RequestPrimitive, fqdn: string): boolean {
  if (p.op !== OPERATION.RETRIEVE) return false
  try {
    return routeTo(p.to, fqdn).route.kind === 'key'
  } catch {
    return false
  }
}

/**
 * Starts an MEF on `options.listen` (default 127.0.0.1, port 0).
 * @throws MefError M2MSEC_MEF_CONFIG_INVALID for unusable options; the listen error otherwise.
 */
export async function createMefService(options: MefServiceOptions): Promise<MefService> {
  const { config, targets, targetAnchors } = validate(options)
  const clock = options.clock ?? ((): Date => new Date())
  const deps: MefDeps = { store: options.store, config, auditLink: options.auditLink ?? auditLinker() }
  const emit = options.onEvent ?? ((): void => undefined)
  const audit = (event: MefAuditEvent): void => {
    recordMefAudit(deps, { ...event, at: event.at ?? clock() }).catch((error: unknown) => emit({ type: 'audit-failed', action: event.action, error }))
  }
  const resolution = { reader: options.store.reader, fqdn: config.fqdn, now: clock, onRefusal: audit }
  const credential: ServerCredential = { cert: options.credential.certPem, key: options.credential.keyPem }
  const listener: SecureListener<MefPeer> = createMixedServer<MefPeer>({
    psk: { resolve: createMefPskResolver(resolution) },
    certificate: {
      fallback: credential,
      bySni: new Map([[config.fqdn, credential]]),
      trustAnchors: [...(options.enroleeTrustAnchors ?? []), ...options.targetTrustAnchors],
      resolve: createMefCertificateResolver(resolution, { targets, targetAnchors }),
    },
    ...(options.handshakeTimeoutMs === undefined ? {} : { handshakeTimeoutMs: options.handshakeTimeoutMs }),
  })
  listener.on('resolveError', (error: unknown) => emit({ type: 'resolver-failed', error }))
  listener.on('handshakeError', (error: unknown, info: { sni?: string; identity?: string; remoteAddress?: string }) => {
    const code = error instanceof M2mSecError ? error.code : 'unknown'
    // The PSK and certificate resolvers already recorded why they refused a peer.
    if (code === 'M2MSEC_TLS_PSK_UNKNOWN_IDENTITY' || code === 'M2MSEC_TLS_PEER_REFUSED') return
    audit({ action: MEF_AUDIT_ACTION.handshake, outcome: refusedOutcome(code), subject: { sni: info.sni ?? null, identity: info.identity ?? null, remoteAddress: info.remoteAddress ?? null } })
  })
  listener.on('handshake', (summary: HandshakeSummary) => emit(handshakeEvent(summary)))

  const sessions = new WeakMap<TLSSocket, MefSession>()
  const sessionOf = (socket: TLSSocket): MefSession => {
    let session = sessions.get(socket)
    if (session === undefined) {
      session = { exportKeyingMaterial: (label, length) => exportKeyingMaterial(socket, label, length) }
      sessions.set(socket, session)
    }
    return session
  }

  const handle = async (primitive: RequestPrimitive, context: OneM2mRequestContext<MefPeer>) => {
    const peer = context.connection.binding
    const session = sessionOf(context.connection.socket)
    const enrolledBefore = sessionEnrolment(session)
    const enrolling = isEnrolment(primitive)
    try {
      if (context.connection.sni?.toLowerCase() !== config.fqdn) throw refused(RSC.NOT_FOUND, 'the TLS session does not name this MEF')
      const answer = await routeRequest({ primitive, peer, session, now: clock() }, deps, context.host, audit)
      // Counted once per new Ke: a second CREATE on an enrolled session reuses its Ke (enrolment.ts).
      if (enrolling && sessionEnrolment(session) !== enrolledBefore) emit({ type: 'enrolment', outcome: 'ok', requestId: context.requestId })
      return answer
    } catch (error) {
      const rsc = rscForError(error)
      // One event per refusal: a procedure that audited its own (with its reason) is not recorded again.
      if (!isAudited(error)) {
        audit({ action: MEF_AUDIT_ACTION.request, outcome: refusedOutcome(String(rsc)), subject: { op: primitive.op, to: primitive.to, fr: primitive.fr ?? null, peer: peerSubject(peer) } })
      }
      if (enrolling) emit({ type: 'enrolment', outcome: outcomeOf(rsc), requestId: context.requestId })
      if (rsc >= 5000) emit({ type: 'request-failed', rsc, to: primitive.to, requestId: context.requestId, error })
      throw error
    }
  }
  const http: Server = createOneM2mHttpServer(listener, handle, {
    onError: (error, request, requestId) => {
      if (request === undefined) emit({ type: 'request-failed', rsc: rscForError(error), requestId, error })
    },
    onServed: (served) => {
      emit(requestEvent(served))
      if (served.request !== undefined && isKeyRetrieval(served.request, config.fqdn)) {
        emit({ type: 'key-retrieval', outcome: outcomeOf(served.rsc), requestId: served.requestId })
      }
    },
  })
  const address = await listener.listen(options.listen?.port ?? 0, options.listen?.host ?? '127.0.0.1')
  return {
    host: address.address,
    port: address.port,
    close: async () => {
      http.close()
      http.closeAllConnections()
      await listener.close()
    },
  }
}
