/**
 * P-256 points as ECCSI uses them (RFC 6507 §3.2): strict parsing of the 65-octet uncompressed
 * encoding, and [k]G through OpenSSL. Secret scalars (KSAK, v, SSK, j) are only ever multiplied
 * natively, where OpenSSL's constant-time P-256 code does the work; @noble/curves handles the
 * public-only arithmetic (point addition, [HS]PVT) that Node's API does not offer.
 */
import { createECDH } from 'node:crypto'
import { p256 } from '@noble/curves/nist.js'
import type { WeierstrassPoint } from '@noble/curves/abstract/weierstrass.js'
import { CoreError } from '../errors.js'
import { ECCSI_POINT_LENGTH, scalarToBytes } from './params.js'

export type EccsiPoint = WeierstrassPoint<bigint>

/**
 * Parses `0x04 ‖ x ‖ y`, returning undefined unless both coordinates are below p and the point
 * lies on the curve. Compressed forms and the point at infinity are refused: RFC 6507 only
 * defines the uncompressed encoding, and accepting two spellings of one PVT would give one
 * identity two HS values.
 */
export function tryParsePoint(bytes: Uint8Array): EccsiPoint | undefined {
  if (bytes.length !== ECCSI_POINT_LENGTH || bytes[0] !== 0x04) return undefined
  try {
    return p256.Point.fromBytes(bytes)
  } catch {
    return undefined
  }
}

/**
 * Like tryParsePoint, for inputs whose failure is a caller error (KPAK, PVT at issue time).
 * @throws M2MSEC_ECCSI_POINT_INVALID naming the input.
 */
export function parsePoint(bytes: Uint8Array, name: string): EccsiPoint {
  const point = tryParsePoint(bytes)
  if (point === undefined) {
    throw new CoreError(
      'M2MSEC_ECCSI_POINT_INVALID',
      'bad-input',
      `${name} is not an uncompressed P-256 point on the curve (length ${bytes.length})`,
    )
  }
  return point
}

/**
 * [k]G, uncompressed, computed by OpenSSL: setting k as an ECDH private key makes it derive the
 * public point. The 32-octet copy of k is zeroed afterwards (best effort; the BigInt and
 * OpenSSL's copy cannot be wiped from JS). The caller guarantees 1 ≤ k ≤ q−1.
 */
export function multiplyBase(k: bigint): Uint8Array {
  const kBytes = scalarToBytes(k)
  try {
    const ecdh = createECDH('prime256v1')
    ecdh.setPrivateKey(kBytes)
    return new Uint8Array(ecdh.getPublicKey())
  } finally {
    kBytes.fill(0)
  }
}
