/**
 * Certificate side of a TLS 1.2 connection (TS-0003 10.2.3, 8.1.2.5): the server credential
 * per SNI, the trust anchors for peers, and the §3.5-ordered acceptance of a peer certificate
 * once OpenSSL finished the handshake. Node's server API gives no asynchronous certificate hook
 * inside the handshake, so checks run right after it and refusal closes the connection before
 * any application byte is read.
 */
import type { TLSSocket, PeerCertificate, DetailedPeerCertificate } from 'node:tls'
import { subjectAltNames, verifyPeerCertificate, type ExpectedPeerIdentity, type PeerVerdict } from '../../pki/index.js'
import { TransportError } from '../errors.js'
import type { PeerCredentialInfo } from './secure-connection.js'

/** PEM private key and certificate (leaf first, then intermediates). */
export interface ServerCredential {
  readonly key: string | Buffer
  readonly cert: string | Buffer
}

export type CertificatePeer = Extract<PeerCredentialInfo, { kind: 'certificate' }>

/** Binds a verified certificate peer (CSE-ID, AE-ID, device id → AE-IDs…); null refuses it. Must honour `signal`. */
export type CertificateResolver<B> = (peer: CertificatePeer, sni: string | undefined, signal: AbortSignal) => Promise<{ readonly binding: B } | null>

export interface CertificateAuthority<B> {
  /** Credential for an absent or unknown SNI. */
  readonly fallback: ServerCredential
  /** Credential per SNI host name (compared case-insensitively). */
  readonly bySni?: ReadonlyMap<string, ServerCredential>
  /** PEM trust anchors for peer certificates (8.1.2.4). */
  readonly trustAnchors: readonly (string | Buffer)[]
  /** Identifier the peer must carry; absent when the identity is learnt from the certificate. */
  readonly expected?: ExpectedPeerIdentity
  readonly resolve: CertificateResolver<B>
}

/** DER of the peer's chain, leaf first, as OpenSSL received and linked it. */
export function peerChain(socket: TLSSocket): Uint8Array[] {
  const chain: Uint8Array[] = []
  let cert: PeerCertificate | DetailedPeerCertificate | undefined = socket.getPeerCertificate(true)
  while (cert !== undefined && cert.raw !== undefined && chain.length < 10) {
    chain.push(new Uint8Array(cert.raw))
    const next: DetailedPeerCertificate | undefined = (cert as DetailedPeerCertificate).issuerCertificate
    if (next === undefined || next === cert || next.raw?.equals(cert.raw)) break
    cert = next
  }
  return chain
}

/**
 * OpenSSL's path-validation result for the peer (null when valid). Client sockets expose it as
 * `authorizationError`; server sockets only through the TLSWrap handle, as tls.Server reads it.
 */
export function chainErrorOf(socket: TLSSocket): string | null {
  if (!socket.authorized && typeof socket.authorizationError === 'string') return socket.authorizationError
  const handle = (socket as unknown as { ssl?: { verifyError?: () => (Error & { code?: string }) | null } }).ssl
  const error = handle?.verifyError?.()
  return error ? (error.code ?? error.message) : null
}

/** Maps a §3.5 refusal to its code (the wire sees only a closed handshake either way). */
export function refusalError(verdict: Exclude<PeerVerdict, { ok: true }>): TransportError {
  const code = verdict.refusal === 'identifier-mismatch' || verdict.refusal === 'wildcard-name' ? 'M2MSEC_TLS_PEER_ID_MISMATCH' : 'M2MSEC_TLS_PEER_UNTRUSTED'
  return new TransportError(code, 'unauthenticated', `peer certificate refused: ${verdict.detail}`)
}

/**
 * Verifies the peer per §3.5 and asks the authority's resolver for its binding.
 * @throws M2MSEC_TLS_PEER_ID_MISMATCH, M2MSEC_TLS_PEER_UNTRUSTED, M2MSEC_TLS_PEER_REFUSED, M2MSEC_TLS_RESOLVE_FAILED
 */
export async function acceptCertificatePeer<B>(
  socket: TLSSocket,
  authority: CertificateAuthority<B>,
  sni: string | undefined,
  signal: AbortSignal,
): Promise<{ readonly peer: CertificatePeer; readonly binding: B }> {
  const chain = peerChain(socket)
  const leaf = chain[0]
  const sans = leaf === undefined ? undefined : subjectAltNames(leaf)
  const verdict = verifyPeerCertificate({ sans, chainError: chainErrorOf(socket), ...(authority.expected ? { expected: authority.expected } : {}) })
  if (!verdict.ok) throw refusalError(verdict)
  const peer: CertificatePeer = { kind: 'certificate', sans: sans ?? [], chain }
  let resolved: { readonly binding: B } | null
  try {
    resolved = await authority.resolve(peer, sni, signal)
  } catch (error) {
    throw new TransportError('M2MSEC_TLS_RESOLVE_FAILED', 'internal', 'certificate peer resolver failed', { cause: error })
  }
  // Its own code: the resolver has recorded why it refused, so listeners can tell this from a bad chain.
  if (resolved === null) throw new TransportError('M2MSEC_TLS_PEER_REFUSED', 'unauthenticated', 'certificate peer refused by the resolver')
  return { peer, binding: resolved.binding }
}
