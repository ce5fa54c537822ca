/**
 * The SA2 relay (TS-0003 8.2.1 figure 8.2.1-2; frameworks.md §4.5; wire.md §9.3): a plain HTTP
 * listener for the upstream CSE only (loopback by default, like the CSE itself, D-121), at the
 * URLs sa2-poa.ts put in the entities' `poa`. Each request is relayed to the entity's real
 * pointOfAccess over a new TLS session in which the gateway is the **client** and reuses SA1's
 * credential with roles reversed: PSK and MAF-based SAEF — the same psk_identity and Kpsa/Kc,
 * read again from the store (so a revoked or expired key opens no SA2, and no new MAF Key
 * Retrieval happens, §4.5); certificate SAEF — the gateway's certificate, the entity's
 * certificate verified against the client trust anchors and the identifier its Credential-ID
 * names. The entity's response is relayed back unchanged minus hop-by-hop headers.
 *
 * One TLS session per relayed request: notifications are rare next to SA1 traffic and a pooled
 * session would outlive a revocation. An entity that cannot be reached, or a credential that no
 * longer resolves, is answered with 5103 TARGET_NOT_REACHABLE; an unknown or forged token with 4004.
 */
import { request as httpRequest, createServer, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http'
import { isIP, type AddressInfo } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { randomBytes } from 'node:crypto'
import { M2mSecError, SecretBytes, cseIdPublicDomainName, parseCredentialId } from '../../core/index.js'
import { RSC, encodeHttpResponse, errorResponse, refused, requestContextOf } from '../../onem2m/index.js'
import type { ExpectedPeerIdentity } from '../../pki/index.js'
import type { PskRefusal, Store } from '../../store/index.js'
import { connectCertificate, connectPsk, pinnedAgent } from '../../transport/index.js'
import { GatewayError } from './errors.js'
import type { GatewayCredential } from './key-server-link.js'
import { openSa2Token, splitRelayPath, type Sa2Target } from './sa2-poa.js'

export type Sa2Event =
  | { readonly type: 'sa2-relayed'; readonly credentialId: string; readonly status: number; readonly rsc?: string }
  /**
   * `reason`: 'unknown-token', 'credential' (SA1's credential no longer opens SA2: `refusal` says
   * why), 'handshake' or 'exchange' (`code`: the M2mSecError code of what failed, e.g.
   * M2MSEC_TLS_PEER_ID_MISMATCH for an entity certificate naming another AE-ID).
   */
  | { readonly type: 'sa2-failed'; readonly reason: string; readonly credentialId?: string; readonly code?: string; readonly refusal?: Sa2Refusal }

/** Why SA1's credential opens no SA2: the store's refusal, or a credential SA2 cannot reuse. */
export type Sa2Refusal = PskRefusal | 'no-gateway-certificate' | 'no-expected-identity' | 'no-psk-identity'

export interface Sa2RelayOptions {
  readonly store: Store
  readonly now: () => Date
  /** HMAC key of the poa tokens. */
  readonly tokenKey: SecretBytes
  /** The gateway FQDN: SNI towards an entity whose poa names an IP address. */
  readonly gatewayFqdn: string
  /** The gateway's certificate (certificate SAEF) and the trust anchors of entity certificates. */
  readonly credential?: GatewayCredential
  readonly trustAnchors: readonly string[]
  readonly listen: { readonly host: string; readonly port: number }
  /** Bound on the SA2 handshake and on the entity's answer; default 10 s. */
  readonly timeoutMs?: number
  readonly maxBodyBytes?: number
  readonly onEvent: (event: Sa2Event) => void
}

export interface Sa2Relay {
  /** `http://host:port` the upstream CSE dials (the prefix of every rewritten poa). */
  readonly base: string
  readonly port: number
  close(): Promise<void>
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length'])

function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())) out[name] = value
  return out
}

/**
 * The identifier the entity's server certificate must carry: the one its Credential-ID names
 * (TS-0003 10.4 types 31–34), so SA2 ends at the entity SA1 authenticated (wire.md §9.3).
 */
