/**
 * ECCSI domain parameters and scalar arithmetic (RFC 6507 §3 and §4.1, with the oneM2M IBC
 * parameter set: NIST P-256, SHA-256, N = 32). Scalars are BigInts reduced mod q; the curve
 * constants come from @noble/curves so they cannot drift from the point code that uses them.
 */
import { randomBytes } from 'node:crypto'
import { p256 } from '@noble/curves/nist.js'
import { CoreError, type CoreErrorCode } from '../errors.js'
import type { SecretBytes } from '../secret.js'
import { i2osp, os2ip } from '../bytes.js'

/** N: octets of a field element or scalar (RFC 6507 §4.1, n = 256). */
export const ECCSI_SCALAR_LENGTH = 32
/** An uncompressed point `0x04 ‖ x ‖ y` (RFC 6507 §3.2: points are always encoded uncompressed). */
export const ECCSI_POINT_LENGTH = 1 + 2 * ECCSI_SCALAR_LENGTH
/** Signature = r (N) ‖ s (N) ‖ PVT (2N+1) (RFC 6507 §3.3): 129 octets on P-256. */
export const ECCSI_SIGNATURE_LENGTH = 2 * ECCSI_SCALAR_LENGTH + ECCSI_POINT_LENGTH

/** p: the field prime of P-256. */
export const P = p256.Point.Fp.ORDER
/** q: the prime order of G. */
export const Q = p256.Point.Fn.ORDER
/** G encoded uncompressed, the first input of HS (RFC 6507 §5.1.1 step 3). */
export const G_BYTES: Uint8Array = p256.Point.BASE.toBytes(false)

/**
 * Test seam for the only random choices ECCSI makes (v at issue, j at signing). Production code
 * leaves it out; tests inject the RFC 6507 appendix A values through it and nothing else.
 */
export interface RandomScalarSeam {
  /** Replaces the CSPRNG. Must return an integer in [1, q-1]; anything else is rejected. */
  readonly randomScalar?: () => bigint
}

export function modQ(value: bigint): bigint {
  const r = value % Q
  return r < 0n ? r + Q : r
}

/** Inverse mod q (extended Euclid, via noble's field). The caller guarantees value ≢ 0. */
export function invertModQ(value: bigint): bigint {
  return p256.Point.Fn.inv(modQ(value))
}

/** True when 1 ≤ value ≤ q−1: the range of every ECCSI secret, nonce, r and s. */
export function isScalarInRange(value: bigint): boolean {
  return value >= 1n && value < Q
}

/**
 * A uniform scalar in [1, q−1] by rejection sampling 32 random octets (q is close to 2^256, so
 * a rejection happens with probability about 2^-32): no modulo bias.
 */
export function randomScalar(): bigint {
  for (;;) {
    const candidate = os2ip(randomBytes(ECCSI_SCALAR_LENGTH))
    if (isScalarInRange(candidate)) return candidate
  }
}

/**
 * Draws from the seam when one is given, else from the CSPRNG.
 * @throws M2MSEC_INPUT_INVALID when an injected scalar is outside [1, q−1].
 */
export function drawScalar(seam: RandomScalarSeam | undefined): bigint {
  if (seam?.randomScalar === undefined) return randomScalar()
  const value = seam.randomScalar()
  if (!isScalarInRange(value)) {
    throw new CoreError('M2MSEC_INPUT_INVALID', 'bad-input', 'injected random scalar is outside [1, q-1]')
  }
  return value
}

export function scalarToBytes(value: bigint): Uint8Array {
  return i2osp(value, ECCSI_SCALAR_LENGTH)
}

/**
 * Reads a 32-octet secret scalar (KSAK, SSK) and checks 1 ≤ value ≤ q−1.
 * @throws `code` naming the key and its length, never its value.
 */
export function readSecretScalar(key: SecretBytes, name: string, code: CoreErrorCode): bigint {
  if (key.length !== ECCSI_SCALAR_LENGTH) {
    throw new CoreError(code, 'bad-input', `${name} must be ${ECCSI_SCALAR_LENGTH} bytes (got ${key.length})`)
  }
  const value = os2ip(key.reveal())
  if (!isScalarInRange(value)) throw new CoreError(code, 'bad-input', `${name} is outside [1, q-1]`)
  return value
}
