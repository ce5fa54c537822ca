/**
 * The tamper-evident audit chain (issue 4 "audit log ... hash-chained so that a deleted or
 * edited event is detected"). Pure: no I/O; the store persists the fields, this module links
 * and checks them.
 *
 *   canonical(event) = JSON of { action, actor, outcome, seq, subject, time } with keys sorted by
 *                      UTF-16 code units at every level, no whitespace, ECMAScript number and
 *                      string serialisation: the RFC 8785 (JCS) form
 *   hash_n           = SHA-256(hash_{n-1} ‖ UTF-8(canonical(event_n))),  hash_0 = 32 zero bytes
 *
 * seq starts at 1 and grows by one, so a deleted or reordered event shows as a sequence gap; an
 * edited event as a hash mismatch; a re-hashed edit as a prev-hash mismatch on the next event.
 *
 * Limit: anyone who can rewrite the table can recompute every hash after an edit, and can drop
 * the newest events without a trace. Two counters are offered: the HMAC link (`hmacAuditLink`)
 * with a key kept out of the database (sealed under the KEK), and anchors — the head
 * (seq, hash) printed by `m2msec audit verify`, recorded elsewhere by operators and passed back
 * to a later verify, which then detects any rewrite or truncation up to that anchor.
 */
import { createHash, createHmac } from 'node:crypto'
import { toHex } from '../../core/index.js'
import type { SecretBytes } from '../../core/index.js'
import { StoreError } from '../errors.js'
import type { JsonValue } from '../row-codec.js'

export interface AuditEvent {
  /** 1, 2, 3, … with no gaps. */
  readonly seq: number
  /** Milliseconds since the Unix epoch (an integer, stored verbatim). */
  readonly time: number
  /** Who acted: a Credential-ID, an operator name, a service role. */
  readonly actor: string
  /** What was attempted, e.g. 'enrolment.create'. */
  readonly action: string
  /** Identifiers of the records concerned (KeID, AE-ID, …), never key material. */
  readonly subject: { readonly [key: string]: JsonValue }
  /** 'success' or a refusal reason. */
  readonly outcome: string
}

/** An event with its links, as stored: hashes in upper-case hex. */
export interface ChainedAuditEvent extends AuditEvent {
  readonly prevHash: string
  readonly hash: string
}

/** How one link is computed from the previous hash and the canonical event bytes. */
export type AuditLink = (prevHash: Uint8Array, canonical: Uint8Array) => Uint8Array

export const AUDIT_HASH_LENGTH = 32
/** hash_0: the prev-hash of the first event. */
export const AUDIT_GENESIS_HASH = '00'.repeat(AUDIT_HASH_LENGTH)

/** The stored prev-hash in canonical form: upper-case hex, and '' (an empty head) read as hash_0. */
export function normaliseAuditHash(hex: string): string {
  return hex === '' ? AUDIT_GENESIS_HASH : hex.toUpperCase()
}

/** SHA-256(prev ‖ canonical): detects edits and deletions by anyone who does not rewrite the tail. */
export const sha256AuditLink: AuditLink = (prev, canonical) =>
  new Uint8Array(createHash('sha256').update(prev).update(canonical).digest())

/** HMAC-SHA-256_key(prev ‖ canonical): a rewrite needs the key as well as the database. */
export function hmacAuditLink(key: SecretBytes): AuditLink {
  return (prev, canonical) => new Uint8Array(createHmac('sha256', key.reveal()).update(prev).update(canonical).digest())
}

function corrupt(message: string): StoreError {
  return new StoreError('M2MSEC_STORE_CORRUPT', 'internal', message)
}

const MAX_SUBJECT_DEPTH = 16

