/**
 * An open MAF session on the device side (Entity A as Source, Entity B as Target MAF Client):
 * the MAF Handshake (TS-0003 8.8.2.2 — TLS-PSK with KmID/Km, or mutual certificate TLS in which
 * the MAF certificate must prove the MAF-FQDN) or its remote-provisioning variant (8.8.2.3,
 * OQ-29: psk_identity = KeID, psk = the §10.3.7 key for the MAF, `mafKeyFromEnrolment`), and one
 * pinned TLS connection every request of the session travels on — Key Registration without `kyv`
 * takes Kc from the Connection export of the very session carrying the CREATE (8.8.2.7).
 */
import { randomBytes } from 'node:crypto'
import type { TLSSocket } from 'node:tls'
import {
  M2mSecError, credentialIdForKmId, deriveEnrolmentTargetKey, parseFqdn, parseKmId, SUID, type Fqdn, type SecretBytes, type TargetKeyMode,
} from '../../core/index.js'
import { subjectAltNames } from '../../pki/index.js'
import {
  MEF_MAF_PATHS, OneM2mError, clip, isJsonObject, kindForRsc, rscName, type JsonValue, type Operation, type RequestPrimitive, type ResponsePrimitive,
} from '../../onem2m/index.js'
import { exportKeyingMaterial, type OneM2mClient } from '../../transport/index.js'
import { ClientError, invalidInput, invalidResponse } from '../errors.js'
import { X509Certificate } from 'node:crypto'
import { connectToServer } from '../server-connection.js'

/** The credential of the MAF Handshake. */
export type MafCredential =
  | {
      readonly kind: 'psk'
      /** psk_identity: the KmID, or the KeID before the MAF assigned a KmID (OQ-7). */
      readonly identity: string
      /** Km, or the key derived for the MAF from Ke (`mafKeyFromEnrolment`). */
      readonly key: SecretBytes
    }
  | {
      readonly kind: 'certificate'
      readonly certPem: string
      readonly keyPem: string
      /** Trust anchor(s) for the MAF's FQDN certificate, PEM. */
      readonly mafCaPem: string | readonly string[]
    }

export interface MafSessionOptions {
  /** `https://host[:port]` of the MAF. */
  readonly mafUrl: string
  /** MAF-FQDN; default the URL's host name (required for an IP address URL). */
  readonly mafFqdn?: string
  readonly credential: MafCredential
  /**
   * `fr` of every request (mef-maf-interface.md §3.9): default for PSK `11-<identity>` (OQ-33,
   * OQ-7), for a certificate its first `//…` SubjectAltName URI (OQ-20).
   */
  readonly originator?: string
  readonly handshakeTimeoutMs?: number
  readonly requestTimeoutMs?: number
}

export interface MafResponse {
  readonly primitive: ResponsePrimitive
  readonly createdResourceId?: string
}

const RELEASE_VERSION = '3'

/**
 * The PSK a device uses towards a MAF on first contact with its KeID (frameworks.md §10.5 a,
 * OQ-29): deriveEnrolmentTargetKey(Ke, {MAF FQDN, SUID 21}, mode) — the function the MEF also uses.
 * @throws M2MSEC_ID_INVALID for a MAF FQDN that is not one.
 */
export function mafKeyFromEnrolment(ke: SecretBytes, mafFqdn: string, mode: TargetKeyMode): SecretBytes {
  return deriveEnrolmentTargetKey(ke, { targetId: parseFqdn(mafFqdn), suid: SUID.RSPF_MAF }, mode)
}

function certificateOriginator(certPem: string): string {
  let der: Uint8Array
  try {
    der = new Uint8Array(new X509Certificate(certPem).raw)
  } catch (cause) {
    throw invalidInput('device certificate is not a PEM X.509 certificate', cause)
  }
  const uri = subjectAltNames(der).find((entry) => entry.kind === 'uri' && entry.value.startsWith('//'))
  if (uri === undefined || uri.kind !== 'uri') throw invalidInput('the device certificate carries no absolute AE-ID/CSE-ID URI: give the originator explicitly')
  return uri.value
}

/** The default `fr` for `credential` (OQ-20, OQ-33). */
export function defaultMafOriginator(credential: MafCredential): string {
  if (credential.kind === 'certificate') return certificateOriginator(credential.certPem)
  try {
    return credentialIdForKmId(parseKmId(credential.identity))
  } catch (cause) {
    throw invalidInput(`psk identity '${clip(credential.identity)}' is neither a KmID nor a KeID`, cause)
  }
}

function endpointOf(url: string, fqdnText: string | undefined): { host: string; port: number; fqdn: Fqdn } {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch (cause) {
    throw invalidInput(`MAF URL is not a URL (length ${url.length})`, cause)
  }
  if (parsed.protocol !== 'https:') throw invalidInput(`MAF URL must use https, not ${parsed.protocol}`)
  const host = parsed.hostname.replace(/^\[|\]$/g, '')
  try {
    return { host, port: parsed.port === '' ? 443 : Number(parsed.port), fqdn: parseFqdn(fqdnText ?? host) }
  } catch (cause) {
    throw invalidInput(`MAF FQDN '${clip(fqdnText ?? host)}' is not an FQDN: give it explicitly`, cause)
  }
}


