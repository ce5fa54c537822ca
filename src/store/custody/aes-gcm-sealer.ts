/**
 * A Sealer over software-held KEKs: AES-256-GCM (NIST SP 800-38D) with a fresh random 96-bit
 * nonce per seal and the record's SealContext in the associated data (layout in seal-blob.ts).
 * Several KEKs may be loaded at once: the active one seals, any of them opens, which is what
 * lets a KEK rotation re-seal rows online (rotation.ts).
 *
 * Random nonces: with 96-bit random nonces the collision bound keeps one KEK safe for well
 * over 2^32 seals (SP 800-38D §8.3); rotation resets the count, and the store seals one blob
 * per key written, orders of magnitude below that.
 *
 * Failure to open is one opaque error whatever failed inside (wrong context, flipped bit,
 * unknown KEK), so nothing about the key or the plaintext leaks through the error path.
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { SecretBytes } from '../../core/index.js'
import { StoreError } from '../errors.js'
import {
  SEAL_NONCE_LENGTH,
  SEAL_TAG_LENGTH,
  assembleSealBlob,
  encodeAuthenticatedHeader,
  isValidKekId,
  parseSealBlob,
  sealAad,
} from './seal-blob.js'
import type { SealContext, Sealer } from './sealer.js'

export const KEK_LENGTH = 32
/** Upper bound on one sealed secret: keys are small; a CA private key in PKCS#8 is a few KiB. */
export const SEAL_MAX_SECRET_LENGTH = 64 * 1024

export interface Kek {
  readonly id: string
  readonly key: SecretBytes
}

function kekInvalid(message: string): StoreError {
  return new StoreError('M2MSEC_STORE_KEK_INVALID', 'internal', message)
}

function importKeks(keks: readonly Kek[], activeKekId: string): Map<string, KeyObject> {
  if (keks.length === 0) throw kekInvalid('no KEK was given')
  const byId = new Map<string, KeyObject>()
  for (const kek of keks) {
    if (!isValidKekId(kek.id)) throw kekInvalid(`KEK id is not 1..64 characters of [A-Za-z0-9._-] (length ${kek.id.length})`)
    if (byId.has(kek.id)) throw kekInvalid(`KEK id ${kek.id} is given twice`)
    if (kek.key.length !== KEK_LENGTH) throw kekInvalid(`KEK ${kek.id} must be ${KEK_LENGTH} bytes (got ${kek.key.length})`)
    // createSecretKey copies the bytes into a KeyObject, which never renders them on inspect.
    byId.set(kek.id, createSecretKey(kek.key.reveal()))
  }
  if (!byId.has(activeKekId)) throw kekInvalid(`active KEK id ${activeKekId} is not among the loaded KEKs`)
  return byId
}

function sealInvalid(message: string): StoreError {
  return new StoreError('M2MSEC_STORE_SEAL_INVALID', 'internal', message)
}

function describe(context: SealContext): string {
  return `${context.table}/${context.recordId}/${context.purpose}`
}

/**
 * Builds a Sealer that seals under `activeKekId` and opens blobs sealed under any of `keks`.
 * @throws StoreError M2MSEC_STORE_KEK_INVALID when a KEK is not 32 bytes, an id repeats or is
 *   malformed, or the active id is not loaded.
 */
export function createAesGcmSealer(keks: readonly Kek[], activeKekId: string): Sealer {
  const keys = importKeks(keks, activeKekId)
  const activeKey = keys.get(activeKekId)!
  const kekIds = [...keys.keys()]

  function seal(secret: SecretBytes, context: SealContext): Uint8Array {
    if (!(secret instanceof SecretBytes)) throw sealInvalid('only SecretBytes can be sealed')
    if (secret.length > SEAL_MAX_SECRET_LENGTH) throw sealInvalid(`secret is too long to seal (${secret.length} bytes)`)
    const nonce = new Uint8Array(randomBytes(SEAL_NONCE_LENGTH))
    const header = encodeAuthenticatedHeader(activeKekId, nonce)
    const cipher = createCipheriv('aes-256-gcm', activeKey, nonce, { authTagLength: SEAL_TAG_LENGTH })
    cipher.setAAD(sealAad(header, context))
    const ciphertext = Buffer.concat([cipher.update(secret.reveal()), cipher.final()])
    return assembleSealBlob(header, cipher.getAuthTag(), ciphertext)
  }

  function open(blob: Uint8Array, context: SealContext): SecretBytes {
    const parsed = parseSealBlob(blob)
    const key = keys.get(parsed.kekId)
    if (key === undefined) throw sealInvalid(`sealed ${describe(context)} is under KEK ${parsed.kekId}, which is not loaded`)
    const aad = sealAad(parsed.authenticatedHeader, context)
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, parsed.nonce, { authTagLength: SEAL_TAG_LENGTH })
      decipher.setAuthTag(parsed.tag)
      decipher.setAAD(aad)
      const plain = Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()])
      // Copy out of Buffer's shared allocation pool so the SecretBytes owns (and can wipe) its memory.
      const out = new Uint8Array(plain)
      plain.fill(0)
      return new SecretBytes(out)
    } catch {
      // One message whatever failed: wrong record or purpose, altered bytes, or a different KEK with the same id.
      throw sealInvalid(`sealed ${describe(context)} does not open under its record and purpose`)
    }
  }

  function kekIdOf(blob: Uint8Array): string {
    return parseSealBlob(blob).kekId
  }

  const render = (): string => `AesGcmSealer(active=${activeKekId}, keks=[${kekIds.join(', ')}])`
  return Object.freeze({
    activeKekId,
    seal,
    open,
    kekIdOf,
    toJSON: render,
    toString: render,
    [Symbol.for('nodejs.util.inspect.custom')]: render,
  })
}
