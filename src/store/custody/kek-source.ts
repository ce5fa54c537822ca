/**
 * Where a key-encryption key comes from (issue 4 "key custody"): a 32-byte file created with
 * mode 0600 on first start, or an environment variable holding 32 bytes in hex or base64.
 *
 * KEK ids are derived, never chosen: the first 8 bytes of SHA-256("m2msec-kek-id" ‖ 0x00 ‖ KEK),
 * in upper-case hex. An id names the KEK in every blob header and in operator output without
 * revealing anything usable about it (a 64-bit prefix of a hash of 256 random bits), and two
 * instances loading the same KEK from different places agree on its id.
 */
import { createHash, randomBytes } from 'node:crypto'
import { SecretBytes, toHex } from '../../core/index.js'
import { StoreError } from '../errors.js'
import { KEK_LENGTH } from './aes-gcm-sealer.js'
import type { Kek } from './aes-gcm-sealer.js'
import { createPrivateFileExclusive, readPrivateFile } from './private-file.js'

const KEK_ID_LABEL = 'm2msec-kek-id'
/** Default environment variable holding the active KEK. */
export const KEK_ENV_VARIABLE = 'M2MSEC_KEK'

const HEX_KEK_RE = /^[0-9A-Fa-f]{64}$/
const BASE64_RE = /^[A-Za-z0-9+/_-]+={0,2}$/

function kekInvalid(message: string): StoreError {
  return new StoreError('M2MSEC_STORE_KEK_INVALID', 'internal', message)
}

/** The public identifier of a KEK (see the module comment). */
export function deriveKekId(key: SecretBytes): string {
  const digest = createHash('sha256').update(KEK_ID_LABEL).update(Uint8Array.of(0)).update(key.reveal()).digest()
  return toHex(digest.subarray(0, 8))
}

/** Wraps 32 bytes as a KEK with its derived id. @throws StoreError M2MSEC_STORE_KEK_INVALID on a wrong length. */
export function kekFromBytes(bytes: Uint8Array, what: string): Kek {
  if (bytes.length !== KEK_LENGTH) throw kekInvalid(`${what} must hold ${KEK_LENGTH} bytes (got ${bytes.length})`)
  const key = new SecretBytes(bytes)
  return { id: deriveKekId(key), key }
}

/** A fresh random KEK. */
export function generateKek(): Kek {
  return kekFromBytes(new Uint8Array(randomBytes(KEK_LENGTH)), 'generated KEK')
}

/**
 * Parses a KEK written as 64 hex digits or as base64/base64url of 32 bytes (whitespace around
 * it is ignored). `what` names the source in errors; the value never appears.
 * @throws StoreError M2MSEC_STORE_KEK_INVALID when the text is neither or does not hold 32 bytes.
 */
export function parseKekText(text: string, what: string): Kek {
  const trimmed = text.trim()
  if (HEX_KEK_RE.test(trimmed)) return kekFromBytes(new Uint8Array(Buffer.from(trimmed, 'hex')), what)
  if (!BASE64_RE.test(trimmed) || (/[+/]/.test(trimmed) && /[-_]/.test(trimmed))) {
    throw kekInvalid(`${what} is neither 64 hex digits nor base64 (length ${trimmed.length})`)
  }
  const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
  // Node's decoder skips bad characters silently; re-encoding proves the text was canonical base64.
  if (bytes.toString('base64').replace(/=+$/, '') !== trimmed.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '')) {
    throw kekInvalid(`${what} is not canonical base64 (length ${trimmed.length})`)
  }
  return kekFromBytes(new Uint8Array(bytes), what)
}

/**
 * Reads the KEK from `env[variable]`.
 * @throws StoreError M2MSEC_STORE_KEK_INVALID when the variable is unset, empty or malformed.
 */
export function loadKekFromEnv(env: Readonly<Record<string, string | undefined>>, variable: string = KEK_ENV_VARIABLE): Kek {
  const value = env[variable]
  if (value === undefined || value.trim() === '') throw kekInvalid(`environment variable ${variable} is not set`)
  return parseKekText(value, `environment variable ${variable}`)
}

export interface LoadedKekFile {
  readonly kek: Kek
  /** True when this call created the file (first start). */
  readonly created: boolean
}

/**
 * Loads the raw 32-byte KEK at `path`, creating it with 32 random bytes and mode 0600 when it
 * is missing and `create` is true.
 * @throws StoreError M2MSEC_STORE_KEK_INSECURE when the file is a symlink, not a regular file,
 *   or accessible to group/others; M2MSEC_STORE_KEK_INVALID when it is missing (and `create` is
 *   false), unreadable or not exactly 32 bytes.
 */
export function loadKekFile(path: string, options: { readonly create: boolean }): LoadedKekFile {
  let created = false
  let bytes = readPrivateFile(path, KEK_LENGTH)
  if (bytes === undefined && options.create) {
    const fresh = new Uint8Array(randomBytes(KEK_LENGTH))
    created = createPrivateFileExclusive(path, fresh)
    fresh.fill(0)
    bytes = readPrivateFile(path, KEK_LENGTH)
  }
  if (bytes === undefined) throw kekInvalid(`KEK file ${path} does not exist`)
  return { kek: kekFromBytes(bytes, `KEK file ${path}`), created }
}
