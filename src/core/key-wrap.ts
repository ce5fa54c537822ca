/**
 * AES Key Wrap (RFC 3394) with the default IV A6A6A6A6A6A6A6A6, for seed 004's root-credential
 * wrap under a 256-bit RootCredentialWrapKey (128- and 192-bit KEKs work too). OpenSSL's
 * id-aesNNN-wrap does the block work; this module fixes the IV, checks sizes and turns an
 * integrity failure into one coded error.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto'
import { CoreError } from './errors.js'
import { SecretBytes } from './secret.js'

const DEFAULT_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex')
const CIPHER_BY_KEK_LENGTH: Readonly<Record<number, string>> = { 16: 'id-aes128-wrap', 24: 'id-aes192-wrap', 32: 'id-aes256-wrap' }

function cipherFor(kek: SecretBytes): string {
  const name = CIPHER_BY_KEK_LENGTH[kek.length]
  if (!name) throw new CoreError('M2MSEC_KEY_INVALID', 'bad-input', `KEK must be 16, 24 or 32 bytes (got ${kek.length})`)
  return name
}

/**
 * Wraps `keyData` (≥ 16 bytes, a multiple of 8 — RFC 3394 §2) under `kek`.
 * @throws M2MSEC_KEY_INVALID for a bad KEK length; M2MSEC_INPUT_INVALID for bad key-data length.
 */
export function wrapKey(kek: SecretBytes, keyData: SecretBytes): Uint8Array {
  const name = cipherFor(kek)
  if (keyData.length < 16 || keyData.length % 8 !== 0) {
    throw new CoreError('M2MSEC_INPUT_INVALID', 'bad-input', `key data must be >= 16 bytes and a multiple of 8 (got ${keyData.length})`)
  }
  const cipher = createCipheriv(name, kek.reveal(), DEFAULT_IV)
  return new Uint8Array(Buffer.concat([cipher.update(keyData.reveal()), cipher.final()]))
}

/**
 * Unwraps and checks the RFC 3394 integrity value.
 * @throws M2MSEC_KEYWRAP_INTEGRITY when the check fails (wrong KEK or altered ciphertext);
 *   M2MSEC_INPUT_INVALID for a ciphertext length that cannot be a wrap; M2MSEC_KEY_INVALID for a bad KEK.
 */
export function unwrapKey(kek: SecretBytes, wrapped: Uint8Array): SecretBytes {
  const name = cipherFor(kek)
  if (wrapped.length < 24 || wrapped.length % 8 !== 0) {
    throw new CoreError('M2MSEC_INPUT_INVALID', 'bad-input', `wrapped key must be >= 24 bytes and a multiple of 8 (got ${wrapped.length})`)
  }
  try {
    const decipher = createDecipheriv(name, kek.reveal(), DEFAULT_IV)
    return new SecretBytes(new Uint8Array(Buffer.concat([decipher.update(wrapped), decipher.final()])))
  } catch (cause) {
    // OpenSSL reports only "bad decrypt"; which byte failed is no business of the caller's.
    throw new CoreError('M2MSEC_KEYWRAP_INTEGRITY', 'bad-input', 'unwrapped key failed the RFC 3394 integrity check', { cause })
  }
}
