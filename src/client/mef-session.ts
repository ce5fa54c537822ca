/**
 * An open MEF session on the device side: the MEF Handshake (TS-0003 §8.3.5.2.2 — TLS-PSK with
 * KpmID/Kpm, or mutual certificate TLS in which the MEF certificate must prove the MEF-FQDN the
 * device dialled, frameworks.md §11) and one pinned TLS connection that every later request of
 * the session travels on. Pinning matters twice: the MEF records an enrolment against the
 * session whose Bootstrap export made Ke, and Key Registration without `kyv` makes the key from
 * the Connection export of the very session carrying the CREATE (mef-maf-interface.md §4.1, §7).
 */
import { randomBytes, X509Certificate } from 'node:crypto'
import type { TLSSocket } from 'node:tls'
import { credentialIdForKpmId, M2mSecError, type Fqdn, type SecretBytes } from '../core/index.js'
import { subjectAltNames } from '../pki/index.js'
import {
  clip, isJsonObject, kindForRsc, rscName, OneM2mError, type JsonValue, type Operation, type RequestPrimitive, type ResponsePrimitive,
} from '../onem2m/index.js'
import { exportKeyingMaterial, type OneM2mClient } from '../transport/index.js'
import { ClientError, invalidInput, invalidResponse } from './errors.js'
import { parseMefEndpoint, type MefEndpoint } from './mef-endpoint.js'
import { connectToServer } from './server-connection.js'

/** The credential of the MEF Handshake. */
export type MefCredential =
  | {
      readonly kind: 'psk'
      /** psk_identity. */
      readonly kpmId: string
      readonly kpm: SecretBytes
    }
  | {
      readonly kind: 'certificate'
      /** The device's certificate (leaf first, then intermediates), PEM. */
      readonly certPem: string
      readonly keyPem: string
      /** Trust anchor(s) for the MEF's FQDN certificate, PEM. */
      readonly mefCaPem: string | readonly string[]
    }

export interface MefSessionOptions {
  /** `https://host[:port][/mef]`. */
  readonly mefUrl: string
  /** MEF-FQDN; default the URL's host name. */
  readonly mefFqdn?: string
  readonly credential: MefCredential
  /**
   * `fr` of every request (mef-maf-interface.md §3.9): the device's MEF Client ID. Default: for
   * PSK the Credential-ID `10-<KpmID>`; for a certificate the first absolute AE-ID/CSE-ID
   * (`//…` URI) in its SubjectAltName (frameworks.md OQ-20).
   */
  readonly originator?: string
  /** Handshake deadline and per-request deadline; defaults 10 s and 15 s. */
  readonly handshakeTimeoutMs?: number
  readonly requestTimeoutMs?: number
}

export interface MefRequestOptions {
  readonly ty?: number
  readonly pc?: JsonValue
  /** The one success rsc the procedure expects (2000, 2001, 2002, 2004). */
  readonly expect: number
}

export interface MefResponse {
  readonly primitive: ResponsePrimitive
  /** Content-Location of a created resource, in `to` form. */
  readonly createdResourceId?: string
}

const RELEASE_VERSION = '3'

/** The default originator of a certificate: its first `//…` SubjectAltName URI. */
function certificateOriginator(certPem: string): string {
  let der: Uint8Array
  try {
    der = new Uint8Array(new X509Certificate(certPem).raw)
  } catch (cause) {
    throw invalidInput('device certificate is not a PEM X.509 certificate', cause)
  }
  const uri = subjectAltNames(der).find((entry) => entry.kind === 'uri' && entry.value.startsWith('//'))
  if (uri === undefined || uri.kind !== 'uri') {
    throw invalidInput('the device certificate carries no absolute AE-ID/CSE-ID URI: give the originator (MEF Client ID) explicitly')
  }
  return uri.value
}

export function defaultOriginator(credential: MefCredential): string {
  if (credential.kind === 'certificate') return certificateOriginator(credential.certPem)
  try {
    return credentialIdForKpmId(credential.kpmId)
  } catch (cause) {
    throw invalidInput(`KpmID '${clip(credential.kpmId)}' cannot form a Credential-ID`, cause)
  }
}


/** An authenticated, pinned connection to one MEF. Not reusable after close(). */
export class MefSession {
  readonly endpoint: MefEndpoint
  readonly framework: MefCredential['kind']
  #client: OneM2mClient | undefined
  #originator: string
  #closed = false

