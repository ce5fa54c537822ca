/**
 * The byte layout of a sealed blob and of the associated data that binds it to its record
 * (ARCHITECTURE.md §3 "Secrets at rest are sealed"; issue 4 "key custody").
 *
 *   blob = version(1) ‖ kekIdLength(1) ‖ kekId(ASCII) ‖ nonce(12) ‖ tag(16) ‖ ciphertext
 *   aad  = "m2msec-seal" ‖ version ‖ kekIdLength ‖ kekId ‖ nonce ‖ len32(table) ‖ table
 *          ‖ len32(recordId) ‖ recordId ‖ len32(purpose) ‖ purpose          (UTF-8, big-endian lengths)
 *
 * Every context field is length-prefixed, so no two distinct contexts share an encoding
 * ('ab'+'c' ≠ 'a'+'bc'). The header is authenticated too, so a blob whose KEK id or version
 * byte was rewritten does not open. The tag is the only header part outside the AAD (GCM
 * produces it from the AAD).
 */
import { concatBytes } from '../../core/index.js'
import { StoreError } from '../errors.js'
import type { SealContext } from './sealer.js'

export const SEAL_BLOB_VERSION = 1
export const SEAL_NONCE_LENGTH = 12
export const SEAL_TAG_LENGTH = 16

/** KEK ids are short printable identifiers (they are stored in every blob and shown to operators). */
const KEK_ID_RE = /^[A-Za-z0-9._-]{1,64}$/
// Lone UTF-16 surrogates encode as U+FFFD, which would let two distinct strings collide.
const LONE_SURROGATE_RE = /\p{Surrogate}/u
const AAD_LABEL = new TextEncoder().encode('m2msec-seal')
const CONTEXT_FIELDS = ['table', 'recordId', 'purpose'] as const

export interface SealHeader {
  readonly version: number
  readonly kekId: string
  readonly nonce: Uint8Array
  readonly tag: Uint8Array
  readonly ciphertext: Uint8Array
  /** The header bytes covered by the AAD: version ‖ kekIdLength ‖ kekId ‖ nonce. */
  readonly authenticatedHeader: Uint8Array
}

function invalid(message: string): StoreError {
  return new StoreError('M2MSEC_STORE_SEAL_INVALID', 'internal', message)
}

/**
 * True when `id` may name a KEK inside a blob header.
 */
export function isValidKekId(id: string): boolean {
  return KEK_ID_RE.test(id)
}

/** version ‖ kekIdLength ‖ kekId ‖ nonce: the part of the header the AAD covers. */
export function encodeAuthenticatedHeader(kekId: string, nonce: Uint8Array): Uint8Array {
  if (!isValidKekId(kekId)) throw invalid(`KEK id is not 1..64 characters of [A-Za-z0-9._-] (length ${kekId.length})`)
  if (nonce.length !== SEAL_NONCE_LENGTH) throw invalid(`nonce must be ${SEAL_NONCE_LENGTH} bytes (got ${nonce.length})`)
  const id = new TextEncoder().encode(kekId)
  return concatBytes(Uint8Array.of(SEAL_BLOB_VERSION, id.length), id, nonce)
}

function lengthPrefixed(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text)
  const out = new Uint8Array(4 + bytes.length)
  new DataView(out.buffer).setUint32(0, bytes.length)
  out.set(bytes, 4)
  return out
}

/**
 * The canonical, injective encoding of a SealContext.
 * @throws StoreError M2MSEC_STORE_SEAL_INVALID when a field is empty or not well-formed Unicode.
 */
export function encodeSealContext(context: SealContext): Uint8Array {
  const parts: Uint8Array[] = []
  for (const field of CONTEXT_FIELDS) {
    const value: unknown = context[field]
    if (typeof value !== 'string' || value.length === 0) throw invalid(`seal context field ${field} is empty or not a string`)
    if (LONE_SURROGATE_RE.test(value)) throw invalid(`seal context field ${field} is not well-formed Unicode`)
    parts.push(lengthPrefixed(value))
  }
  return concatBytes(...parts)
}

/** The AEAD associated data: label ‖ authenticated header ‖ encoded context. */
export function sealAad(authenticatedHeader: Uint8Array, context: SealContext): Uint8Array {
  return concatBytes(AAD_LABEL, authenticatedHeader, encodeSealContext(context))
}

/**
 * Splits a blob into its header fields without decrypting it.
 * @throws StoreError M2MSEC_STORE_SEAL_INVALID when the blob is truncated or of an unknown version.
 */
export function parseSealBlob(blob: Uint8Array): SealHeader {
  if (!(blob instanceof Uint8Array)) throw invalid('sealed blob is not a byte array')
  if (blob.length < 2) throw invalid(`sealed blob is truncated (length ${blob.length})`)
  const version = blob[0]!
  if (version !== SEAL_BLOB_VERSION) throw invalid(`sealed blob has unknown version ${version}`)
  const idLength = blob[1]!
  const nonceStart = 2 + idLength
  const tagStart = nonceStart + SEAL_NONCE_LENGTH
  const cipherStart = tagStart + SEAL_TAG_LENGTH
  if (idLength === 0 || blob.length < cipherStart) throw invalid(`sealed blob is truncated (length ${blob.length})`)
  const kekId = Buffer.from(blob.subarray(2, nonceStart)).toString('latin1')
  if (!isValidKekId(kekId)) throw invalid('sealed blob names a malformed KEK id')
  return {
    version,
    kekId,
    nonce: blob.subarray(nonceStart, tagStart),
    tag: blob.subarray(tagStart, cipherStart),
    ciphertext: blob.subarray(cipherStart),
    authenticatedHeader: blob.subarray(0, tagStart),
  }
}

/** Assembles a blob from its authenticated header, tag and ciphertext. */
export function assembleSealBlob(authenticatedHeader: Uint8Array, tag: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  return concatBytes(authenticatedHeader, tag, ciphertext)
}
