/**
 * The part of serving and sending oneM2M primitives over HTTP that does not depend on the
 * connection: bounded body reading, decoding a request into a primitive, answering every failure
 * as a oneM2M error response, encoding replies, and reading a response. The secure server
 * (onem2m-http.ts) and the plain one (plain-http.ts) differ only in what they tell the handler
 * about the connection.
 *
 * Every request gets a request id (a random UUID) that is sent back as `x-request-id` and handed
 * to the handler, `onError` and `onServed`, so one log line per request can be matched with the
 * client's view and with the service's other events about it (issue 8).
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import {
  DEFAULT_LIMITS,
  decodeHttpRequest,
  decodeHttpResponse,
  encodeHttpResponse,
  errorResponse,
  requestContextOf,
  OneM2mError,
  type DecodedHttpRequest,
  type DecodedHttpResponse,
  type HttpHeaders,
  type HttpRequestMessage,
  type OneM2mLimits,
  type RequestPrimitive,
  type ResponsePrimitive,
  type RscOverrides,
} from '../../onem2m/index.js'

export interface OneM2mReply {
  readonly response: ResponsePrimitive
  /** Resource ID of a created resource, sent as Content-Location on 2001. */
  readonly createdResourceId?: string
}

/** One answered request, for logs and metrics: no content, only what identifies and measures it. */
export interface ServedRequest {
  readonly requestId: string
  /** The decoded primitive; undefined when the request could not be decoded. */
  readonly request: RequestPrimitive | undefined
  /** The rsc of the response primitive sent back. */
  readonly rsc: number
  readonly durationMs: number
}

/** The response header carrying the request id. */
export const REQUEST_ID_HEADER = 'x-request-id'

export interface OneM2mServerOptions {
  readonly limits?: OneM2mLimits
  readonly releaseVersions?: readonly string[]
  /** Per-code rsc overrides applied when a handler throws (e.g. a service's finer codes). */
  readonly rscOverrides?: RscOverrides
  /** Called for every failure that becomes an error response; services log and audit here. */
  readonly onError?: (error: unknown, request: RequestPrimitive | undefined, requestId: string) => void
  /** Called once per request after its response was written (logs, metrics). */
  readonly onServed?: (served: ServedRequest) => void
  /** Bound on reading one request body. */
  readonly bodyTimeoutMs?: number
}

function tooLarge(what: string, maxBytes: number): OneM2mError {
  return new OneM2mError('M2MSEC_ONEM2M_TOO_LARGE', 'bad-input', `${what} is over the limit of ${maxBytes} bytes`)
}

/** Reads a message body, refusing more than `maxBytes`; `timeoutMs` bounds a request body only. */
export function readBody(message: IncomingMessage, maxBytes: number, timeoutMs?: number): Promise<Uint8Array> {
  const what = timeoutMs === undefined ? 'response body' : 'body'
  return new Promise((resolve, reject) => {
    if (Number(message.headers['content-length'] ?? 0) > maxBytes) {
      reject(tooLarge(what, maxBytes))
      return
    }
    const chunks: Buffer[] = []
    let length = 0
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
      message.destroy()
      reject(new OneM2mError('M2MSEC_ONEM2M_MALFORMED', 'bad-input', 'request body did not arrive in time'))
    }, timeoutMs)
    message.on('data', (chunk: Buffer) => {
      length += chunk.length
      if (length > maxBytes) {
        clearTimeout(timer)
        message.destroy()
        reject(tooLarge(what, maxBytes))
        return
      }
      chunks.push(chunk)
    })
    message.on('end', () => {
      clearTimeout(timer)
      resolve(new Uint8Array(Buffer.concat(chunks, length)))
    })
    message.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
  })
}

function writeReply(res: ServerResponse, reply: OneM2mReply, mediaType: string | undefined): number {
  const message = encodeHttpResponse(reply.response, {
    ...(reply.createdResourceId === undefined ? {} : { createdResourceId: reply.createdResourceId }),
    ...(mediaType === undefined ? {} : { mediaType }),
  })
  res.writeHead(message.status, message.headers as Record<string, string>)
  res.end(message.body)
  return reply.response.rsc
}

/**
 * A request listener that decodes each request, asks `contextOf` what to tell the handler about
 * its connection, and answers with the handler's reply or the error response for whatever failed.
 */
export function oneM2mRequestListener<C>(
  handler: (request: RequestPrimitive, context: C) => Promise<OneM2mReply>,
  contextOf: (req: IncomingMessage, decoded: DecodedHttpRequest, requestId: string) => C,
  options: OneM2mServerOptions,
): RequestListener {
  const limits = options.limits ?? DEFAULT_LIMITS
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 10_000
  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw: HttpRequestMessage = { method: req.method ?? '', path: req.url ?? '/', headers: req.headers as HttpHeaders, body: new Uint8Array(0) }
    const started = performance.now()
    const requestId = randomUUID()
    res.setHeader(REQUEST_ID_HEADER, requestId)
    let primitive: RequestPrimitive | undefined
    let mediaType: string | undefined
    let rsc: number | undefined
    try {
      const body = await readBody(req, limits.maxBodyBytes, bodyTimeoutMs)
      const decoded = decodeHttpRequest({ ...raw, body }, { limits, ...(options.releaseVersions ? { releaseVersions: options.releaseVersions } : {}) })
      primitive = decoded.primitive
      mediaType = decoded.responseMediaType
      rsc = writeReply(res, await handler(primitive, contextOf(req, decoded, requestId)), mediaType)
    } catch (error) {
      options.onError?.(error, primitive, requestId)
      const context = primitive === undefined ? requestContextOf(raw) : { rqi: primitive.rqi, ...(primitive.rvi === undefined ? {} : { rvi: primitive.rvi }) }
      const response = errorResponse(error, context, options.rscOverrides)
      rsc = response.rsc
      if (!res.headersSent && !res.destroyed) writeReply(res, { response }, mediaType)
    }
    options.onServed?.({ requestId, request: primitive, rsc, durationMs: Math.round((performance.now() - started) * 1000) / 1000 })
  }
  return (req, res) => {
    void serve(req, res)
  }
}

/** Reads and decodes a oneM2M HTTP response. */
export async function readOneM2mResponse(res: IncomingMessage, limits: OneM2mLimits): Promise<DecodedHttpResponse> {
  const body = await readBody(res, limits.maxBodyBytes)
  return decodeHttpResponse({ status: res.statusCode ?? 0, headers: res.headers as HttpHeaders, body }, { limits })
}
