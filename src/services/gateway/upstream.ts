/**
 * Forwarding to the upstream CSE over HTTP (TS-0009; any oneM2M CSE): the request as the device
 * sent it, with the authenticated originator in X-M2M-Origin, and the CSE's response relayed
 * unchanged except for hop-by-hop headers (RFC 9110 §7.6.1). A CSE that refuses the connection,
 * stalls past the timeout or answers without X-M2M-RSC is a GatewayError the router answers with
 * a oneM2M error, never a hang.
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http'
import { GatewayError, unavailable } from './errors.js'

export interface UpstreamConfig {
  /** `http://host:port[/root]` of the CSE. */
  readonly url: string
  /** Bound on one request/response exchange; default 10 s. */
  readonly timeoutMs?: number
  /** Largest response body relayed; default 1 MiB. */
  readonly maxBodyBytes?: number
}

export interface RelayedRequest {
  readonly method: string
  /** Path and query as received. */
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly body: Uint8Array
  /** X-M2M-Origin to send (the authenticated or assigned originator). */
  readonly origin: string | undefined
}

export interface RelayedResponse {
  readonly status: number
  readonly headers: OutgoingHttpHeaders
  readonly body: Buffer
}

export type Upstream = ((request: RelayedRequest) => Promise<RelayedResponse>) & { close(): void }

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length'])

function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) out[name] = value
  }
  return out
}

/** @throws TypeError at creation for a URL that is not http(s). */
export function createUpstream(config: UpstreamConfig): Upstream {
  const base = new URL(config.url)
  if (base.protocol !== 'http:') throw new TypeError('the upstream CSE URL must be http://')
  const root = base.pathname.replace(/\/+$/, '')
  const timeoutMs = config.timeoutMs ?? 10_000
  const maxBody = config.maxBodyBytes ?? 1024 * 1024
  const agent = new Agent({ keepAlive: true, maxSockets: 64 })
  const fail = (message: string, cause?: unknown): GatewayError => unavailable('M2MSEC_GATEWAY_UPSTREAM_UNAVAILABLE', message, cause)
  const send = (r: RelayedRequest): Promise<RelayedResponse> =>
    new Promise((resolve, reject) => {
      const headers = endToEnd(r.headers)
      for (const name of Object.keys(headers)) if (name.toLowerCase() === 'x-m2m-origin') delete headers[name]
      if (r.origin !== undefined) headers['X-M2M-Origin'] = r.origin
      headers['Content-Length'] = String(r.body.length)
      const req = httpRequest({ agent, host: base.hostname, port: base.port, method: r.method, path: `${root}${r.path}`, headers }, (res) => {
        const chunks: Buffer[] = []
        let length = 0
        res.on('data', (chunk: Buffer) => {
          length += chunk.length
          if (length > maxBody) res.destroy(fail(`the upstream CSE response is over ${maxBody} bytes`))
          else chunks.push(chunk)
        })
        res.on('error', (error) => reject(error instanceof GatewayError ? error : fail('the upstream CSE response broke off', error)))
        res.on('end', () => {
          if (res.headers['x-m2m-rsc'] === undefined) return reject(fail(`the upstream CSE answered HTTP ${res.statusCode ?? 0} without X-M2M-RSC`))
          resolve({ status: res.statusCode ?? 500, headers: endToEnd(res.headers), body: Buffer.concat(chunks, length) })
        })
      })
      req.setTimeout(timeoutMs, () => req.destroy(fail(`the upstream CSE did not answer within ${timeoutMs} ms`)))
      req.on('error', (error) => reject(error instanceof GatewayError ? error : fail('the upstream CSE could not be reached', error)))
      req.end(r.body)
    })
  return Object.assign(send, { close: () => agent.destroy() })
}
