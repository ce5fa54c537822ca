/**
 * The public key implied by an identity: Y = [HS]PVT + KPAK (RFC 6507 §5.2.2 step 4), which
 * equals [SSK]G for a correctly issued key (§5.1.2). Anyone holding ID, PVT and KPAK computes
 * it, so verification and the IBC key agreement (crypto.md §10) use it as an ordinary public key.
 */
import { CoreError } from '../errors.js'
import { os2ip } from '../bytes.js'
import { hashIdentity } from './hash.js'
import { parsePoint, type EccsiPoint } from './point.js'
import { modQ } from './params.js'

/**
 * Y from parsed points and HS. Public inputs only, so noble's variable-time double-scalar
 * multiplication is fine. Returns undefined for the point at infinity (only when SSK = 0,
 * which no conforming KMS issues).
 */
export function deriveY(kpak: EccsiPoint, hs: Uint8Array, pvt: EccsiPoint): EccsiPoint | undefined {
  const y = pvt.mulAddUnsafe(modQ(os2ip(hs)), kpak, 1n)
  return y.is0() ? undefined : y
}

/**
 * Y for an identity, uncompressed (65 octets).
 * @throws M2MSEC_ECCSI_POINT_INVALID when KPAK or PVT is not an uncompressed point on P-256, or Y
 *   is the point at infinity.
 */
export function eccsiPublicKey(kpak: Uint8Array, id: Uint8Array, pvt: Uint8Array): Uint8Array {
  const y = deriveY(parsePoint(kpak, 'KPAK'), hashIdentity(kpak, id, pvt), parsePoint(pvt, 'PVT'))
  if (y === undefined) {
    throw new CoreError('M2MSEC_ECCSI_POINT_INVALID', 'bad-input', 'KPAK + [HS]PVT is the point at infinity')
  }
  return y.toBytes(false)
}
