/**
 * Validation of a received SSK/PVT pair by its owner (RFC 6507 §5.1.2): the key is usable only
 * if [SSK]G = KPAK + [HS]PVT, i.e. the KMS really bound this PVT and SSK to this identity.
 * Run it once on receipt; createEccsiSigner runs it for every signer it builds.
 */
import { timingSafeEqual } from 'node:crypto'
import { CoreError } from '../errors.js'
import type { SecretBytes } from '../secret.js'
import { hashIdentity } from './hash.js'
import { deriveY } from './identity-public-key.js'
import { multiplyBase, parsePoint } from './point.js'
import { readSecretScalar } from './params.js'

export interface ValidatedSigningKey {
  /** HS = hash(G ‖ KPAK ‖ ID ‖ PVT), 32 octets: a signer reuses it for every signature. */
  readonly hs: Uint8Array
  /** Y = [SSK]G = KPAK + [HS]PVT, uncompressed: the identity's implied public key. */
  readonly publicKey: Uint8Array
}

/**
 * Checks an SSK/PVT pair for `id` under `kpak` (RFC 6507 §5.1.2).
 * @throws M2MSEC_ECCSI_POINT_INVALID when KPAK or PVT is not an uncompressed point on P-256.
 * @throws M2MSEC_ECCSI_SSK_INVALID when SSK is not 32 octets in [1, q−1] or [SSK]G ≠ KPAK + [HS]PVT.
 */
export function validateSigningKey(
  kpak: Uint8Array,
  id: Uint8Array,
  ssk: SecretBytes,
  pvt: Uint8Array,
): ValidatedSigningKey {
  const kpakPoint = parsePoint(kpak, 'KPAK')
  const pvtPoint = parsePoint(pvt, 'PVT')
  const sskValue = readSecretScalar(ssk, 'SSK', 'M2MSEC_ECCSI_SSK_INVALID')
  const hs = hashIdentity(kpak, id, pvt)
  const y = deriveY(kpakPoint, hs, pvtPoint)
  // [SSK]G is computed natively (SSK is secret); Y is public, so comparing encodings is enough.
  const sskG = multiplyBase(sskValue)
  if (y === undefined || !timingSafeEqual(sskG, y.toBytes(false))) {
    throw new CoreError('M2MSEC_ECCSI_SSK_INVALID', 'bad-input', 'SSK does not match KPAK + [HS]PVT for this identity')
  }
  return { hs, publicKey: sskG }
}
