/**
 * The gateway's client towards a MEF or MAF (TS-0003 8.3.2.1 step d, 8.8.2.2 MAF Handshake with
 * certificates; mef-maf-interface.md §3.9): one mutually authenticated TLS connection per request,
 * the gateway presenting its own certificate, the server's certificate proving the configured
 * FQDN (frameworks.md §3.5, FQDN flavour), `fr` = the gateway's Absolute CSE-ID. Requests are
 * rare (first contact of a key) and a pooled session would outlive a revoked certificate.
 */
import { randomBytes } from 'node:crypto'
import type { ErrorKind } from '../../core/index.js'
import type { DecodedHttpResponse, RequestPrimitive } from '../../onem2m/index.js'
import { connectCertificate, createOneM2mClient } from '../../transport/index.js'
import { unavailable, type GatewayError } from './errors.js'

export interface KeyServerLink {
  /** `https://host:port` of the server. */
  readonly url: string
  /** Its FQDN: SNI, Host, and what its certificate must prove. */
  readonly fqdn: string
  /** PEM trust anchor(s) of its certificate. */
  readonly caPem: readonly string[]
}

export interface GatewayCredential {
  readonly certPem: string
  readonly keyPem: string
}

type FailureCode = 'M2MSEC_GATEWAY_MEF_UNAVAILABLE' | 'M2MSEC_GATEWAY_MAF_UNAVAILABLE'

function endpointOf(url: string): { host: string; port: number } {
  const parsed = new URL(url)
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: parsed.port === '' ? 443 : Number(parsed.port) }
}

/**
 * Sends one RETRIEVE to `to` and returns the decoded response.
 * @throws GatewayError `code` when the server cannot be reached, refuses the handshake or the exchange fails.
 */
export async function retrieveFrom(
  link: KeyServerLink, credential: GatewayCredential, fr: string, to: string, code: FailureCode, timeoutMs = 10_000,
): Promise<DecodedHttpResponse> {
  const { host, port } = endpointOf(link.url)
  let socket
  try {
    socket = await connectCertificate({
      host, port, servername: link.fqdn, timeoutMs, credential: { cert: credential.certPem, key: credential.keyPem },
      trustAnchors: [...link.caPem], expected: { flavour: 'fqdn', fqdn: link.fqdn },
    })
  } catch (error) {
    throw unavailable(code, `the gateway could not open a mutually authenticated session with ${link.fqdn}`, error)
  }
  const client = createOneM2mClient(socket, { host: port === 443 ? link.fqdn : `${link.fqdn}:${port}`, timeoutMs })
  try {
    const request: RequestPrimitive = { op: 2, to, fr, rqi: `gw-${randomBytes(8).toString('hex')}`, rvi: '3' }
    return await client.send(request)
  } catch (error) {
    throw unavailable(code, `the request to ${link.fqdn} failed`, error)
  } finally {
    client.close()
  }
}

/** A server-side failure (5xxx) or an unreadable answer: the handshake fails with internal_error. */
export function serverFailed(code: FailureCode, message: string, cause?: unknown, kind: ErrorKind = 'unavailable'): GatewayError {
  return unavailable(code, message, cause, kind)
}