export function expectedPeerOf(credentialId: string): ExpectedPeerIdentity | undefined {
  let parsed
  try {
    parsed = parseCredentialId(credentialId)
  } catch {
    return undefined
  }
  switch (parsed.typeId) {
    case 33: return { flavour: 'ae-id', absoluteAeId: parsed.value }
    case 32: {
      try {
        return { flavour: 'cse-id', publicDomainName: cseIdPublicDomainName(parsed.value) }
      } catch {
        return undefined
      }
    }
    case 34: return { flavour: 'node-id', nodeId: parsed.value }
    case 31: {
      const dash = parsed.value.lastIndexOf('-')
      return dash <= 0 ? undefined : { flavour: 'device', hwType: parsed.value.slice(0, dash), serialHex: parsed.value.slice(dash + 1) }
    }
    default: return undefined
  }
}

/** The entity's path for a relay request: the poa's path joined with what followed the token. */
export function entityPath(poa: URL, rest: string): string {
  if (rest === '') return `${poa.pathname}${poa.search}`
  const q = rest.indexOf('?')
  const suffix = q < 0 ? rest : rest.slice(0, q)
  const query = q < 0 ? poa.search : rest.slice(q)
  return `${poa.pathname.replace(/\/+$/, '')}${suffix}${query}`
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let length = 0
    req.on('data', (chunk: Buffer) => {
      length += chunk.length
      if (length > maxBytes) req.destroy(refused(RSC.BAD_REQUEST, `body is over ${maxBytes} bytes`))
      else chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks, length)))
    req.on('error', reject)
  })
}

/** The stable code of an SA2 failure, so the operator (and a test) tells a refused peer from an absent one. */
function codeOf(error: unknown): { code?: string } {
  return error instanceof M2mSecError ? { code: error.code } : {}
}

/** Name of the poa-token MAC key among the store's service keys. */
export const SA2_TOKEN_KEY_NAME = 'gateway-sa2-poa-mac'

/**
 * The poa-token key: read from the store (sealed), created on first start. Every gateway
 * instance on one database shares it, so any of them relays any rewritten poa.
 */
export async function loadSa2TokenKey(store: Store): Promise<SecretBytes> {
  const existing = await store.transaction((tx) => tx.serviceKeys.get(SA2_TOKEN_KEY_NAME))
  if (existing !== undefined) return existing.key
  try {
    await store.transaction((tx) => tx.serviceKeys.create(SA2_TOKEN_KEY_NAME, new SecretBytes(new Uint8Array(randomBytes(32)))))
  } catch (error) {
    // Another instance created it first: its key is the one.
    if (!(error instanceof M2mSecError && error.code === 'M2MSEC_STORE_CONFLICT')) throw error
  }
  const created = await store.transaction((tx) => tx.serviceKeys.get(SA2_TOKEN_KEY_NAME))
  if (created === undefined) throw new GatewayError('M2MSEC_GATEWAY_CONFIG_INVALID', 'internal', 'the SA2 token key could not be stored')
  return created.key
}