function canonicalObject(entries: readonly (readonly [string, string])[]): string {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${sorted.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`
}

function canonicalJson(value: unknown, path: string, depth: number): string {
  if (depth > MAX_SUBJECT_DEPTH) throw corrupt(`audit event ${path} nests too deeply`)
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw corrupt(`audit event ${path} is not a finite number`)
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) return `[${value.map((v, i) => canonicalJson(v, `${path}[${i}]`, depth + 1)).join(',')}]`
  if (typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null)) {
    return canonicalObject(Object.entries(value).map(([k, v]) => [k, canonicalJson(v, `${path}.${k}`, depth + 1)] as const))
  }
  throw corrupt(`audit event ${path} is not a JSON value`)
}

function checkInteger(value: unknown, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw corrupt(`audit event ${name} is not an integer ≥ ${min}`)
  return value
}

function checkString(value: unknown, name: string): string {
  if (typeof value !== 'string') throw corrupt(`audit event ${name} is not a string`)
  return JSON.stringify(value)
}

/**
 * The canonical text of an event (module comment). Keys are built by hand, not by
 * JSON.stringify of an object, because JS orders integer-like keys ('9', '10') numerically.
 * @throws StoreError M2MSEC_STORE_CORRUPT when a field has the wrong type.
 */
export function canonicalAuditEvent(event: AuditEvent): string {
  const subject: unknown = event.subject
  if (typeof subject !== 'object' || subject === null || Array.isArray(subject)) throw corrupt('audit event subject is not an object')
  const subjectText = canonicalJson(subject, 'subject', 0)
  return canonicalObject([
    ['action', checkString(event.action, 'action')],
    ['actor', checkString(event.actor, 'actor')],
    ['outcome', checkString(event.outcome, 'outcome')],
    ['seq', String(checkInteger(event.seq, 'seq', 1))],
    ['subject', subjectText],
    ['time', String(checkInteger(event.time, 'time', 0))],
  ])
}

function hexToHash(hex: string, name: string): Uint8Array {
  if (typeof hex !== 'string' || !/^[0-9A-Fa-f]{64}$/.test(hex)) throw corrupt(`audit ${name} is not ${AUDIT_HASH_LENGTH} bytes of hex`)
  return new Uint8Array(Buffer.from(hex, 'hex'))
}

/** The hash of `event` linked to `prevHash` (upper-case hex). @throws StoreError M2MSEC_STORE_CORRUPT */
export function auditEventHash(prevHash: string, event: AuditEvent, link: AuditLink = sha256AuditLink): string {
  const canonical = new TextEncoder().encode(canonicalAuditEvent(event))
  return toHex(link(hexToHash(normaliseAuditHash(prevHash), 'prev hash'), canonical))
}

/** The chain head the next event links to; `undefined` for an empty log. */
export interface AuditChainHead {
  readonly seq: number
  readonly hash: string
}

/**
 * The next event after `head`, with its seq and links filled in. The store calls this inside
 * the transaction that reads and advances the head row.
 */
export function appendAuditEvent(
  head: AuditChainHead | undefined,
  fields: Omit<AuditEvent, 'seq'>,
  link: AuditLink = sha256AuditLink,
): ChainedAuditEvent {
  const seq = head === undefined ? 1 : head.seq + 1
  const prevHash = head === undefined ? AUDIT_GENESIS_HASH : normaliseAuditHash(head.hash)
  const event: AuditEvent = { ...fields, seq }
  return { ...event, prevHash, hash: auditEventHash(prevHash, event, link) }
}

export type AuditChainBreak = 'sequence-gap' | 'prev-mismatch' | 'hash-mismatch' | 'malformed' | 'anchor-mismatch' | 'truncated'

export type AuditChainResult =
  | { readonly ok: true; readonly count: number; readonly head: AuditChainHead | undefined }
  | { readonly ok: false; readonly brokenAt: number; readonly reason: AuditChainBreak; readonly count: number }

export interface VerifyAuditChainOptions {
  readonly link?: AuditLink
  /**
   * (seq, hash) pairs recorded earlier by an operator. A rewrite up to an anchor gives
   * 'anchor-mismatch'; a chain that ends before an anchor gives 'truncated'.
   */
  readonly anchors?: readonly AuditChainHead[]
}

function linkFailure(event: ChainedAuditEvent, expectedSeq: number, prevHash: string, link: AuditLink): AuditChainBreak | undefined {
  if (event.seq !== expectedSeq) return 'sequence-gap'
  if (typeof event.prevHash !== 'string' || normaliseAuditHash(event.prevHash) !== prevHash) return 'prev-mismatch'
  let hash: string
  try {
    hash = auditEventHash(prevHash, event, link)
  } catch {
    return 'malformed'
  }
  return typeof event.hash === 'string' && event.hash.toUpperCase() === hash ? undefined : 'hash-mismatch'
}

/**
 * Checks every link of `events` (in stored order, seq ascending). The first break is reported
 * with the seq where it was found: for a gap or reorder, the seq that was expected.
 */
export async function verifyAuditChain(
  events: AsyncIterable<ChainedAuditEvent> | Iterable<ChainedAuditEvent>,
  options: VerifyAuditChainOptions = {},
): Promise<AuditChainResult> {
  const link = options.link ?? sha256AuditLink
  // Several anchors may name one seq (an operator's and the store's head row): each must hold.
  const anchors = new Map<number, string[]>()
  for (const a of options.anchors ?? []) anchors.set(a.seq, [...(anchors.get(a.seq) ?? []), a.hash.toUpperCase()])
  let head: AuditChainHead | undefined
  let count = 0
  for await (const event of events) {
    const expectedSeq = (head?.seq ?? 0) + 1
    const reason = linkFailure(event, expectedSeq, head?.hash ?? AUDIT_GENESIS_HASH, link)
    if (reason !== undefined) return { ok: false, brokenAt: expectedSeq, reason, count }
    const current = { seq: event.seq, hash: event.hash.toUpperCase() }
    head = current
    count += 1
    if ((anchors.get(event.seq) ?? []).some((hash) => hash !== current.hash)) return { ok: false, brokenAt: event.seq, reason: 'anchor-mismatch', count }
  }
  const beyond = [...anchors.keys()].filter((seq) => seq > (head?.seq ?? 0)).sort((a, b) => a - b)[0]
  if (beyond !== undefined) return { ok: false, brokenAt: beyond, reason: 'truncated', count }
  return { ok: true, count, head }
}

/**
 * Parses an anchor written as `SEQ:HASH` (as printed by `m2msec audit verify`).
 * @throws StoreError M2MSEC_STORE_CORRUPT when it is not of that form.
 */
export function parseAuditAnchor(text: string): AuditChainHead {
  const match = /^([1-9][0-9]{0,15}):([0-9A-Fa-f]{64})$/.exec(text.trim())
  const seq = match === null ? NaN : Number(match[1])
  if (match === null || !Number.isSafeInteger(seq)) throw corrupt(`audit anchor is not SEQ:HASH (length ${text.length})`)
  return { seq, hash: match[2]!.toUpperCase() }
}
