/**
 * HTTP Digest AKAv1-MD5 (RFC 3310 on the RFC 2617 digest computation), the Ub authentication of
 * GBA bootstrapping (TS 33.220 §4.5.2, TS 24.109 §5.2): the nonce carries RAND ‖ AUTN (plus
 * optional server data, RFC 3310 §3.2) in base64, and the digest password is RES as raw octets
 * (RFC 3310 §3.4), so HA1 = MD5(username ":" realm ":" RES). Only the pure computations live
 * here; header parsing and the nonce/nc bookkeeping belong to the BSF and the client.
 *
 * Strings (username, realm, method, uri) enter MD5 as UTF-8; every GBA value is ASCII anyway.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { CoreError } from '../errors.js'
import { assertLength, concatBytes } from '../bytes.js'
import { SecretBytes } from '../secret.js'

export const DIGEST_ALGORITHM_AKAV1_MD5 = 'AKAv1-MD5'

const RAND_BYTES = 16
const AUTN_BYTES = 16
const NC_RE = /^[0-9a-f]{8}$/
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

export type DigestQop = 'auth' | 'auth-int'

/** Everything the digest response depends on. */
export interface DigestAkaInput {
  /** The IMPI. */
  readonly username: string
  readonly realm: string
  /** RES from the USIM (client) or XRES from the vector (BSF): the digest password. */
  readonly res: SecretBytes
  /** The request method; the empty string computes `rspauth` (RFC 2617 §3.2.3). */
  readonly method: string
  readonly uri: string
  readonly nonce: string
  /** Absent for the RFC 2069 form (no qop, nc, cnonce). */
  readonly qop?: DigestQop
  /** Nonce count, 8 lower-case hex digits; required with qop. */
  readonly nc?: string
  /** Client nonce; required with qop. */
  readonly cnonce?: string
  /** The entity body for qop=auth-int (request body, or response body for rspauth); default empty. */
  readonly entityBody?: Uint8Array
}

export interface DigestAkaResult {
  /** HA1 as its 32 lower-case hex characters: password-equivalent, hence secret. */
  readonly ha1: SecretBytes
  readonly ha2: string
  /** request-digest (or rspauth), 32 lower-case hex characters. */
  readonly response: string
}

/** RAND, AUTN and any server data recovered from a nonce. */
export interface AkaNonce {
  readonly rand: Uint8Array
  readonly autn: Uint8Array
  readonly serverData: Uint8Array
}

function md5Hex(...parts: readonly (string | Uint8Array)[]): string {
  const hash = createHash('md5')
  for (const part of parts) hash.update(part)
  return hash.digest('hex')
}

/**
 * nonce = base64(RAND ‖ AUTN ‖ server data) (RFC 3310 §3.2).
 * @throws M2MSEC_INPUT_INVALID when RAND or AUTN is not 16 bytes.
 */
export function formatAkaNonce(rand: Uint8Array, autn: Uint8Array, serverData: Uint8Array = new Uint8Array(0)): string {
  assertLength(rand, RAND_BYTES, 'RAND')
  assertLength(autn, AUTN_BYTES, 'AUTN')
  return Buffer.from(concatBytes(rand, autn, serverData)).toString('base64')
}

/**
 * Splits a nonce into RAND, AUTN and server data.
 * @throws M2MSEC_INPUT_INVALID when it is not padded base64 of at least 32 bytes.
 */
export function parseAkaNonce(nonce: string): AkaNonce {
  const bytes = BASE64_RE.test(nonce) ? new Uint8Array(Buffer.from(nonce, 'base64')) : undefined
  if (bytes === undefined || bytes.length < RAND_BYTES + AUTN_BYTES) {
    throw new CoreError(
      'M2MSEC_INPUT_INVALID',
      'bad-input',
      `AKA nonce must be base64 of RAND and AUTN (32 bytes or more; text length ${nonce.length})`,
    )
  }
  return {
    rand: bytes.slice(0, RAND_BYTES),
    autn: bytes.slice(RAND_BYTES, RAND_BYTES + AUTN_BYTES),
    serverData: bytes.slice(RAND_BYTES + AUTN_BYTES),
  }
}

function checkQopFields(input: DigestAkaInput): { nc: string; cnonce: string } | undefined {
  if (input.qop === undefined) return undefined
  if (input.nc === undefined || !NC_RE.test(input.nc)) {
    throw new CoreError('M2MSEC_INPUT_INVALID', 'bad-input', 'digest nc must be 8 lower-case hex digits when qop is set')
  }
  if (input.cnonce === undefined || input.cnonce.length === 0) {
    throw new CoreError('M2MSEC_INPUT_INVALID', 'bad-input', 'digest cnonce is required when qop is set')
  }
  return { nc: input.nc, cnonce: input.cnonce }
}

/**
 * HA1, HA2 and the response of RFC 2617 §3.2.2 with algorithm AKAv1-MD5 (password = RES octets).
 * @throws M2MSEC_INPUT_INVALID when qop is set without a valid nc and cnonce.
 */
export function computeDigestAkaV1Md5(input: DigestAkaInput): DigestAkaResult {
  const qopFields = checkQopFields(input)
  // RFC 3310 §3.4: RES is the password as an octet string, not its hex or base64 text.
  const ha1 = md5Hex(`${input.username}:${input.realm}:`, input.res.reveal())
  const ha2 =
    input.qop === 'auth-int'
      ? md5Hex(`${input.method}:${input.uri}:${md5Hex(input.entityBody ?? new Uint8Array(0))}`)
      : md5Hex(`${input.method}:${input.uri}`)
  const response =
    qopFields === undefined
      ? md5Hex(`${ha1}:${input.nonce}:${ha2}`)
      : md5Hex(`${ha1}:${input.nonce}:${qopFields.nc}:${qopFields.cnonce}:${input.qop}:${ha2}`)
  return { ha1: new SecretBytes(new Uint8Array(Buffer.from(ha1, 'latin1'))), ha2, response }
}

/** Constant-time check of a received request-digest against the expected one. */
export function digestResponseMatches(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'latin1')
  const b = Buffer.from(received, 'latin1')
  return a.length === b.length && timingSafeEqual(a, b)
}
