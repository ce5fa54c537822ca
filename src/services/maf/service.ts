/**
 * The MAF service (ARCHITECTURE.md §1 role `maf`; TS-0003 8.8): one TLS 1.2 port offering the PSK
 * and certificate profiles of 10.2 with the MAF's FQDN certificate; PSK resolution of KmIDs from
 * the store and of KeIDs by fetching Km from the MEF inside the handshake (peer-resolution.ts);
 * oneM2M over HTTP (TS-0009) into the router. Everything another instance needs lives in the
 * store; in-process state is per TLS session (its export) and the in-flight MEF fetches.
 */
import { X509Certificate } from 'node:crypto'
import type { Server } from 'node:http'
import type { TLSSocket } from 'node:tls'
import { M2mSecError, TARGET_KEY_MODES, parseFqdn, type TargetKeyMode } from '../../core/index.js'
import { OPERATION, RSC, refused, rscForError, type RequestPrimitive } from '../../onem2m/index.js'
import { auditLinker, type AuditLinker, type Store } from '../../store/index.js'
import {
  createMixedServer, createOneM2mHttpServer, exportKeyingMaterial, handshakeEvent, requestEvent, type ExchangeOutcome, type HandshakeEvent,
  type HandshakeSummary, type OneM2mRequestContext, type RequestEvent, type SecureListener, type ServerCredential,
} from '../../transport/index.js'
import { MAF_AUDIT_ACTION, recordMafAudit, refusedOutcome, type MafAuditEvent } from './audit.js'
import type { MafConfig, MafDeps, MafPeer, MafSession } from './context.js'
import { configInvalid } from './errors.js'
import { createMefKmFetcher, type KmFetcher, type MefLinkConfig } from './mef-km-fetch.js'
import { createMafCertificateResolver, createMafPskResolver } from './peer-resolution.js'
import { routeRequest, routeTo } from './router.js'

/** How a request, handshake or key fetch ended (transport's ExchangeOutcome). */
export type MafOutcome = ExchangeOutcome

/**
 * Something the operator should see (the CLI logs it and counts it, issue 8); never holds key bytes.
 * `request`: one per oneM2M request answered; `handshake`: one per TLS connection accepted;
 * `key-retrieval`: one per MAF Key Retrieval (TS-0003 8.8.2.8); `key-fetch`: one per Km fetched
 * from the MEF for a KeID (fetchCredentials, mef-km-fetch.ts).
 */
export type MafServiceEvent =
  | { readonly type: 'audit-failed'; readonly action: string; readonly error: unknown }
  | { readonly type: 'request-failed'; readonly rsc: number; readonly to?: string; readonly requestId?: string; readonly error: unknown }
  | { readonly type: 'resolver-failed'; readonly error: unknown }
  | RequestEvent
  | HandshakeEvent
  | { readonly type: 'key-retrieval'; readonly outcome: MafOutcome; readonly requestId: string }
  | { readonly type: 'key-fetch'; readonly server: 'mef'; readonly outcome: MafOutcome; readonly durationMs: number }

export interface MafMefConfig extends MefLinkConfig {
  /** The derivation the MEF uses for Targets (docs/decisions.md D-5); recorded, the MAF never derives. */
  readonly targetKeyMode: TargetKeyMode
}

export interface MafServiceOptions {
  readonly store: Store
  readonly config: MafConfig & { readonly mef?: MafMefConfig }
  /** The MAF's FQDN certificate (PEM, leaf first) and key: server certificate, and client certificate towards the MEF. */
  readonly credential: { readonly certPem: string; readonly keyPem: string }
  /** PEM trust anchors of certificate MAF Clients (none: PSK clients only). */
  readonly clientTrustAnchors?: readonly string[]
  readonly listen?: { readonly host?: string; readonly port?: number }
  readonly clock?: () => Date
  readonly auditLink?: AuditLinker
  readonly onEvent?: (event: MafServiceEvent) => void
  readonly handshakeTimeoutMs?: number
  /** Replaces the MEF fetch (tests); default: fetchCredentials over mutual TLS to `config.mef`. */
  readonly kmFetcher?: KmFetcher
}

export interface MafService {
  readonly host: string
  readonly port: number
  /** Stops accepting, closes open connections, resolves when the port is free. */
  close(): Promise<void>
}

function fqdnOrFail(text: string, what: string): string {
  try {
    return parseFqdn(text)
  } catch {
    throw configInvalid(`the ${what} is not an FQDN`)
  }
}

function checkPem(pem: string, what: string): void {
  try {
    new X509Certificate(pem)
  } catch {
    throw configInvalid(`the ${what} is not a PEM certificate`)
  }
}

