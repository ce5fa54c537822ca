/**
 * TLS 1.2 listeners of TS-0003 10.2: PSK (10.2.2), certificate with mutual authentication
 * (10.2.3), or both on one port. SNI selects the authority (RFC 6066 §3, 10.2.1): the server
 * certificate through SNICallback, the PSK namespace through the resolver's `sni` argument.
 * PSK look-ups are asynchronous through the HandshakeGate; certificate peers go through
 * verifyPeerCertificate (frameworks.md §3.5) and an asynchronous resolver for their binding.
 * A connection is announced ('connection') only once its binding is known.
 *
 * Events: 'connection' (SecureConnection<B>), 'handshakeError' (TransportError, HandshakeInfo),
 * 'resolveError' (unknown, HandshakeInfo) when a resolver throws — never an uncaught error — and
 * 'handshake' (HandshakeSummary, SecureConnection<B> | undefined) once per accepted TCP connection,
 * whatever its end, so services can log and count every handshake with its duration (issue 8).
 */
import { EventEmitter } from 'node:events'
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { TLSSocket, createSecureContext, type SecureContext } from 'node:tls'
import { TransportError, type TransportErrorCode } from '../errors.js'
import { ALERT, HandshakeGate, type GateVerdict } from './handshake-gate.js'
import { profileOptions, type TlsFramework } from './profile.js'
import { acceptCertificatePeer, type CertificateAuthority } from './certificate-peer.js'
import { registerConnection, type SecureConnection } from './secure-connection.js'
import type { SecretBytes } from '../../core/index.js'

export interface PskResolution<B> {
  readonly key: SecretBytes
  readonly binding: B
}

/** Looks a psk_identity up (database, MAF, MEF…); null means "unknown identity". Must honour `signal`. */
export type PskResolver<B> = (identity: string, sni: string | undefined, signal: AbortSignal) => Promise<PskResolution<B> | null>

export interface PskAuthority<B> {
  readonly resolve: PskResolver<B>
  /** RFC 4279 psk_identity_hint; TS-0003 defines none (frameworks.md §2.2). */
  readonly identityHint?: string
}

export interface SecureListenerOptions<B> {
  readonly psk?: PskAuthority<B>
  readonly certificate?: CertificateAuthority<B>
  /** Whole-handshake deadline including resolution; a stalled peer is dropped after it. Default 10 s. */
  readonly handshakeTimeoutMs?: number
}

export interface HandshakeInfo {
  readonly sni: string | undefined
  readonly identity: string | undefined
  readonly remoteAddress: string | undefined
}

/**
 * How one handshake ended. `refused`: the resolver did not know or did not accept the peer
 * (unknown psk_identity, certificate peer refused); `failed`: anything else (timeout, protocol
 * error, resolver failure, peer gone). `framework` is what the peer attempted as far as the
 * listener saw it: undefined when it never got that far.
 */
export interface HandshakeSummary {
  readonly outcome: 'ok' | 'refused' | 'failed'
  readonly framework: TlsFramework | undefined
  readonly code?: TransportErrorCode
  readonly durationMs: number
  readonly sni: string | undefined
  readonly identity: string | undefined
}

/** Codes that mean "this peer is not accepted", by the framework that refused it. */
const REFUSALS: ReadonlyMap<string, TlsFramework> = new Map([
  ['M2MSEC_TLS_PSK_UNKNOWN_IDENTITY', 'psk'],
  ['M2MSEC_TLS_PEER_REFUSED', 'certificate'],
  ['M2MSEC_TLS_PEER_UNTRUSTED', 'certificate'],
  ['M2MSEC_TLS_PEER_ID_MISMATCH', 'certificate'],
])

function failureSummary(error: TransportError, info: HandshakeInfo, durationMs: number): HandshakeSummary {
  const refusedBy = REFUSALS.get(error.code)
  const framework = info.identity !== undefined ? 'psk' : refusedBy
  return { outcome: refusedBy === undefined ? 'failed' : 'refused', framework, code: error.code, durationMs, sni: info.sni, identity: info.identity }
}

const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000
const identityDecoder = new TextDecoder('utf-8', { fatal: true })

export class SecureListener<B> extends EventEmitter {
  readonly #server: Server
  readonly #options: SecureListenerOptions<B>
  readonly #frameworks: TlsFramework[]
  readonly #context: SecureContext
  readonly #sniContexts = new Map<string, SecureContext>()
  readonly #timeoutMs: number
  /** Raw sockets still open, so close() can cut them after its bound. */
  readonly #open = new Set<Socket>()

