/**
 * Entity A's side of SA2 (TS-0003 8.2.1 figure 8.2.1-2; frameworks.md §4.5; wire.md §9.2–§9.3):
 * a TLS server on the AE's pointOfAccess at which the gateway (Entity B, now the TLS client)
 * delivers the Registrar's requests — notifications above all. It accepts only SA1's credential
 * with roles reversed: PSK — the very psk_identity and key the entity used as client; certificate —
 * the entity's certificate as server certificate, and a gateway certificate proving the gateway
 * FQDN under the configured trust anchors. Every request goes to `onRequest`; a NOTIFY is
 * answered 2000 unless the handler says otherwise (wire.md §9.2: an empty body, rqi echoed).
 */
import { timingSafeEqual } from 'node:crypto'
import { OPERATION, RSC, type RequestPrimitive } from '../onem2m/index.js'
import {
  createCertificateServer, createOneM2mHttpServer, createPskServer, type SecureConnection, type SecureListener,
} from '../transport/index.js'
import type { EntityACredential } from './entity-a.js'

export interface Sa2ServerOptions {
  /** SA1's credential, reused as is. */
  readonly credential: EntityACredential
  /** The gateway FQDN its certificate must prove (certificate credential). */
  readonly gatewayFqdn: string
  readonly listen?: { readonly host?: string; readonly port?: number }
  /** Called for every request the gateway relays; returns the rsc to answer (default 2000 for NOTIFY, 4005 otherwise). */
  readonly onRequest: (request: RequestPrimitive) => number | undefined | Promise<number | undefined>
  readonly handshakeTimeoutMs?: number
}

export interface Sa2Server {
  readonly host: string
  readonly port: number
  /** The `https://` pointOfAccess to register, for `path` (default `/notify`). */
  poa(path?: string): string
  close(): Promise<void>
}

const encoder = new TextEncoder()

function sameIdentity(a: string, b: string): boolean {
  const x = encoder.encode(a)
  const y = encoder.encode(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function listenerFor(options: Sa2ServerOptions): SecureListener<null> {
  const c = options.credential
  const timeout = options.handshakeTimeoutMs === undefined ? {} : { handshakeTimeoutMs: options.handshakeTimeoutMs }
  if (c.kind === 'psk') {
    // §4.5 [I]: the server side accepts the same psk_identity it used as client, and nothing else.
    return createPskServer<null>({ resolve: async (identity) => (sameIdentity(identity, c.identity) ? { key: c.key, binding: null } : null), ...timeout })
  }
  return createCertificateServer<null>({
    fallback: { cert: c.certPem, key: c.keyPem }, trustAnchors: typeof c.gatewayCaPem === 'string' ? [c.gatewayCaPem] : [...c.gatewayCaPem],
    expected: { flavour: 'fqdn', fqdn: options.gatewayFqdn.toLowerCase() }, resolve: async () => ({ binding: null }), ...timeout,
  })
}

/**
 * Starts the SA2 server.
 * @throws TransportError when the listen address cannot be bound.
 */
export async function serveSa2(options: Sa2ServerOptions): Promise<Sa2Server> {
  const listener = listenerFor(options)
  const http = createOneM2mHttpServer<null>(listener, async (request, _context: { connection: SecureConnection<null> }) => {
    const chosen = await options.onRequest(request)
    const rsc = chosen ?? (request.op === OPERATION.NOTIFY ? RSC.OK : RSC.OPERATION_NOT_ALLOWED)
    return { response: { rsc, rqi: request.rqi, ...(request.rvi === undefined ? {} : { rvi: request.rvi }) } }
  })
  const address = await listener.listen(options.listen?.port ?? 0, options.listen?.host ?? '127.0.0.1')
  const hostText = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    host: address.address,
    port: address.port,
    poa: (path = '/notify') => `https://${hostText}:${address.port}${path.startsWith('/') ? path : `/${path}`}`,
    close: async () => {
      http.close()
      http.closeAllConnections()
      await listener.close()
    },
  }
}
