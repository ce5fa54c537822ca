/**
 * The ECCSI KMS (RFC 6507 §4.2 and §5.1.1): creates the master pair KSAK/KPAK and issues an
 * identity its Secret Signing Key and Public Validation Token. Pure: keys come in and go out as
 * values; sealing KSAK at rest and delivering SSK secretly belong to services/kms.
 */
import { timingSafeEqual } from 'node:crypto'
import { CoreError } from '../errors.js'
import { os2ip } from '../bytes.js'
import { SecretBytes } from '../secret.js'
import { hashIdentity } from './hash.js'
import { multiplyBase, parsePoint } from './point.js'
import { drawScalar, modQ, readSecretScalar, scalarToBytes, type RandomScalarSeam } from './params.js'

export interface KmsMasterKey {
  /** KMS Secret Authentication Key, I2OSP(KSAK, 32). */
  readonly ksak: SecretBytes
  /** KMS Public Authentication Key [KSAK]G, uncompressed (65 octets). */
  readonly kpak: Uint8Array
}

export interface IssuedSigningKey {
  /** Secret Signing Key, I2OSP(SSK, 32): deliver to the identity's owner only. */
  readonly ssk: SecretBytes
  /** Public Validation Token [v]G, uncompressed (65 octets). */
  readonly pvt: Uint8Array
  /** HS = hash(G ‖ KPAK ‖ ID ‖ PVT), 32 octets (public). */
  readonly hs: Uint8Array
}

/** A fresh KSAK in [1, q−1] and its KPAK (RFC 6507 §4.2). */
export function generateKmsMasterKey(seam?: RandomScalarSeam): KmsMasterKey {
  const ksak = drawScalar(seam)
  return { ksak: new SecretBytes(scalarToBytes(ksak)), kpak: multiplyBase(ksak) }
}

/**
 * Issues (SSK, PVT) for `id` (RFC 6507 §5.1.1): v random, PVT = [v]G, HS, SSK = KSAK + HS·v mod q,
 * drawing another v in the (probability 2^-256) case SSK = 0. `seam` exists for the published
 * vector only.
 * @throws M2MSEC_ECCSI_POINT_INVALID when KPAK is not an uncompressed P-256 point.
 * @throws M2MSEC_KEY_INVALID when KSAK is malformed or KPAK ≠ [KSAK]G (a mismatched pair would
 *   issue keys that never validate).
 */
export function issueSigningKey(
  ksak: SecretBytes,
  kpak: Uint8Array,
  id: Uint8Array,
  seam?: RandomScalarSeam,
): IssuedSigningKey {
  parsePoint(kpak, 'KPAK')
  const ksakValue = readSecretScalar(ksak, 'KSAK', 'M2MSEC_KEY_INVALID')
  if (!timingSafeEqual(multiplyBase(ksakValue), kpak)) {
    throw new CoreError('M2MSEC_KEY_INVALID', 'bad-input', 'KPAK is not the public key of this KSAK')
  }
  for (;;) {
    const v = drawScalar(seam)
    const pvt = multiplyBase(v)
    const hs = hashIdentity(kpak, id, pvt)
    const ssk = modQ(ksakValue + os2ip(hs) * v)
    if (ssk !== 0n) return { ssk: new SecretBytes(scalarToBytes(ssk)), pvt, hs }
  }
}
