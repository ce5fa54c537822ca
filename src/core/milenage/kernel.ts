/**
 * The Milenage kernel function E_K (3GPP TS 35.206 §3): AES-128 on one 128-bit block under the
 * subscriber key K. One node:crypto cipher is created per key and reused for every block:
 * ECB has no chaining state and with padding off `update` returns each full block at once, so
 * we never call `final` and pay OpenSSL's key schedule once per key, not once per block.
 */
import { createCipheriv } from 'node:crypto'
import { assertLength } from '../bytes.js'

export const BLOCK_BYTES = 16

/** E_K for one key: maps a 16-byte block to its 16-byte AES-128 encryption. */
export type BlockCipher = (block: Uint8Array) => Uint8Array

/**
 * Keys AES-128-ECB once and returns E_K.
 * @throws M2MSEC_KEY_INVALID when the key is not 16 bytes.
 */
export function createKernel(key: Uint8Array): BlockCipher {
  assertLength(key, BLOCK_BYTES, 'K', true)
  const cipher = createCipheriv('aes-128-ecb', key, null)
  cipher.setAutoPadding(false)
  return (block) => {
    const out = cipher.update(block)
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
  }
}

/** a ⊕ b for two blocks of equal length (callers pass fixed-size Milenage blocks). */
export function xorBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!
  return out
}
