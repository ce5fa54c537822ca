/**
 * ECCSI verification, fast path (RFC 6507 §5.2.2; ARCHITECTURE.md §3 "ECCSI").
 *
 * Why an ECDSA verification computes the ECCSI check. Let Y = [HS]PVT + KPAK (the signer's
 * implied public key) and hand OpenSSL's ECDSA-with-SHA-256 the public key Y, the data
 * HS ‖ r ‖ M and the signature (r, w) with w = s⁻¹ mod q. ECDSA hashes the data to
 * e = SHA-256(HS ‖ r ‖ M) = HE (256-bit digest on a 256-bit group: no truncation), inverts w
 * back to s, and forms R = [e·s]G + [r·s]Y = [s]([HE]G + [r]Y) = J, accepting iff R ≠ ∞ and
 * Rx mod q = r. ECCSI accepts iff Jx = r and Jx ≠ 0. With r checked in [1, q−1] first, the two
 * agree whenever Jx < q (then Jx mod q = Jx, and Jx = r ≥ 1 ≠ 0). They differ only if
 * Jx ∈ [q, p), where ECDSA would also accept Jx − q = r: that needs Jx in a range of
 * p − q ≈ 2^128 values out of ≈ 2^256, a probability near 2^-128 that no signer can steer
 * towards without breaking the discrete logarithm, so the fast path accepts it as negligible
 * (verify-reference.ts keeps the exact formula for tests).
 *
 * Cost per signature: SHA-256 for HS, one BigInt inversion for w and one native ECDSA verify.
 * Y and its KeyObject are cached per signer, keyed by HS: HS = SHA-256(G ‖ KPAK ‖ ID ‖ PVT)
 * binds the identity, its PVT and the KMS, so a hit means the same triple whose PVT was already
 * found on the curve; a different KPAK, ID or PVT is a different key.
 */
import { createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto'
import { concatBytes, toBase64Url } from '../bytes.js'
import { hashIdentity } from './hash.js'
import { deriveY } from './identity-public-key.js'
import { parsePoint, tryParsePoint } from './point.js'
import { ECCSI_SCALAR_LENGTH, invertModQ, scalarToBytes } from './params.js'
import { splitSignature, type EccsiRefusal, type EccsiVerification, type EccsiVerifyKey } from './signature.js'

/** Signers remembered by a verifier unless told otherwise: ~1 KiB each. */
export const DEFAULT_VERIFIER_CACHE_SIZE = 1024

export interface EccsiVerifierOptions {
  /** Bound of the per-signer cache (least recently used entries leave first). */
  readonly maxCachedSigners?: number
}

export interface EccsiVerifier {
  /**
   * Verifies `signature` over `message` for `key.id` under `key.kpak`; refusals are values.
   * @throws M2MSEC_ECCSI_POINT_INVALID when KPAK is not an uncompressed P-256 point.
   */
  verify(message: Uint8Array, signature: Uint8Array, key: EccsiVerifyKey): EccsiVerification
  /** Signers currently cached (for tests and metrics). */
  readonly cachedSigners: number
}

type PublicKeyEntry = { readonly key: KeyObject; readonly dsaEncoding: 'ieee-p1363' }

const REFUSED: Readonly<Record<EccsiRefusal, EccsiVerification>> = {
  'malformed': { ok: false, reason: 'malformed' },
  'pvt-not-on-curve': { ok: false, reason: 'pvt-not-on-curve' },
  'r-out-of-range': { ok: false, reason: 'r-out-of-range' },
  's-out-of-range': { ok: false, reason: 's-out-of-range' },
  'bad-signature': { ok: false, reason: 'bad-signature' },
}
const ACCEPTED: EccsiVerification = { ok: true }

/** A verifier with its own bounded per-signer cache. */
export function createEccsiVerifier(options: EccsiVerifierOptions = {}): EccsiVerifier {
  const limit = Math.max(1, options.maxCachedSigners ?? DEFAULT_VERIFIER_CACHE_SIZE)
  const cache = new Map<string, PublicKeyEntry>()

  const lookUp = (hs: Uint8Array, pvt: Uint8Array, kpak: Uint8Array): PublicKeyEntry | EccsiRefusal => {
    const cacheKey = toBase64Url(hs)
    const hit = cache.get(cacheKey)
    if (hit !== undefined) {
      cache.delete(cacheKey) // re-insert: Map order is the recency order
      cache.set(cacheKey, hit)
      return hit
    }
    const pvtPoint = tryParsePoint(pvt)
    if (pvtPoint === undefined) return 'pvt-not-on-curve'
    const y = deriveY(parsePoint(kpak, 'KPAK'), hs, pvtPoint)
    if (y === undefined) return 'bad-signature'
    const entry: PublicKeyEntry = { key: toKeyObject(y.toBytes(false)), dsaEncoding: 'ieee-p1363' }
    if (cache.size >= limit) {
      const oldest = cache.keys().next()
      if (oldest.done !== true) cache.delete(oldest.value)
    }
    cache.set(cacheKey, entry)
    return entry
  }

  return {
    verify: (message, signature, key) => {
      const split = splitSignature(signature)
      if (!split.ok) return REFUSED[split.reason]
      const hs = hashIdentity(key.kpak, key.id, split.pvt)
      const entry = lookUp(hs, split.pvt, key.kpak)
      if (typeof entry === 'string') return REFUSED[entry]
      const ecdsaSignature = concatBytes(split.r, scalarToBytes(invertModQ(split.s)))
      const ok = nodeVerify('sha256', concatBytes(hs, split.r, message), entry, ecdsaSignature)
      return ok ? ACCEPTED : REFUSED['bad-signature']
    },
    get cachedSigners() {
      return cache.size
    },
  }
}

const defaultVerifier = createEccsiVerifier()

/**
 * Verifies with a process-wide verifier (cache bounded by DEFAULT_VERIFIER_CACHE_SIZE).
 * @throws M2MSEC_ECCSI_POINT_INVALID when KPAK is not an uncompressed P-256 point.
 */
export function verifyEccsi(message: Uint8Array, signature: Uint8Array, key: EccsiVerifyKey): EccsiVerification {
  return defaultVerifier.verify(message, signature, key)
}

function toKeyObject(point: Uint8Array): KeyObject {
  const x = point.subarray(1, 1 + ECCSI_SCALAR_LENGTH)
  const y = point.subarray(1 + ECCSI_SCALAR_LENGTH)
  return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: toBase64Url(x), y: toBase64Url(y) }, format: 'jwk' })
}