  constructor(endpoint: MefEndpoint, framework: MefCredential['kind'], client: OneM2mClient, originator: string) {
    this.endpoint = endpoint
    this.framework = framework
    this.#client = client
    this.#originator = originator
    client.socket.once('close', () => (this.#closed = true))
  }

  get mefFqdn(): Fqdn {
    return this.endpoint.fqdn
  }

  /** `fr` of the requests this session sends. */
  get originator(): string {
    return this.#originator
  }

  get closed(): boolean {
    return this.#closed || this.#client === undefined
  }

  /** The TLS socket (for tests and callers that need the peer certificate); never send on it directly. */
  get socket(): TLSSocket | undefined {
    return this.#client?.socket
  }

  /** Sends the following requests with `originator` as `fr` — e.g. the MEF Client ID the MEF returned (OQ-20). */
  useOriginator(originator: string): void {
    if (originator.length === 0) throw invalidInput('originator is empty')
    this.#originator = originator
  }

  /**
   * RFC 5705 export of this session (no context).
   * @throws M2MSEC_CLIENT_SESSION_CLOSED when the session is closed.
   */
  exportKeyingMaterial(label: string, length: number): SecretBytes {
    const client = this.#open()
    try {
      return exportKeyingMaterial(client.socket, label, length)
    } catch (cause) {
      throw new ClientError('M2MSEC_CLIENT_SESSION_CLOSED', 'unavailable', 'the MEF session has no established TLS session to export from', { cause })
    }
  }

  /**
   * Sends one request on the session and returns the response when its rsc is `expect`.
   * @throws M2MSEC_CLIENT_REFUSED (with `rsc`) for another rsc; M2MSEC_CLIENT_RESPONSE_INVALID for an
   *   unreadable response; M2MSEC_CLIENT_UNREACHABLE / M2MSEC_CLIENT_SESSION_CLOSED when the connection fails.
   */
  async request(op: Operation, to: string, options: MefRequestOptions): Promise<MefResponse> {
    const client = this.#open()
    const rqi = `m2msec-${randomBytes(8).toString('hex')}`
    const primitive: RequestPrimitive = {
      op, to, fr: this.#originator, rqi, rvi: RELEASE_VERSION,
      ...(options.ty === undefined ? {} : { ty: options.ty }),
      ...(options.pc === undefined ? {} : { pc: options.pc }),
    }
    let decoded
    try {
      decoded = await client.send(primitive)
    } catch (error) {
      throw this.#sendError(error)
    }
    const response = decoded.primitive
    if (response.rqi !== rqi) throw invalidResponse(`MEF answered request ${rqi} with request identifier '${clip(response.rqi)}'`)
    if (response.rsc !== options.expect) throw refusal(response)
    return decoded.createdResourceId === undefined ? { primitive: response } : { primitive: response, createdResourceId: decoded.createdResourceId }
  }

  /** Closes the TLS connection. Idempotent. */
  close(): void {
    this.#closed = true
    const client = this.#client
    this.#client = undefined
    client?.close()
  }

  #open(): OneM2mClient {
    if (this.#closed || this.#client === undefined || this.#client.socket.destroyed) {
      throw new ClientError('M2MSEC_CLIENT_SESSION_CLOSED', 'unavailable', 'the MEF session is closed')
    }
    return this.#client
  }

  #sendError(error: unknown): ClientError {
    if (error instanceof ClientError) return error
    if (error instanceof OneM2mError) return invalidResponse(`MEF response is not a oneM2M response: ${error.message}`, error)
    if (this.closed) return new ClientError('M2MSEC_CLIENT_SESSION_CLOSED', 'unavailable', 'the MEF session closed during a request', { cause: error })
    const message = error instanceof M2mSecError ? error.message : 'the connection to the MEF failed during a request'
    return new ClientError('M2MSEC_CLIENT_UNREACHABLE', 'unavailable', message, { cause: error })
  }
}

/** The MEF's refusal as a typed error; its debug text (peer-supplied, clipped) helps operators. */
function refusal(response: ResponsePrimitive): ClientError {
  const name = rscName(response.rsc) ?? 'unknown status'
  const pc = response.pc
  const dbg = isJsonObject(pc) && typeof pc['m2m:dbg'] === 'string' ? `: ${clip(pc['m2m:dbg'], 200)}` : ''
  return new ClientError('M2MSEC_CLIENT_REFUSED', kindForRsc(response.rsc), `MEF answered ${response.rsc} ${name}${dbg}`, { rsc: response.rsc })
}

/**
 * Runs the MEF Handshake and opens a pinned session.
 * @throws M2MSEC_CLIENT_INPUT_INVALID (URL, FQDN, originator), M2MSEC_CLIENT_UNREACHABLE,
 *   M2MSEC_CLIENT_HANDSHAKE_FAILED (the TransportError is the cause).
 */
export async function openMefSession(options: MefSessionOptions): Promise<MefSession> {
  const endpoint = parseMefEndpoint(options.mefUrl, options.mefFqdn)
  const originator = options.originator ?? defaultOriginator(options.credential)
  const credential = options.credential
  const client = await connectToServer('MEF', endpoint, credential.kind === 'psk'
    ? { kind: 'psk', identity: credential.kpmId, key: credential.kpm }
    : { kind: 'certificate', certPem: credential.certPem, keyPem: credential.keyPem, caPem: credential.mefCaPem }, options)
  return new MefSession(endpoint, credential.kind, client, originator)
}