/** Checks the options that cannot work, before anything listens. @throws M2MSEC_MAF_CONFIG_INVALID */
function validate(options: MafServiceOptions): { config: MafConfig; mef?: MafMefConfig } {
  const c = options.config
  const fqdn = fqdnOrFail(c.fqdn, 'MAF FQDN')
  if (!(c.kcLifetimeMs > 0) || !(c.registrationMaxLifetimeMs > 0)) throw configInvalid('kcLifetimeMs and registrationMaxLifetimeMs must be positive')
  checkPem(options.credential.certPem, 'MAF certificate')
  for (const anchor of options.clientTrustAnchors ?? []) checkPem(anchor, 'client trust anchor')
  const config: MafConfig = { fqdn, kcLifetimeMs: c.kcLifetimeMs, registrationMaxLifetimeMs: c.registrationMaxLifetimeMs }
  if (c.mef === undefined) return { config }
  const mefFqdn = fqdnOrFail(c.mef.fqdn, 'MEF FQDN')
  if (!TARGET_KEY_MODES.includes(c.mef.targetKeyMode)) throw configInvalid(`unknown target key mode '${String(c.mef.targetKeyMode)}'`)
  if (!/^https:\/\//.test(c.mef.url)) throw configInvalid('the MEF URL must be an https URL')
  for (const anchor of typeof c.mef.caPem === 'string' ? [c.mef.caPem] : c.mef.caPem) checkPem(anchor, 'MEF trust anchor')
  return { config, mef: { ...c.mef, fqdn: mefFqdn } }
}

function peerSubject(peer: MafPeer): string {
  return peer.clientId
}

function outcomeOf(rsc: number): MafOutcome {
  return rsc < 3000 ? 'ok' : rsc < 5000 ? 'refused' : 'failed'
}

function isKeyRetrieval(p: RequestPrimitive, fqdn: string): boolean {
  if (p.op !== OPERATION.RETRIEVE) return false
  try {
    return routeTo(p.to, fqdn).route.kind === 'key'
  } catch {
    return false
  }
}

/** The Km fetch, timed and reported: a refusal is an answer, a throw (MEF unreachable) a failure. */
function reportedFetch(fetch: KmFetcher, emit: (event: MafServiceEvent) => void): KmFetcher {
  return async (keId) => {
    const started = performance.now()
    const durationMs = (): number => Math.round((performance.now() - started) * 1000) / 1000
    try {
      const outcome = await fetch(keId)
      emit({ type: 'key-fetch', server: 'mef', outcome: outcome.ok ? 'ok' : 'refused', durationMs: durationMs() })
      return outcome
    } catch (error) {
      emit({ type: 'key-fetch', server: 'mef', outcome: 'failed', durationMs: durationMs() })
      throw error
    }
  }
}

/**
 * Starts a MAF on `options.listen` (default 127.0.0.1, port 0).
 * @throws MafError M2MSEC_MAF_CONFIG_INVALID for unusable options; the listen error otherwise.
 */
export async function createMafService(options: MafServiceOptions): Promise<MafService> {
  const { config, mef } = validate(options)
  const clock = options.clock ?? ((): Date => new Date())
  const deps: MafDeps = { store: options.store, config, auditLink: options.auditLink ?? auditLinker() }
  const emit = options.onEvent ?? ((): void => undefined)
  const audit = (event: MafAuditEvent): void => {
    recordMafAudit(deps, { ...event, at: event.at ?? clock() }).catch((error: unknown) => emit({ type: 'audit-failed', action: event.action, error }))
  }
  const fetch = mef === undefined ? undefined : reportedFetch(options.kmFetcher ?? createMefKmFetcher({ mef, mafFqdn: config.fqdn, credential: options.credential }), emit)
  const resolution = {
    store: options.store, fqdn: config.fqdn, now: clock, onRefusal: audit, auditLink: deps.auditLink,
    ...(mef === undefined || fetch === undefined ? {} : { mef: { fqdn: mef.fqdn, fetch } }),
  }
  const credential: ServerCredential = { cert: options.credential.certPem, key: options.credential.keyPem }
  const anchors = options.clientTrustAnchors ?? []
  const listener: SecureListener<MafPeer> = createMixedServer<MafPeer>({
    psk: { resolve: createMafPskResolver(resolution) },
    ...(anchors.length === 0 ? {} : {
      certificate: { fallback: credential, bySni: new Map([[config.fqdn, credential]]), trustAnchors: [...anchors], resolve: createMafCertificateResolver(resolution) },
    }),
    ...(options.handshakeTimeoutMs === undefined ? {} : { handshakeTimeoutMs: options.handshakeTimeoutMs }),
  })
  listener.on('resolveError', (error: unknown) => emit({ type: 'resolver-failed', error }))
  listener.on('handshakeError', (error: unknown, info: { sni?: string; identity?: string; remoteAddress?: string }) => {
    const code = error instanceof M2mSecError ? error.code : 'unknown'
    // The PSK and certificate resolvers already recorded why they refused a peer.
    if (code === 'M2MSEC_TLS_PSK_UNKNOWN_IDENTITY' || code === 'M2MSEC_TLS_PEER_REFUSED') return
    audit({ action: MAF_AUDIT_ACTION.handshake, outcome: refusedOutcome(code), subject: { sni: info.sni ?? null, identity: info.identity ?? null, remoteAddress: info.remoteAddress ?? null } })
  })
  listener.on('handshake', (summary: HandshakeSummary) => emit(handshakeEvent(summary)))

  const sessions = new WeakMap<TLSSocket, MafSession>()
  const sessionOf = (socket: TLSSocket): MafSession => {
    let session = sessions.get(socket)
    if (session === undefined) {
      session = { exportKeyingMaterial: (label, length) => exportKeyingMaterial(socket, label, length) }
      sessions.set(socket, session)
    }
    return session
  }

  const handle = async (primitive: RequestPrimitive, context: OneM2mRequestContext<MafPeer>) => {
    const peer = context.connection.binding
    try {
      if (context.connection.sni?.toLowerCase() !== config.fqdn) throw refused(RSC.NOT_FOUND, 'the TLS session does not name this MAF')
      return await routeRequest({ primitive, peer, session: sessionOf(context.connection.socket), now: clock() }, deps, context.host)
    } catch (error) {
      const rsc = rscForError(error)
      audit({ action: MAF_AUDIT_ACTION.request, outcome: refusedOutcome(String(rsc)), subject: { op: primitive.op, to: primitive.to, fr: primitive.fr ?? null, peer: peerSubject(peer) } })
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
