/**
 * An established, authenticated TLS connection as the layers above see it: which framework ran
 * (TS-0003 10.2.2 or 10.2.3, read from the negotiated suite), the SNI, who the peer is, and the
 * binding the listener's resolver attached (an AE-ID, a Credential-ID, a key record…). The
 * binding travels with the socket, so an HTTP request can read it from `req.socket`.
 */
import type { Socket } from 'node:net'
import type { TLSSocket } from 'node:tls'
import type { SanEntry } from '../../pki/index.js'
import type { TlsFramework } from './profile.js'

export type PeerCredentialInfo =
  | { readonly kind: 'psk'; readonly identity: string }
  | { readonly kind: 'certificate'; readonly sans: readonly SanEntry[]; readonly chain: readonly Uint8Array[] }

export interface SecureConnection<B> {
  readonly socket: TLSSocket
  readonly framework: TlsFramework
  /** getCipher().standardName of the suite that ran. */
  readonly cipher: string
  readonly sni: string | undefined
  readonly peer: PeerCredentialInfo
  readonly binding: B
}

const registry = new WeakMap<Socket, SecureConnection<unknown>>()

/** Attaches `connection` to its socket (called by listeners once the binding is known). */
export function registerConnection<B>(connection: SecureConnection<B>): void {
  registry.set(connection.socket, connection)
}

/**
 * The authenticated connection a socket belongs to, or undefined for sockets no listener of
 * ours accepted. The caller states the binding type it configured its listener with.
 */
export function connectionOf<B>(socket: Socket): SecureConnection<B> | undefined {
  return registry.get(socket) as SecureConnection<B> | undefined
}