/** Starts the relay. @throws when the listen address cannot be bound. */
export async function startSa2Relay(o: Sa2RelayOptions): Promise<Sa2Relay> {
  const timeoutMs = o.timeoutMs ?? 10_000
  const maxBody = o.maxBodyBytes ?? 1024 * 1024

  /**
   * SA2 with the credential of SA1: the connected socket, or the refusal when that credential no
   * longer opens SA2 (a refusal is a value, not an exception: STYLE.md §4). @throws what the TLS client throws
   */
  const dial = async (target: Sa2Target, url: URL): Promise<{ readonly socket: TLSSocket } | { readonly refusal: Sa2Refusal }> => {
    const host = url.hostname.replace(/^\[|\]$/g, '')
    const endpoint = { host, port: url.port === '' ? 443 : Number(url.port), servername: isIP(host) === 0 ? host : o.gatewayFqdn, timeoutMs }
    if (target.saef === 'certificate') {
      const expected = expectedPeerOf(target.credentialId)
      if (o.credential === undefined) return { refusal: 'no-gateway-certificate' }
      if (expected === undefined) return { refusal: 'no-expected-identity' }
      return { socket: await connectCertificate({ ...endpoint, credential: { cert: o.credential.certPem, key: o.credential.keyPem }, trustAnchors: [...o.trustAnchors], expected }) }
    }
    if (target.identity === undefined) return { refusal: 'no-psk-identity' }
    // Read again at every SA2: a revoked or expired Kpsa/Kc opens nothing, and no new MAF Key Retrieval runs (§4.5).
    const found = await o.store.reader.findPskByIdentity('saef', target.identity, o.now())
    if (!found.ok) return { refusal: found.refusal }
    return { socket: await connectPsk({ ...endpoint, identity: target.identity, key: found.credential.key }) }
  }

  const exchange = (socket: TLSSocket, req: IncomingMessage, url: URL, rest: string, body: Buffer): Promise<{ status: number; headers: OutgoingHttpHeaders; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const agent = pinnedAgent(socket)
      const headers = { ...endToEnd(req.headers), Host: url.host, 'Content-Length': String(body.length) }
      const out = httpRequest({ agent, method: req.method ?? 'POST', path: entityPath(url, rest), headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: endToEnd(res.headers), body: Buffer.concat(chunks) }))
        res.on('error', reject)
      })
      out.setTimeout(timeoutMs, () => out.destroy(refused(RSC.TARGET_NOT_REACHABLE, `the entity did not answer within ${timeoutMs} ms`)))
      out.on('error', reject)
      out.end(body)
    })

  const relay = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const split = splitRelayPath(req.url ?? '')
    const target = split === undefined ? undefined : openSa2Token(o.tokenKey, split.token)
    if (split === undefined || target === undefined) {
      o.onEvent({ type: 'sa2-failed', reason: 'unknown-token' })
      throw refused(RSC.NOT_FOUND, 'no SA2 target at this address')
    }
    const body = await readBody(req, maxBody)
    const url = new URL(target.poa)
    let dialled
    try {
      dialled = await dial(target, url)
    } catch (error) {
      o.onEvent({ type: 'sa2-failed', reason: 'handshake', credentialId: target.credentialId, ...codeOf(error) })
      throw refused(RSC.TARGET_NOT_REACHABLE, 'SA2 to the entity could not be established', { cause: error })
    }
    if ('refusal' in dialled) {
      o.onEvent({ type: 'sa2-failed', reason: 'credential', credentialId: target.credentialId, refusal: dialled.refusal })
      throw refused(RSC.TARGET_NOT_REACHABLE, 'the credential of SA1 no longer opens SA2')
    }
    const socket = dialled.socket
    try {
      const answer = await exchange(socket, req, url, split.rest, body)
      const rsc = answer.headers['x-m2m-rsc']
      o.onEvent({ type: 'sa2-relayed', credentialId: target.credentialId, status: answer.status, ...(typeof rsc === 'string' ? { rsc } : {}) })
      res.writeHead(answer.status, answer.headers)
      res.end(answer.body)
    } catch (error) {
      o.onEvent({ type: 'sa2-failed', reason: 'exchange', credentialId: target.credentialId, ...codeOf(error) })
      throw refused(RSC.TARGET_NOT_REACHABLE, 'the entity did not answer over SA2', { cause: error })
    } finally {
      socket.destroy()
    }
  }

  const server = createServer((req, res) => {
    relay(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return
      const message = encodeHttpResponse(errorResponse(error, requestContextOf({ headers: req.headers })))
      res.writeHead(message.status, message.headers as Record<string, string>)
      res.end(message.body)
    })
  })
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject)
    server.listen(o.listen.port, o.listen.host, () => {
      server.off('error', reject)
      resolve(server.address() as AddressInfo)
    })
  })
  const hostText = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    base: `http://${hostText}:${address.port}`,
    port: address.port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    }),
  }
}