function refusal(response: ResponsePrimitive): ClientError {
  const pc = response.pc
  const dbg = isJsonObject(pc) && typeof pc['m2m:dbg'] === 'string' ? `: ${clip(pc['m2m:dbg'], 200)}` : ''
  return new ClientError('M2MSEC_CLIENT_REFUSED', kindForRsc(response.rsc), `MAF answered ${response.rsc} ${rscName(response.rsc) ?? 'unknown status'}${dbg}`, { rsc: response.rsc })
}

/** An authenticated, pinned connection to one MAF. Not reusable after close(). */
export class MafSession {
  readonly fqdn: Fqdn
  /** CSE-relative `to` of `<MAFBase>`. */
  readonly base: string = MEF_MAF_PATHS.mafBaseName
  #client: OneM2mClient | undefined
  #originator: string

  constructor(fqdn: Fqdn, client: OneM2mClient, originator: string) {
    this.fqdn = fqdn
    this.#client = client
    this.#originator = originator
  }

  get originator(): string {
    return this.#originator
  }

  /** The TLS socket (tests read the cipher or the peer); never send on it directly. */
  get socket(): TLSSocket | undefined {
    return this.#client?.socket
  }

  /** Sends later requests with `originator` as `fr` (e.g. the MAF Client ID the registration returned). */
  useOriginator(originator: string): void {
    if (originator.length === 0) throw invalidInput('originator is empty')
    this.#originator = originator
  }

  /** RFC 5705 export of this session. @throws M2MSEC_CLIENT_SESSION_CLOSED */
  exportKeyingMaterial(label: string, length: number): SecretBytes {
    try {
      return exportKeyingMaterial(this.#open().socket, label, length)
    } catch (cause) {
      if (cause instanceof ClientError) throw cause
      throw new ClientError('M2MSEC_CLIENT_SESSION_CLOSED', 'unavailable', 'the MAF session has no established TLS session to export from', { cause })
    }
  }

  /**
   * Sends one request and returns the response when its rsc is `expect`.
   * @throws M2MSEC_CLIENT_REFUSED (with `rsc`), M2MSEC_CLIENT_RESPONSE_INVALID, M2MSEC_CLIENT_UNREACHABLE, M2MSEC_CLIENT_SESSION_CLOSED
   */
  async request(op: Operation, to: string, options: { readonly ty?: number; readonly pc?: JsonValue; readonly expect: number }): Promise<MafResponse> {
    const client = this.#open()
    const rqi = `m2msec-${randomBytes(8).toString('hex')}`
    const primitive: RequestPrimitive = {
      op, to, fr: this.#originator, rqi, rvi: RELEASE_VERSION, ...(options.ty === undefined ? {} : { ty: options.ty }), ...(options.pc === undefined ? {} : { pc: options.pc }),
    }
    let decoded
    try {
      decoded = await client.send(primitive)
    } catch (error) {
      if (error instanceof OneM2mError) throw invalidResponse(`MAF response is not a oneM2M response: ${error.message}`, error)
      const message = error instanceof M2mSecError ? error.message : 'the connection to the MAF failed during a request'
      throw new ClientError('M2MSEC_CLIENT_UNREACHABLE', 'unavailable', message, { cause: error })
    }
    const response = decoded.primitive
    if (response.rqi !== rqi) throw invalidResponse(`MAF answered request ${rqi} with request identifier '${clip(response.rqi)}'`)
    if (response.rsc !== options.expect) throw refusal(response)
    return decoded.createdResourceId === undefined ? { primitive: response } : { primitive: response, createdResourceId: decoded.createdResourceId }
  }

  /** Closes the TLS connection. Idempotent. */
  close(): void {
    const client = this.#client
    this.#client = undefined
    client?.close()
  }

  #open(): OneM2mClient {
    if (this.#client === undefined || this.#client.socket.destroyed) throw new ClientError('M2MSEC_CLIENT_SESSION_CLOSED', 'unavailable', 'the MAF session is closed')
    return this.#client
  }
}

/**
 * Runs the MAF Handshake and opens a pinned session.
 * @throws M2MSEC_CLIENT_INPUT_INVALID, M2MSEC_CLIENT_UNREACHABLE, M2MSEC_CLIENT_HANDSHAKE_FAILED
 */
export async function openMafSession(options: MafSessionOptions): Promise<MafSession> {
  const endpoint = endpointOf(options.mafUrl, options.mafFqdn)
  const originator = options.originator ?? defaultMafOriginator(options.credential)
  const credential = options.credential
  const client = await connectToServer('MAF', endpoint, credential.kind === 'psk'
    ? credential
    : { kind: 'certificate', certPem: credential.certPem, keyPem: credential.keyPem, caPem: credential.mafCaPem }, options)
  return new MafSession(endpoint.fqdn, client, originator)
}
