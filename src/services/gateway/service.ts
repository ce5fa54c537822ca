/**
 * The gateway service (ARCHITECTURE.md §1 role `gateway`; TS-0003 8.2 Entity B for a Registrar
 * CSE): one TLS 1.2 port offering the configured SAEFs (PSK and MAF-based through the
 * asynchronous PSK resolver, certificate-based through the certificate resolver), each context
 * bound per frameworks.md §4.2–§4.3 (the SAEF's CSE-ID/AE-IDs, else the stored binding of its
 * Credential-ID), and oneM2M over HTTP into router.ts, which forwards to the upstream CSE.
 * Everything another instance needs is in the store; in-process state is per connection.
 */
import { X509Certificate } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { parseCseId, type SecretBytes } from '../../core/index.js'
import {
  DEFAULT_LIMITS, RSC, decodeHttpRequest, encodeHttpResponse, errorResponse, requestContextOf, tooLarge, type RequestPrimitive,
} from '../../onem2m/index.js'
import type { Store } from '../../store/index.js'
import {
  createMixedServer, createSecureHttpServer, requestConnection, type CertificateResolver, type PskResolver, type SecureConnection, type SecureListener,
} from '../../transport/index.js'
import type { RegistrarIds } from './entity-binding.js'
import { configInvalid } from './errors.js'
import type { GatewayCredential, KeyServerLink } from './key-server-link.js'
import { createMafKcRetriever } from './maf-key-retrieval.js'
import { createMefKpsaFetcher } from './mef-kpsa-fetch.js'
import { routeRequest, type GatewayRequestEvent, type RouterDeps } from './router.js'
import { SAEFS, saefFor, type KcRetriever, type KpsaFetcher, type PeerCredential, type Saef, type SaefDeps, type SaefName } from './saef/index.js'
import { GatewaySession } from './session.js'
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
}

export interface Sa2Config {
  readonly listen?: { readonly host?: string; readonly port?: number }
  /** Base URL the upstream CSE dials instead of the listen address (NAT, containers). */
  readonly publicUrl?: string
}

export type GatewayServiceEvent =
  | GatewayRequestEvent
  | { readonly type: 'handshake-refused'; readonly saef: string | null; readonly reason: string; readonly identity?: string }
  | { readonly type: 'resolver-failed'; readonly error: unknown }
  | { readonly type: 'request-failed'; readonly rsc: number; readonly error: unknown }
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
  /** Replace the MEF / MAF clients (tests). */
  readonly kpsaFetcher?: KpsaFetcher
  readonly kcRetriever?: KcRetriever
}

export interface GatewayService {
  readonly host: string
  readonly port: number
  /** The SA2 relay's base URL (what rewritten poa entries start with), when SA2 is on. */
  readonly sa2Url?: string
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

function buildSaefs(options: GatewayServiceOptions, now: () => Date): Saef[] {
  const c = options.config
  const needsCredential = (c.mef !== undefined || (c.mafs?.length ?? 0) > 0) && options.credential === undefined
  if (needsCredential) throw configInvalid('MEF and MAF links need the gateway certificate')
  const fr = c.cseId
  const fetchKpsa = options.kpsaFetcher ?? (c.mef && options.credential ? createMefKpsaFetcher(c.mef, options.credential, fr) : undefined)
  const retrieveKc = options.kcRetriever ?? (c.mafs && options.credential ? createMafKcRetriever(c.mafs, options.credential, fr) : undefined)
  const deps: SaefDeps = { store: options.store, now, ...(fetchKpsa ? { fetchKpsa } : {}), ...(retrieveKc ? { retrieveKc } : {}) }
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
  const saefs = buildSaefs(options, now)
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

  const establish = async (credential: PeerCredential, sni: string | undefined, signal: AbortSignal): Promise<{ session: GatewaySession; key?: SecretBytes } | null> => {
    const identity = credential.kind === 'psk' ? { identity: credential.identity } : {}
    if (sni?.toLowerCase() !== fqdn) {
      emit({ type: 'handshake-refused', saef: null, reason: 'wrong-sni', ...identity })
      return null
    }
    const saef = saefFor(saefs, credential)
    const outcome = saef === undefined ? ({ ok: false, refusal: 'unknown-identity' } as const) : await saef.resolve(credential, signal)
    if (!outcome.ok) {
      emit({ type: 'handshake-refused', saef: saef?.name ?? null, reason: outcome.refusal, ...identity })
      return null
    }
    // frameworks.md §4.3: the ID known for the credential, else the binding stored for its Credential-ID.
    const context = outcome.context
    const stored = context.boundTo === undefined ? await options.store.reader.findIdentityBinding(context.credentialId, now()) : undefined
    const bound = context.boundTo ?? (stored === undefined ? undefined : { kind: stored.entityKind, ids: stored.entityIds })
    return { session: new GatewaySession(context, bound), ...(outcome.key === undefined ? {} : { key: outcome.key }) }
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

  const sa2 = c.sa2 === false ? undefined : await startSa2(options, fqdn, now, emit)
  const deps: RouterDeps = {
    store: options.store, upstream, registrar, now, onEvent: emit,
    ...(sa2 === undefined ? {} : { rewriteBody: (r) => rewritePoa(r.primitive, r.session.context, sa2.key, sa2.base) }),
  }
  const limits = DEFAULT_LIMITS
  const answer = (res: ServerResponse, error: unknown, context: { rqi?: string; rvi?: string }): void => {
    const response = errorResponse(error, context, { M2MSEC_GATEWAY_UPSTREAM_UNAVAILABLE: RSC.TARGET_NOT_REACHABLE })
    if (response.rsc >= 5000) emit({ type: 'request-failed', rsc: response.rsc, error })
    const message = encodeHttpResponse(response)
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(message.status, message.headers as Record<string, string>)
      res.end(message.body)
    }
  }
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let primitive: RequestPrimitive | undefined
    try {
      const connection: SecureConnection<GatewaySession> = requestConnection<GatewaySession>(req)
      const body = await readBody(req, limits.maxBodyBytes, 10_000)
      primitive = decodeHttpRequest({ method: req.method ?? '', path: req.url ?? '/', headers: req.headers, body }, { limits }).primitive
      const relayed = await routeRequest(deps, { primitive, raw: req, body, session: connection.binding })
      res.writeHead(relayed.status, relayed.headers)
      res.end(relayed.body)
    } catch (error) {
      answer(res, error, primitive === undefined ? requestContextOf({ headers: req.headers }) : { rqi: primitive.rqi, ...(primitive.rvi === undefined ? {} : { rvi: primitive.rvi }) })
    }
  }
  const http = createSecureHttpServer(listener, (req, res) => void serve(req, res))
  let address
  try {
    address = await listener.listen(options.listen?.port ?? 0, options.listen?.host ?? '127.0.0.1')
  } catch (error) {
    await sa2?.relay.close()
    throw error
  }
  return {
    host: address.address,
    port: address.port,
    ...(sa2 === undefined ? {} : { sa2Url: sa2.base }),
    close: async () => {
      http.close()
      http.closeAllConnections()
      await listener.close()
      await sa2?.relay.close()
      upstream.close()
    },
  }
}
