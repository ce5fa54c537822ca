/**
 * oneM2M primitives over plain HTTP/1.1 (TS-0009 without TS-0003 §10.2 TLS), for the one place
 * where that is acceptable: a hop that never leaves the host or a private network, such as the
 * reference CSE behind the gateway (the gateway terminates the security association and is the
 * only peer). The server mirrors createOneM2mHttpServer — every request decoded into a
 * primitive, every failure answered as a oneM2M error response — but has no authenticated
 * connection to offer its handler; the client sends one primitive to an `http:`/`https:` URL,
 * which is how a CSE reaches a pointOfAccess (wire.md §9.2).
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { request as httpsRequest } from 'node:https'
import {
  DEFAULT_LIMITS,
  decodeHttpRequest,
  decodeHttpResponse,
  encodeHttpRequest,
  encodeHttpResponse,
  errorResponse,
  requestContextOf,
  OneM2mError,
  type DecodedHttpResponse,
  type HttpHeaders,
  type HttpRequestMessage,
  type OneM2mLimits,
  type RequestPrimitive,
} from '../../onem2m/index.js'
import { TransportError } from '../errors.js'
import type { OneM2mReply, OneM2mServerOptions } from './onem2m-http.js'

/** What a plain-HTTP handler knows about a request besides its primitive: nothing authenticated. */
export interface PlainOneM2mRequestContext {
  readonly remoteAddress?: string
  readonly host?: string
}

export type PlainOneM2mHandler = (request: RequestPrimitive, context: PlainOneM2mRequestContext) => Promise<OneM2mReply>

function readBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > maxBytes) {
      reject(new OneM2mError('M2MSEC_ONEM2M_TOO_LARGE', 'bad-input', `body is over the limit of ${maxBytes} bytes`))
      return
    }
    const chunks: Buffer[] = []
    let length = 0
    const timer = setTimeout(() => {
      req.destroy()
      reject(new OneM2mError('M2MSEC_ONEM2M_MALFORMED', 'bad-input', 'request body did not arrive in time'))
    }, timeoutMs)
    req.on('data', (chunk: Buffer) => {
      length += chunk.length
      if (length > maxBytes) {
        clearTimeout(timer)
        req.destroy()
        reject(new OneM2mError('M2MSEC_ONEM2M_TOO_LARGE', 'bad-input', `body is over the limit of ${maxBytes} bytes`))
        return
      }
      chunks.push(chunk)
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

function writeReply(res: ServerResponse, reply: OneM2mReply, mediaType: string | undefined): void {
  const message = encodeHttpResponse(reply.response, {
    ...(reply.createdResourceId === undefined ? {} : { createdResourceId: reply.createdResourceId }),
    ...(mediaType === undefined ? {} : { mediaType }),
  })
  res.writeHead(message.status, message.headers as Record<string, string>)
  res.end(message.body)
}

/** An http.Server (not yet listening) answering every request with `handler`. */
export function createPlainOneM2mHttpServer(handler: PlainOneM2mHandler, options: OneM2mServerOptions = {}): Server {
  const limits = options.limits ?? DEFAULT_LIMITS
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 10_000
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw: HttpRequestMessage = { method: req.method ?? '', path: req.url ?? '/', headers: req.headers as HttpHeaders, body: new Uint8Array(0) }
    let primitive: RequestPrimitive | undefined
    let mediaType: string | undefined
    try {
      const body = await readBody(req, limits.maxBodyBytes, bodyTimeoutMs)
      const decoded = decodeHttpRequest({ ...raw, body }, { limits, ...(options.releaseVersions ? { releaseVersions: options.releaseVersions } : {}) })
      primitive = decoded.primitive
      mediaType = decoded.responseMediaType
      const context: PlainOneM2mRequestContext = {
        ...(req.socket.remoteAddress === undefined ? {} : { remoteAddress: req.socket.remoteAddress }),
        ...(decoded.host === undefined ? {} : { host: decoded.host }),
      }
      writeReply(res, await handler(primitive, context), mediaType)
    } catch (error) {
      options.onError?.(error, primitive)
      const context = primitive === undefined ? requestContextOf(raw) : { rqi: primitive.rqi, ...(primitive.rvi === undefined ? {} : { rvi: primitive.rvi }) }
      if (!res.headersSent && !res.destroyed) writeReply(res, { response: errorResponse(error, context, options.rscOverrides) }, mediaType)
    }
  }
  return createServer((req, res) => {
    void serve(req, res)
  })
}

export interface PlainOneM2mSendOptions {
  readonly limits?: OneM2mLimits
  /** Bound on the whole exchange. */
  readonly timeoutMs?: number
}

function readResponse(res: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let length = 0
    res.on('data', (chunk: Buffer) => {
      length += chunk.length
      if (length > maxBytes) {
        res.destroy()
        reject(new OneM2mError('M2MSEC_ONEM2M_TOO_LARGE', 'bad-input', `response body is over the limit of ${maxBytes} bytes`))
        return
      }
      chunks.push(chunk)
    })
    res.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks, length))))
    res.on('error', reject)
  })
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
      readResponse(res, limits.maxBodyBytes)
        .then((body) => resolve(decodeHttpResponse({ status: res.statusCode ?? 0, headers: res.headers as HttpHeaders, body }, { limits })))
        .catch(reject)
    })
    req.setTimeout(timeoutMs, () => req.destroy(new TransportError('M2MSEC_HTTP_EXCHANGE_FAILED', 'unavailable', `no oneM2M response within ${timeoutMs} ms`)))
    req.on('error', (error) => reject(error instanceof TransportError || error instanceof OneM2mError ? error : new TransportError('M2MSEC_HTTP_EXCHANGE_FAILED', 'unavailable', 'the HTTP request failed', { cause: error })))
    req.end(message.body)
  })
}
