/**
 * oneM2M primitives over our secure HTTP (TS-0009 on TS-0003 §10.2 TLS). The server decodes
 * every request into a primitive, hands it with its connection's authenticated identity to one
 * handler, and encodes whatever comes back — including every failure, as a oneM2M error
 * response, never a hang or a bare 500. The client sends primitives over one pinned TLS
 * connection, so a request that must be served from a particular session (key registration
 * with an exported key) is.
 */
import { request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { TLSSocket } from 'node:tls'
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
  type ResponsePrimitive,
  type RscOverrides,
} from '../../onem2m/index.js'
import { TransportError } from '../errors.js'
import type { SecureListener } from '../tls/secure-listener.js'
import type { SecureConnection } from '../tls/secure-connection.js'
import { createSecureHttpServer, pinnedAgent, requestConnection } from './secure-http.js'

export interface OneM2mRequestContext<B> {
  /** The authenticated TLS connection the request arrived on (framework, peer, binding). */
  readonly connection: SecureConnection<B>
  /** The Host header, for servers that must check it names them (mef-maf-interface.md §2.3). */
  readonly host?: string
}

export interface OneM2mReply {
  readonly response: ResponsePrimitive
  /** Resource ID of a created resource, sent as Content-Location on 2001. */
  readonly createdResourceId?: string
}

export type OneM2mHandler<B> = (request: RequestPrimitive, context: OneM2mRequestContext<B>) => Promise<OneM2mReply>

export interface OneM2mServerOptions {
  readonly limits?: OneM2mLimits
  readonly releaseVersions?: readonly string[]
  /** Per-code rsc overrides applied when a handler throws (e.g. a service's finer codes). */
  readonly rscOverrides?: RscOverrides
  /** Called for every failure that becomes an error response; services log and audit here. */
  readonly onError?: (error: unknown, request: RequestPrimitive | undefined) => void
  /** Bound on reading one request body. */
  readonly bodyTimeoutMs?: number
}

function readBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > maxBytes) {
      reject(new OneM2mError('M2MSEC_ONEM2M_TOO_LARGE', 'bad-input', `body of ${declared} bytes is over the limit of ${maxBytes}`))
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

/** An http.Server answering every request that `listener` authenticates with `handler`. */
export function createOneM2mHttpServer<B>(listener: SecureListener<B>, handler: OneM2mHandler<B>, options: OneM2mServerOptions = {}): Server {
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
      const context: OneM2mRequestContext<B> = { connection: requestConnection<B>(req), ...(decoded.host === undefined ? {} : { host: decoded.host }) }
      writeReply(res, await handler(primitive, context), mediaType)
    } catch (error) {
      options.onError?.(error, primitive)
      const context = primitive === undefined ? requestContextOf(raw) : { rqi: primitive.rqi, ...(primitive.rvi === undefined ? {} : { rvi: primitive.rvi }) }
      if (!res.headersSent && !res.destroyed) writeReply(res, { response: errorResponse(error, context, options.rscOverrides) }, mediaType)
    }
  }
  return createSecureHttpServer(listener, (req, res) => {
    void serve(req, res)
  })
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

/** A oneM2M client whose every request runs on `socket` (an established TLS connection). */
export function createOneM2mClient(socket: TLSSocket, options: OneM2mClientOptions): OneM2mClient {
  const agent = pinnedAgent(socket)
  const limits = options.limits ?? DEFAULT_LIMITS
  const timeoutMs = options.timeoutMs ?? 15_000
  const send = (primitive: RequestPrimitive): Promise<DecodedHttpResponse> =>
    new Promise((resolve, reject) => {
      const message = encodeHttpRequest(primitive, { host: options.host, limits })
      const req = httpRequest({ agent, method: message.method, path: message.path, headers: message.headers as Record<string, string> }, (res) => {
        readResponse(res, limits.maxBodyBytes)
          .then((body) => resolve(decodeHttpResponse({ status: res.statusCode ?? 0, headers: res.headers as HttpHeaders, body }, { limits })))
          .catch(reject)
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