  /** @throws M2MSEC_TLS_CONFIG_INVALID when neither framework is configured or the timeout is not positive. */
  constructor(options: SecureListenerOptions<B>) {
    super()
    const timeoutMs = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS
    if ((options.psk === undefined && options.certificate === undefined) || !(timeoutMs > 0)) {
      throw new TransportError('M2MSEC_TLS_CONFIG_INVALID', 'bad-input', 'a listener needs a PSK or certificate authority and a positive handshake timeout')
    }
    this.#options = options
    this.#timeoutMs = timeoutMs
    this.#frameworks = [...(options.certificate ? (['certificate'] as const) : []), ...(options.psk ? (['psk'] as const) : [])]
    const base = profileOptions(this.#frameworks)
    const cert = options.certificate
    this.#context = createSecureContext({ ...base, ...(cert ? { ...cert.fallback, ca: [...cert.trustAnchors] } : {}) })
    for (const [name, credential] of cert?.bySni ?? []) {
      this.#sniContexts.set(name.toLowerCase(), createSecureContext({ ...base, ...credential, ca: [...cert!.trustAnchors] }))
    }
    this.#server = createServer({ noDelay: true }, (raw) => this.#accept(raw))
  }

  /** Listens (default 127.0.0.1, port 0) and resolves with the bound address. */
  listen(port = 0, host = '127.0.0.1'): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject)
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject)
        resolve(this.#server.address() as AddressInfo)
      })
    })
  }

  address(): AddressInfo {
    return this.#server.address() as AddressInfo
  }

  /** Open TCP connections, handshaking or established. */
  getConnections(): Promise<number> {
    return new Promise((resolve, reject) => this.#server.getConnections((error, count) => (error ? reject(error) : resolve(count))))
  }

  /**
   * Stops accepting; resolves once every open connection has closed. Connections still open
   * after `forceAfterMs` are destroyed, so a peer that keeps its session open cannot hold a
   * shutdown forever.
   */
  close(forceAfterMs = 2000): Promise<void> {
    return new Promise((resolve) => {
      const force = setTimeout(() => {
        for (const socket of this.#open) socket.destroy()
      }, forceAfterMs)
      force.unref()
      this.#server.close(() => {
        clearTimeout(force)
        resolve()
      })
    })
  }

  #accept(raw: Socket): void {
    this.#open.add(raw)
    raw.once('close', () => this.#open.delete(raw))
    const psk = this.#options.psk
    const controller = new AbortController()
    const state: { identity?: string; resolution?: PskResolution<B> | null; error?: TransportError; done: boolean } = { done: false }
    const remoteAddress = raw.remoteAddress
    const started = performance.now()
    const elapsed = (): number => Math.round((performance.now() - started) * 1000) / 1000
    const info = (): HandshakeInfo => ({ sni: gate?.sni ?? (tls.servername || undefined), identity: state.identity, remoteAddress })
    const gate = psk ? new HandshakeGate(raw, { onPskIdentity: (id, sni) => this.#resolvePsk(psk, id, sni, state, controller.signal, info) }) : undefined
    const tls = new TLSSocket(gate ?? raw, {
      isServer: true,
      secureContext: this.#context,
      requestCert: this.#options.certificate !== undefined,
      rejectUnauthorized: false, // checked in §3.5 order by acceptCertificatePeer
      // Unknown SNI keeps the default context; without per-SNI credentials Node's own handling suffices.
      ...(this.#sniContexts.size > 0 ? { SNICallback: (name: string, cb: (e: Error | null, c?: SecureContext) => void) => cb(null, this.#sniContexts.get(name.toLowerCase())) } : {}),
      ...(psk ? { pskCallback: (_s: TLSSocket, id: string) => answerPsk(state, id), pskIdentityHint: psk.identityHint } : {}),
    })
    // TLSSocket copies allowHalfOpen from what it wraps; the gate is half-open (see HandshakeGate),
    // the TLS connection is not: a peer's FIN ends it, exactly as tls.Server does.
    tls.allowHalfOpen = false
    const fail = (error: TransportError): void => {
      state.error ??= error
      tls.destroy()
      raw.destroy()
    }
    const timer = setTimeout(() => fail(new TransportError('M2MSEC_TLS_HANDSHAKE_TIMEOUT', 'unavailable', `handshake exceeded ${this.#timeoutMs} ms`)), this.#timeoutMs)
    let tlsError: Error | undefined
    tls.on('error', (error) => (tlsError ??= error))
    tls.once('secure', () => {
      this.#established(tls, gate, state, controller.signal).then(
        (connection) => {
          if (state.done || tls.destroyed) return
          state.done = true
          clearTimeout(timer)
          registerConnection(connection)
          this.emit('connection', connection)
          const summary: HandshakeSummary = { outcome: 'ok', framework: connection.framework, durationMs: elapsed(), sni: connection.sni, identity: state.identity }
          this.emit('handshake', summary, connection)
        },
        (error: unknown) => {
          const failure = error instanceof TransportError ? error : handshakeFailed(error)
          if (failure.code === 'M2MSEC_TLS_RESOLVE_FAILED' && !controller.signal.aborted) this.emit('resolveError', failure.cause, info())
          fail(failure)
        },
      // A 'connection' or 'handshake' listener that throws must not become an unhandled rejection
      // that takes the whole server down: the connection it could not take over is closed instead.
      ).catch(() => tls.destroy())
    })
    tls.once('close', () => {
      clearTimeout(timer)
      raw.destroy()
      // Once announced, every resolver has settled: there is nothing left to abort.
      if (state.done) return
      state.done = true
      controller.abort()
      const failure = state.error ?? gate?.failure ?? handshakeFailed(tlsError)
      this.emit('handshakeError', failure, info())
      this.emit('handshake', failureSummary(failure, info(), elapsed()), undefined)
    })
  }

  async #resolvePsk(
    psk: PskAuthority<B>,
    identityBytes: Uint8Array,
    sni: string | undefined,
    state: { identity?: string; resolution?: PskResolution<B> | null; error?: TransportError },
    signal: AbortSignal,
    info: () => HandshakeInfo,
  ): Promise<GateVerdict> {
    const identity = decodeIdentity(identityBytes)
    if (identity === undefined) {
      state.error = unknownIdentity()
      return { release: false, alert: ALERT.unknownPskIdentity }
    }
    state.identity = identity
    try {
      const resolution = await psk.resolve(identity, sni, signal)
      state.resolution = resolution
      // A null answer is released too: OpenSSL's pskCallback then finds no key and sends unknown_psk_identity.
      if (resolution === null) state.error = unknownIdentity()
      return { release: true }
    } catch (error) {
      if (!signal.aborted) this.emit('resolveError', error, info())
      state.error = new TransportError('M2MSEC_TLS_RESOLVE_FAILED', 'internal', 'PSK resolver failed', { cause: error })
      return { release: false, alert: ALERT.internalError }
    }
  }

  async #established(
    tls: TLSSocket,
    gate: HandshakeGate | undefined,
    state: { identity?: string; resolution?: PskResolution<B> | null },
    signal: AbortSignal,
  ): Promise<SecureConnection<B>> {
    const cipher = tls.getCipher().standardName
    const sni = gate?.sni ?? (tls.servername || undefined)
    if (cipher === 'TLS_PSK_WITH_AES_128_CBC_SHA256') {
      const resolution = state.resolution
      if (!resolution || state.identity === undefined) throw handshakeFailed(undefined)
      return { socket: tls, framework: 'psk', cipher, sni, peer: { kind: 'psk', identity: state.identity }, binding: resolution.binding }
    }
    const authority = this.#options.certificate
    if (authority === undefined) throw handshakeFailed(undefined)
    const accepted = await acceptCertificatePeer(tls, authority, sni, signal)
    return { socket: tls, framework: 'certificate', cipher, sni, peer: accepted.peer, binding: accepted.binding }
  }
}

