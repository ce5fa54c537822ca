/**
 * oneM2M primitives over plain HTTP/1.1 (TS-0009 without TS-0003 §10.2 TLS), for the one place
 * where that is acceptable: a hop that never leaves the host or a private network, such as the
 * reference CSE behind the gateway (the gateway terminates the security association and is the
 * only peer). The server mirrors createOneM2mHttpServer — every request decoded into a
 * primitive, every failure answered as a oneM2M error response — but has no authenticated
 * connection to offer its handler; the client sends one primitive to an `http:`/`https:` URL,
 * which is how a CSE reaches a pointOfAccess (wire.md §9.2).
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http'
import { request as httpsRequest } from 'node:https'
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
import { oneM2mRequestListener, readOneM2mResponse, type OneM2mReply, type OneM2mServerOptions } from './onem2m-exchange.js'

/** What a plain-HTTP handler knows about a request besides its primitive: nothing authenticated. */
export interface PlainOneM2mRequestContext {
  readonly remoteAddress?: string
  readonly host?: string
  /** This request's id, also sent back as `x-request-id`. */
  readonly requestId: string
}

export type PlainOneM2mHandler = (request: RequestPrimitive, context: PlainOneM2mRequestContext) => Promise<OneM2mReply>

/** An http.Server (not yet listening) answering every request with `handler`. */
export function createPlainOneM2mHttpServer(handler: PlainOneM2mHandler, options: OneM2mServerOptions = {}): Server {
  const contextOf = (req: IncomingMessage, decoded: DecodedHttpRequest, requestId: string): PlainOneM2mRequestContext => ({
    requestId,
    ...(req.socket.remoteAddress === undefined ? {} : { remoteAddress: req.socket.remoteAddress }),
    ...(decoded.host === undefined ? {} : { host: decoded.host }),
  })
  return createServer(oneM2mRequestListener(handler, contextOf, options))
}

export interface PlainOneM2mSendOptions {
  readonly limits?: OneM2mLimits
  /** Bound on the whole exchange. */
  readonly timeoutMs?: number
}


/**
 * Sends one primitive to `url` and decodes the answer. The URL, not the primitive's `to`, decides
 * the request path: a pointOfAccess is a URL of the receiver's choosing (wire.md §9.2), and
 * TS-0009 carries `to` only in the path.
 * @throws TransportError M2MSEC_HTTP_EXCHANGE_FAILED when the URL is not http(s), the connection
 *         fails or no answer comes in time; OneM2mError for an answer that is not a oneM2M response.
 */
export function sendPlainOneM2mRequest(url: string, primitive: RequestPrimitive, options: PlainOneM2mSendOptions = {}): Promise<DecodedHttpResponse> {
  const limits = options.limits ?? DEFAULT_LIMITS
  const timeoutMs = options.timeoutMs ?? 10_000
  return new Promise((resolve, reject) => {
    let target: URL
    try {
      target = new URL(url)
    } catch {
      reject(new TransportError('M2MSEC_HTTP_EXCHANGE_FAILED', 'bad-input', 'the target is not a URL'))
      return
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      reject(new TransportError('M2MSEC_HTTP_EXCHANGE_FAILED', 'bad-input', `scheme '${target.protocol}' is not http or https`))
      return
    }
    const message = encodeHttpRequest(primitive, { host: target.host, limits })
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest
    const path = `${target.pathname}${target.search}`
    const req = send(target, { method: message.method, path, headers: message.headers as Record<string, string> }, (res) => {
      readOneM2mResponse(res, limits).then(resolve, reject)
    })
    req.setTimeout(timeoutMs, () => req.destroy(new TransportError('M2MSEC_HTTP_EXCHANGE_FAILED', 'unavailable', `no oneM2M response within ${timeoutMs} ms`)))
    req.on('error', (error) => reject(error instanceof TransportError || error instanceof OneM2mError ? error : new TransportError('M2MSEC_HTTP_EXCHANGE_FAILED', 'unavailable', 'the HTTP request failed', { cause: error })))
    req.end(message.body)
  })
}
