/**
 * HTTP/1.1 (TS-0009 binding's carrier) over our TLS listeners. The server side hands each
 * authenticated TLS connection to an http.Server, so every request can read its connection's
 * framework, peer and binding with `requestConnection(req)`. The client side pins requests to
 * one established TLS connection: a key registration must export its key from the very session
 * that carries it (TS-0003 8.8.2.7), which a pooling agent cannot promise.
 */
import { Agent, createServer, type IncomingMessage, type RequestListener, type Server, type ServerOptions } from 'node:http'
import type { Duplex } from 'node:stream'
import type { TLSSocket } from 'node:tls'
import { TransportError } from '../errors.js'
import type { SecureListener } from '../tls/secure-listener.js'
import { connectionOf, type SecureConnection } from '../tls/secure-connection.js'

/**
 * How long an authenticated connection may stay idle between requests. Node's http default (5 s)
 * suits browsers behind cheap TCP; here every new connection costs a full TLS handshake with a key
 * lookup (MEF fetch, MAF retrieval), and a device keeps its SA1 open to send readings every few
 * tens of seconds — so idle sessions are kept for two minutes unless the caller says otherwise.
 */
export const SECURE_IDLE_TIMEOUT_MS = 120_000

/** An http.Server that serves every connection `listener` authenticates (it never listens itself). */
export function createSecureHttpServer<B>(
  listener: SecureListener<B>, handler: RequestListener, options: ServerOptions & { readonly idleTimeoutMs?: number } = {},
): Server {
  const { idleTimeoutMs, ...serverOptions } = options
  const server = createServer(serverOptions, handler)
  server.keepAliveTimeout = idleTimeoutMs ?? SECURE_IDLE_TIMEOUT_MS
  const onConnection = (connection: SecureConnection<B>): void => {
    server.emit('connection', connection.socket)
  }
  listener.on('connection', onConnection)
  server.once('close', () => listener.off('connection', onConnection))
  return server
}

/**
 * The authenticated connection a request arrived on.
 * @throws M2MSEC_TLS_NOT_ESTABLISHED when the request did not come through a SecureListener.
 */
export function requestConnection<B>(req: IncomingMessage): SecureConnection<B> {
  const connection = connectionOf<B>(req.socket)
  if (connection === undefined) {
    throw new TransportError('M2MSEC_TLS_NOT_ESTABLISHED', 'bad-input', 'request did not arrive over an authenticated TLS connection')
  }
  return connection
}

/**
 * An http.Agent whose only connection is `socket`: keep-alive, one socket, never a new one.
 * Requests made with it run in order on that TLS session; once it closes, requests fail.
 */
export function pinnedAgent(socket: TLSSocket): Agent {
  let handedOut = false
  const agent = new Agent({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1 })
  agent.createConnection = (_options, callback): Duplex | null | undefined => {
    if (handedOut || socket.destroyed) {
      callback?.(new TransportError('M2MSEC_TLS_NOT_ESTABLISHED', 'unavailable', 'the pinned TLS connection is closed'), undefined as unknown as Duplex)
      return undefined
    }
    handedOut = true
    return socket
  }
  return agent
}
