/**
 * oneM2M primitives over our secure HTTP (TS-0009 on TS-0003 §10.2 TLS). The server decodes
 * every request into a primitive, hands it with its connection's authenticated identity to one
 * handler, and encodes whatever comes back — including every failure, as a oneM2M error
 * response, never a hang or a bare 500. The client sends primitives over one pinned TLS
 * connection, so a request that must be served from a particular session (key registration
 * with an exported key) is.
 */
import { request as httpRequest, type IncomingMessage, type Server } from 'node:http'
import type { TLSSocket } from 'node:tls'
import {
  DEFAULT_LIMITS,
  encodeHttpRequest,
  OneM2mError,
  type DecodedHttpRequest,
  type DecodedHttpResponse,
  type OneM2mLimits,
  type RequestPrimitive,
} from '../../onem2m/index.js'
import { TransportError } from '../errors.js'
import type { SecureListener } from '../tls/secure-listener.js'
import type { SecureConnection } from '../tls/secure-connection.js'
import { oneM2mRequestListener, readOneM2mResponse, type OneM2mReply, type OneM2mServerOptions } from './onem2m-exchange.js'
import { createSecureHttpServer, pinnedAgent, requestConnection } from './secure-http.js'

export type { OneM2mReply, OneM2mServerOptions, ServedRequest } from './onem2m-exchange.js'

export interface OneM2mRequestContext<B> {
  /** The authenticated TLS connection the request arrived on (framework, peer, binding). */
  readonly connection: SecureConnection<B>
  /** The Host header, for servers that must check it names them (mef-maf-interface.md §2.3). */
  readonly host?: string
  /** This request's id, also sent back as `x-request-id`. */
  readonly requestId: string
}

export type OneM2mHandler<B> = (request: RequestPrimitive, context: OneM2mRequestContext<B>) => Promise<OneM2mReply>

/** An http.Server answering every request that `listener` authenticates with `handler`. */
export function createOneM2mHttpServer<B>(listener: SecureListener<B>, handler: OneM2mHandler<B>, options: OneM2mServerOptions = {}): Server {
  const contextOf = (req: IncomingMessage, decoded: DecodedHttpRequest, requestId: string): OneM2mRequestContext<B> => ({
    connection: requestConnection<B>(req),
    requestId,
    ...(decoded.host === undefined ? {} : { host: decoded.host }),
  })
  return createSecureHttpServer(listener, oneM2mRequestListener(handler, contextOf, options))
}

export interface OneM2mClientOptions {
  /** Host header: the server's FQDN (and port), which MEF/MAF servers check. */
  readonly host: string
  readonly limits?: OneM2mLimits
  /** Bound on one request/response exchange. */
  readonly timeoutMs?: number
}

export interface OneM2mClient {
  /** The TLS session every request of this client travels on. */
  readonly socket: TLSSocket
  /**
   * Sends one request primitive and decodes the response.
   * @throws OneM2mError for a malformed response; TransportError when the connection fails or times out.
   */
  send(request: RequestPrimitive): Promise<DecodedHttpResponse>
  close(): void
}


/** A oneM2M client whose every request runs on `socket` (an established TLS connection). */
export function createOneM2mClient(socket: TLSSocket, options: OneM2mClientOptions): OneM2mClient {
  const agent = pinnedAgent(socket)
  const limits = options.limits ?? DEFAULT_LIMITS
  const timeoutMs = options.timeoutMs ?? 15_000
  const send = (primitive: RequestPrimitive): Promise<DecodedHttpResponse> =>
    new Promise((resolve, reject) => {
      const message = encodeHttpRequest(primitive, { host: options.host, limits })
      const req = httpRequest({ agent, method: message.method, path: message.path, headers: message.headers as Record<string, string> }, (res) => {
        readOneM2mResponse(res, limits).then(resolve, reject)
      })
      req.setTimeout(timeoutMs, () => req.destroy(new TransportError('M2MSEC_TLS_HANDSHAKE_TIMEOUT', 'unavailable', `no oneM2M response within ${timeoutMs} ms`)))
      req.on('error', (error) => reject(error instanceof TransportError || error instanceof OneM2mError ? error : new TransportError('M2MSEC_TLS_NOT_ESTABLISHED', 'unavailable', 'the TLS connection failed during a oneM2M request', { cause: error })))
      req.end(message.body)
    })
  return {
    socket,
    send,
    close: () => {
      agent.destroy()
      socket.destroy()
    },
  }
}
