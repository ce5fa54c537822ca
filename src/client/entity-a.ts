/**
 * Entity A towards a Registrar behind an m2msec gateway (TS-0003 8.2.1 SA1, 8.2.2; wire.md §5,
 * §9): one TLS session to the gateway — PSK with a KpsaID/Kpsa, a Kc under its MAF Key
 * Identifier (MAF-based SAEF) or a KeID/Kpsa fetched by the gateway, or a certificate with the
 * gateway certificate proving the gateway FQDN (D-135) — and oneM2M over HTTP on it: AE
 * registration, then requests with `fr` = the AE-ID the Registrar confirmed. One pinned
 * connection, so every request travels on the security association that authenticated it.
 *
 * The gateway ends idle connections (2 min) and cuts those whose credential expired or was
 * revoked (D-190), so SA1 is re-established — same credential, SNI and trust — when a request
 * finds its connection already closed (D-76). Only then: a request whose bytes were written may
 * have reached the gateway, and a CREATE sent twice creates twice, so it is never resent. Rejected:
 * retrying after any socket error (duplicates CREATEs; a reset right after writing is ambiguous)
 * and a pool of connections (a key registration must be answered on the session that carries it).
 */
import { randomBytes } from 'node:crypto'
import type { TLSSocket } from 'node:tls'
import type { SecretBytes } from '../core/index.js'
import { OPERATION, RESOURCE_TYPE, isJsonObject, type JsonValue, type RequestPrimitive, type ResponsePrimitive } from '../onem2m/index.js'
import { type OneM2mClient } from '../transport/index.js'
import { ClientError, invalidInput, invalidResponse } from './errors.js'
import { connectToServer, type ServerCredential } from './server-connection.js'

/** SA1's credential; SA2 (sa2-server.ts) reuses it with roles reversed (frameworks.md §4.5). */
export type EntityACredential =
  | {
      readonly kind: 'psk'
      /** psk_identity: a KpsaID, a KeID, or a MAF Key Identifier `<RelativeKeyID>@<MAF-FQDN>`. */
      readonly identity: string
      /** Kpsa, Ke-derived Kpsa or Kc. */
      readonly key: SecretBytes
    }
  | {
      readonly kind: 'certificate'
      /** The entity's certificate (leaf first), PEM. */
      readonly certPem: string
      readonly keyPem: string
      /** Trust anchor(s) of the gateway certificate, PEM. */
      readonly gatewayCaPem: string | readonly string[]
    }

export interface EntityAOptions {
  /** `https://host:port` of the gateway. */
  readonly gatewayUrl: string
  /** The gateway FQDN: SNI, Host, and what its certificate must prove; default the URL's host. */
  readonly gatewayFqdn?: string
  readonly credential: EntityACredential
  readonly handshakeTimeoutMs?: number
  readonly requestTimeoutMs?: number
}

export interface AeRegistration {
  readonly rn: string
  /** App-ID (`N…`, `R…`). */
  readonly api: string
  /** `fr` of the CREATE: an AE-ID-Stem to ask for, or `C`/`S` (default `C`) to have one assigned. */
  readonly aeId?: string
  /** requestReachability: true when the AE serves SA2 at `poa`. */
  readonly rr: boolean
  readonly poa?: readonly string[]
  /** supportedReleaseVersions; default ['3']. */
  readonly srv?: readonly string[]
}

/** A request as the caller writes it: `fr` defaults to the registered AE-ID, rqi and rvi are filled in. */
export type EntityARequest = Omit<RequestPrimitive, 'rqi' | 'rvi' | 'fr'> & { readonly fr?: string; readonly rqi?: string; readonly rvi?: string }

function endpointOf(url: string): { host: string; port: number } {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch (error) {
    throw invalidInput('the gateway URL is not a URL', error)
  }
  if (parsed.protocol !== 'https:') throw invalidInput('the gateway URL must be https://host:port')
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: parsed.port === '' ? 443 : Number(parsed.port) }
}

/** Opens a new SA1 with the session's credential; throws what `connectEntityA` throws. */
export type EntityAReconnect = () => Promise<OneM2mClient>

/**
 * Whether `socket` can still carry a request: not destroyed, and the gateway has not ended it
 * (its FIN or close_notify arrived: the readable side ended, or our side ended in turn).
 */
function usable(socket: TLSSocket): boolean {
  return !socket.destroyed && socket.writable && !socket.readableEnded
}

export class EntityASession {
  #client: OneM2mClient
  readonly #reconnect: EntityAReconnect | undefined
  /** The handshake under way, shared by requests that found the connection closed together. */
  #reconnecting: Promise<OneM2mClient> | undefined
  #aeId: string | undefined
  #closed = false
  #handshakes = 1

  /** `reconnect` re-establishes SA1 when a request finds the connection closed; without it, such a request fails. */
  constructor(client: OneM2mClient, reconnect?: EntityAReconnect) {
    this.#client = client
    this.#reconnect = reconnect
  }

  /** How many SA1 handshakes this session has completed (1 + re-establishments), for logs and tests. */
  get handshakes(): number {
    return this.#handshakes
  }

  /** The AE-ID-Stem the Registrar assigned or confirmed, once registered. */
  get aeId(): string | undefined {
    return this.#aeId
  }

