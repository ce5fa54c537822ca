/**
 * ECCSI verification exactly as RFC 6507 §5.2.2 writes it, all in @noble/curves, without
 * caching or the ECDSA reformulation. Slow (three variable-base multiplications); it exists so
 * tests can cross-check the fast path in verify.ts on random and corrupted signatures.
 */
import { p256 } from '@noble/curves/nist.js'
import { os2ip } from '../bytes.js'
import { hashIdentity, hashMessage } from './hash.js'
import { parsePoint, tryParsePoint } from './point.js'
import { modQ } from './params.js'
import { splitSignature, type EccsiVerification, type EccsiVerifyKey } from './signature.js'

/**
 * Verifies `signature` over `message` for `key.id` under `key.kpak` (RFC 6507 §5.2.2).
 * @throws M2MSEC_ECCSI_POINT_INVALID when KPAK is not an uncompressed P-256 point (configuration
 *   error, not a refusal).
 */
export function verifyEccsiReference(message: Uint8Array, signature: Uint8Array, key: EccsiVerifyKey): EccsiVerification {
  const split = splitSignature(signature)
  if (!split.ok) return split
  const { r, rValue, s, pvt } = split
  // Step 1: PVT on the curve.
  const pvtPoint = tryParsePoint(pvt)
  if (pvtPoint === undefined) return { ok: false, reason: 'pvt-not-on-curve' }
  const kpakPoint = parsePoint(key.kpak, 'KPAK')
  // Steps 2-4: HS, HE, Y = [HS]PVT + KPAK.
  const hs = hashIdentity(key.kpak, key.id, pvt)
  const he = hashMessage(hs, r, message)
  const y = pvtPoint.multiplyUnsafe(modQ(os2ip(hs))).add(kpakPoint)
  // Step 5: J = [s]([HE]G + [r]Y).
  const j = p256.Point.BASE.multiplyUnsafe(modQ(he)).add(y.multiplyUnsafe(rValue)).multiplyUnsafe(s)
  // Step 6: Jx ≡ r (mod p) and Jx ≠ 0 (affine Jx is already reduced mod p).
  if (j.is0()) return { ok: false, reason: 'bad-signature' }
  const jx = j.toAffine().x
  return jx !== 0n && jx === rValue ? { ok: true } : { ok: false, reason: 'bad-signature' }
}
