/**
 * TLS 1.2 clients of TS-0003 10.2: PSK (10.2.2) and certificate with mutual authentication
 * (10.2.3). Every client sends SNI (10.2.1); the server certificate is checked in the order of
 * frameworks.md §3.5 — configured identifier first, then the path validation OpenSSL did —
 * instead of Node's default host-name check, which knows neither AE-IDs nor Node-IDs.
 */
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls'
import type { Duplex } from 'node:stream'
import { subjectAltNames, verifyPeerCertificate, type ExpectedPeerIdentity } from '../../pki/index.js'
import type { SecretBytes } from '../../core/index.js'
import { TransportError } from '../errors.js'
import { chainErrorOf, peerChain, refusalError, type ServerCredential } from './certificate-peer.js'
import { profileOptions } from './profile.js'

interface ClientBase {
  readonly host?: string
  readonly port?: number
  /** An already-connected stream to run TLS over instead of host/port (a proxy, a test pipe). */
  readonly socket?: Duplex
  /** SNI host name: the authority the client dials (mandatory, 10.2.1). */
  readonly servername: string
  /** Handshake deadline; default 10 s. */
  readonly timeoutMs?: number
}

export interface PskClientOptions extends ClientBase {
  readonly identity: string
  readonly key: SecretBytes
}

export interface CertificateClientOptions extends ClientBase {
  readonly credential: ServerCredential
  readonly trustAnchors: readonly (string | Buffer)[]
  /** What the server's certificate must carry; default: its FQDN equals `servername` (FQDN flavour). */
  readonly expected?: ExpectedPeerIdentity
}

function open(options: ClientBase, tlsOptions: ConnectionOptions, check: (socket: TLSSocket) => TransportError | undefined): Promise<TLSSocket> {
  if (options.servername.length === 0) {
    return Promise.reject(new TransportError('M2MSEC_TLS_CONFIG_INVALID', 'bad-input', 'a TLS client needs an SNI host name'))
  }
  return new Promise((resolve, reject) => {
    const socket = connect({
      ...tlsOptions,
      ...(options.socket ? { socket: options.socket } : { host: options.host ?? '127.0.0.1', port: options.port }),
      servername: options.servername,
    })
    const timer = setTimeout(() => {
      settle(new TransportError('M2MSEC_TLS_HANDSHAKE_TIMEOUT', 'unavailable', 'TLS handshake timed out'))
    }, options.timeoutMs ?? 10_000)
    const settle = (error?: TransportError): void => {
      clearTimeout(timer)
      socket.off('error', onError)
      socket.off('close', onClose)
      if (error === undefined) return resolve(socket)
      socket.destroy()
      reject(error)
    }
    const onError = (cause: Error): void => settle(new TransportError('M2MSEC_TLS_HANDSHAKE_FAILED', 'unauthenticated', 'TLS handshake failed', { cause }))
    const onClose = (): void => settle(new TransportError('M2MSEC_TLS_HANDSHAKE_FAILED', 'unauthenticated', 'peer closed the TLS handshake'))
    socket.once('error', onError)
    socket.once('close', onClose)
    socket.once('secureConnect', () => settle(check(socket)))
  })
}

/**
 * Connects with a pre-shared key (TLS_PSK_WITH_AES_128_CBC_SHA256).
 * @throws M2MSEC_TLS_HANDSHAKE_FAILED (wrong key, unknown identity: the server's alert is the cause), M2MSEC_TLS_HANDSHAKE_TIMEOUT
 */
export function connectPsk(options: PskClientOptions): Promise<TLSSocket> {
  return open(
    options,
    {
      ...profileOptions(['psk']),
      // Our identity and key whatever hint the server sends: TS-0003 defines none.
      pskCallback: () => ({ identity: options.identity, psk: options.key.reveal() }),
      // The PSK authenticates the server; no certificate is involved.
      checkServerIdentity: () => undefined,
    },
    () => undefined,
  )
}

/**
 * Connects with a certificate (TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, P-256, mutual).
 * @throws M2MSEC_TLS_PEER_ID_MISMATCH, M2MSEC_TLS_PEER_UNTRUSTED, M2MSEC_TLS_HANDSHAKE_FAILED, M2MSEC_TLS_HANDSHAKE_TIMEOUT
 */
export function connectCertificate(options: CertificateClientOptions): Promise<TLSSocket> {
  const expected = options.expected ?? { flavour: 'fqdn', fqdn: options.servername }
  return open(
    options,
    {
      ...profileOptions(['certificate']),
      key: options.credential.key,
      cert: options.credential.cert,
      ca: [...options.trustAnchors],
      // §3.5 order is applied below, after the handshake, by verifyPeerCertificate.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    },
    (socket) => {
      const leaf = peerChain(socket)[0]
      const verdict = verifyPeerCertificate({ sans: leaf ? subjectAltNames(leaf) : undefined, chainError: chainErrorOf(socket), expected })
      return verdict.ok ? undefined : refusalError(verdict)
    },
  )
}