  /**
   * Sends one request on SA1 and returns the response primitive, whatever its rsc. When the
   * gateway had already closed the connection, SA1 is re-established once first (D-76); a request
   * that was written is never resent.
   * @throws ClientError M2MSEC_CLIENT_SESSION_CLOSED, M2MSEC_CLIENT_UNREACHABLE, M2MSEC_CLIENT_RESPONSE_INVALID,
   *   and from a re-establishment what connectEntityA throws (M2MSEC_CLIENT_HANDSHAKE_FAILED for a refused credential)
   */
  async send(request: EntityARequest): Promise<ResponsePrimitive> {
    if (this.#closed) throw sessionClosed()
    const fr = request.fr ?? this.#aeId
    const primitive: RequestPrimitive = { ...request, rqi: request.rqi ?? `ea-${randomBytes(6).toString('hex')}`, rvi: request.rvi ?? '3', ...(fr === undefined ? {} : { fr }) }
    const client = usable(this.#client.socket) ? this.#client : await this.#reestablish()
    try {
      // Between the check above and this write no I/O event runs (only a just-made handshake is
      // awaited), so a close seen after it is one the request may have met: a failure, not a retry.
      return (await client.send(primitive)).primitive
    } catch (error) {
      if (error instanceof Error && 'code' in error && String(error.code).startsWith('M2MSEC_ONEM2M_')) throw invalidResponse('the gateway answered something that is not a oneM2M response', error)
      throw new ClientError('M2MSEC_CLIENT_UNREACHABLE', 'unavailable', 'the request to the gateway failed', { cause: error })
    }
  }

  /**
   * Registers an AE (CREATE of ty 2, wire.md §5) and remembers its AE-ID as the `fr` of later requests.
   * @throws ClientError M2MSEC_CLIENT_REFUSED (with `rsc`) unless the answer is 2001.
   */
  async registerAe(cseBase: string, r: AeRegistration): Promise<ResponsePrimitive> {
    const ae: Record<string, JsonValue> = { rn: r.rn, api: r.api, rr: r.rr, srv: [...(r.srv ?? ['3'])], ...(r.poa === undefined ? {} : { poa: [...r.poa] }) }
    const response = await this.send({ op: OPERATION.CREATE, to: cseBase, ty: RESOURCE_TYPE.AE, fr: r.aeId ?? 'C', pc: { 'm2m:ae': ae } })
    expect(response, 2001, 'AE registration')
    const created = isJsonObject(response.pc) ? response.pc['m2m:ae'] : undefined
    const aei = isJsonObject(created) ? created['aei'] : undefined
    if (typeof aei !== 'string') throw invalidResponse('the registration response carries no aei')
    this.#aeId = aei
    return response
  }

  /** CREATE of a child of `to`. @throws ClientError M2MSEC_CLIENT_REFUSED unless 2001. */
  async create(to: string, ty: number, pc: JsonValue): Promise<ResponsePrimitive> {
    return expect(await this.send({ op: OPERATION.CREATE, to, ty, pc }), 2001, 'CREATE')
  }

  /** RETRIEVE of `to`. @throws ClientError M2MSEC_CLIENT_REFUSED unless 2000. */
  async retrieve(to: string): Promise<ResponsePrimitive> {
    return expect(await this.send({ op: OPERATION.RETRIEVE, to }), 2000, 'RETRIEVE')
  }

  close(): void {
    this.#closed = true
    this.#client.close()
  }

  /** A new SA1 in place of the closed one; concurrent callers share one handshake. */
  async #reestablish(): Promise<OneM2mClient> {
    const reconnect = this.#reconnect
    if (reconnect === undefined) return this.#client
    const stale = this.#client
    this.#reconnecting ??= reconnect().finally(() => (this.#reconnecting = undefined))
    const client = await this.#reconnecting
    if (this.#client === stale) {
      stale.close()
      this.#client = client
      this.#handshakes += 1
    }
    if (this.#closed) {
      client.close()
      throw sessionClosed()
    }
    return client
  }
}

function sessionClosed(): ClientError {
  return new ClientError('M2MSEC_CLIENT_SESSION_CLOSED', 'bad-input', 'the gateway session is closed')
}

function expect(response: ResponsePrimitive, rsc: number, what: string): ResponsePrimitive {
  if (response.rsc !== rsc) throw new ClientError('M2MSEC_CLIENT_REFUSED', 'forbidden', `${what} was answered with ${response.rsc}`, { rsc: response.rsc })
  return response
}

/**
 * Opens SA1 to the gateway.
 * @throws ClientError M2MSEC_CLIENT_INPUT_INVALID, M2MSEC_CLIENT_HANDSHAKE_FAILED
 */
export async function connectEntityA(options: EntityAOptions): Promise<EntityASession> {
  const { host, port } = endpointOf(options.gatewayUrl)
  const fqdn = (options.gatewayFqdn ?? host).toLowerCase()
  const c = options.credential
  const credential: ServerCredential = c.kind === 'psk' ? c : { kind: 'certificate', certPem: c.certPem, keyPem: c.keyPem, caPem: c.gatewayCaPem }
  const timeouts = { handshakeTimeoutMs: options.handshakeTimeoutMs ?? 10_000, requestTimeoutMs: options.requestTimeoutMs ?? 15_000 }
  // The same endpoint, credential and trust for every handshake of the session (D-76).
  const dial: EntityAReconnect = () => connectToServer('gateway', { host, port, fqdn }, credential, timeouts)
  return new EntityASession(await dial(), dial)
}