/** pskCallback: answers synchronously from what the gate resolved, and only for that identity. */
function answerPsk<B>(state: { identity?: string; resolution?: PskResolution<B> | null }, identity: string): Uint8Array | undefined {
  if (state.resolution == null || state.identity !== identity) return undefined
  return state.resolution.key.reveal()
}

/** UTF-8 without NUL: OpenSSL hands the callback a C string, so anything else could alias another identity. */
function decodeIdentity(bytes: Uint8Array): string | undefined {
  try {
    const text = identityDecoder.decode(bytes)
    return text.includes('\0') ? undefined : text
  } catch {
    return undefined
  }
}

function unknownIdentity(): TransportError {
  return new TransportError('M2MSEC_TLS_PSK_UNKNOWN_IDENTITY', 'unauthenticated', 'psk_identity is not known')
}

function handshakeFailed(cause: unknown): TransportError {
  return new TransportError('M2MSEC_TLS_HANDSHAKE_FAILED', 'unauthenticated', 'TLS handshake failed', cause === undefined ? undefined : { cause })
}

/** TS-0003 10.2.2 PSK listener with asynchronous resolution. */
export function createPskServer<B>(options: PskAuthority<B> & { readonly handshakeTimeoutMs?: number }): SecureListener<B> {
  const { handshakeTimeoutMs, ...psk } = options
  return new SecureListener<B>({ psk, ...(handshakeTimeoutMs === undefined ? {} : { handshakeTimeoutMs }) })
}

/** TS-0003 10.2.3 certificate listener with mutual authentication. */
export function createCertificateServer<B>(options: CertificateAuthority<B> & { readonly handshakeTimeoutMs?: number }): SecureListener<B> {
  const { handshakeTimeoutMs, ...certificate } = options
  return new SecureListener<B>({ certificate, ...(handshakeTimeoutMs === undefined ? {} : { handshakeTimeoutMs }) })
}

/** One port offering both; SecureConnection.framework says which ran. */
export function createMixedServer<B>(options: SecureListenerOptions<B>): SecureListener<B> {
  return new SecureListener<B>(options)
}
