/**
 * SA2 pointOfAccess rewriting (TS-0003 8.2.1 figure 8.2.1-2, frameworks.md §4.5, wire.md §9.3):
 * every `https://` entry of the `poa` an AE or registree CSE announces through the gateway is
 * replaced by a URL on the gateway's SA2 relay, so the CSE's requests to the entity (notifications)
 * reach the gateway, which opens SA2 to the real pointOfAccess as TLS client with the credential
 * of SA1. The replacement carries what the relay needs — the original URL, the SAEF, the
 * Credential-ID and psk_identity of SA1 — as a token authenticated with HMAC-SHA256 under a
 * gateway key sealed in the store.
 *
 * Choice (rationale): the token keeps the original poa durable without a new table — it lives in
 * the CSE's own resource — so a restarted gateway, or another instance on the same database,
 * relays it; the MAC stops anyone who can reach the relay from steering the gateway's credentials
 * to another host. The token holds identifiers and the entity's own URL, never key bytes; the key
 * is looked up again (revocation, expiry) at every SA2 handshake. Other schemes are left alone:
 * a plain `http://` poa is the entity's choice of an unprotected path, coap(s) is not relayed yet.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { OPERATION, RESOURCE_TYPE, isJsonObject, type JsonValue, type RequestPrimitive } from '../../onem2m/index.js'
import type { SecretBytes } from '../../core/index.js'
import type { SecurityContext } from './saef/index.js'

/** What the relay needs to open SA2 for one pointOfAccess. */
export interface Sa2Target {
  /** The entity's own `https://` pointOfAccess. */
  readonly poa: string
  /** The SAEF of SA1 ('psk', 'maf', 'certificate'). */
  readonly saef: string
  readonly credentialId: string
  /** psk_identity of SA1, for PSK-based SAEFs. */
  readonly identity?: string
}

/** The relay's path prefix; the token follows as one segment. */
export const SA2_PATH_PREFIX = '/sa2/'
const MAC_CONTEXT = 'm2msec-sa2-poa/1\0'
const TOKEN_RE = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/
const HTTPS_RE = /^https:\/\//i
/** Resource roots whose `poa` is rewritten: <AE> and <remoteCSE> (TS-0004 short names). */
const ROOTS = ['m2m:ae', 'm2m:csr'] as const

function mac(key: SecretBytes, payload: string): Buffer {
  return createHmac('sha256', key.reveal()).update(MAC_CONTEXT).update(payload).digest()
}

/** The token naming `target`: base64url(JSON) "." base64url(HMAC). */
export function sealSa2Token(key: SecretBytes, target: Sa2Target): string {
  const payload = Buffer.from(JSON.stringify({ p: target.poa, s: target.saef, c: target.credentialId, ...(target.identity === undefined ? {} : { i: target.identity }) }), 'utf8').toString('base64url')
  return `${payload}.${mac(key, payload).toString('base64url')}`
}

/** The target a token names, or undefined when it is malformed or its MAC does not verify. */
export function openSa2Token(key: SecretBytes, token: string): Sa2Target | undefined {
  const m = TOKEN_RE.exec(token)
  if (m === null) return undefined
  const [, payload, tag] = m as unknown as [string, string, string]
  // Compared in canonical text form: a tag differing only in base64 padding bits is another tag.
  const expected = Buffer.from(mac(key, payload).toString('base64url'), 'ascii')
  const given = Buffer.from(tag, 'ascii')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
  if (!isJsonObject(parsed)) return undefined
  const o = parsed as Record<string, unknown>
  if (typeof o['p'] !== 'string' || !HTTPS_RE.test(o['p']) || typeof o['s'] !== 'string' || typeof o['c'] !== 'string') return undefined
  if (o['i'] !== undefined && typeof o['i'] !== 'string') return undefined
  return { poa: o['p'], saef: o['s'], credentialId: o['c'], ...(typeof o['i'] === 'string' ? { identity: o['i'] } : {}) }
}

/** Splits a relay request path into its token and the rest (path suffix and query) to append to the poa. */
export function splitRelayPath(path: string): { token: string; rest: string } | undefined {
  if (!path.startsWith(SA2_PATH_PREFIX)) return undefined
  const tail = path.slice(SA2_PATH_PREFIX.length)
  const end = tail.search(/[/?]/)
  const token = end < 0 ? tail : tail.slice(0, end)
  return token.length === 0 ? undefined : { token, rest: end < 0 ? '' : tail.slice(end) }
}

function carriesPoa(p: RequestPrimitive): boolean {
  if (p.op === OPERATION.CREATE) return p.ty === RESOURCE_TYPE.AE || p.ty === RESOURCE_TYPE.REMOTE_CSE
  return p.op === OPERATION.UPDATE
}

/**
 * The request body with every `https://` poa entry replaced by `relayBase + /sa2/<token>`, or
 * undefined when nothing changes (no poa, no https entry, not a CREATE of AE/remoteCSE or UPDATE).
 * `relayBase` is the relay's URL as the upstream CSE dials it (`http://127.0.0.1:PORT`).
 */
export function rewritePoa(p: RequestPrimitive, context: SecurityContext, key: SecretBytes, relayBase: string): Uint8Array | undefined {
  if (!carriesPoa(p) || !isJsonObject(p.pc)) return undefined
  const pc: Record<string, JsonValue> = { ...p.pc }
  let changed = false
  for (const root of ROOTS) {
    const resource = pc[root]
    if (!isJsonObject(resource) || !Array.isArray(resource['poa'])) continue
    const poa = resource['poa'].map((entry: JsonValue) => {
      if (typeof entry !== 'string' || !HTTPS_RE.test(entry)) return entry
      changed = true
      const target: Sa2Target = { poa: entry, saef: context.saef, credentialId: context.credentialId, ...(context.identity === undefined ? {} : { identity: context.identity }) }
      return `${relayBase}${SA2_PATH_PREFIX}${sealSa2Token(key, target)}`
    })
    pc[root] = { ...resource, poa }
  }
  return changed ? new Uint8Array(Buffer.from(JSON.stringify(pc), 'utf8')) : undefined
}
