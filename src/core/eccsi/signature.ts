/**
 * The ECCSI signature encoding r ‖ s ‖ PVT (RFC 6507 §3.3) and the checks every verifier makes
 * before any curve arithmetic, with the refusal reasons verification reports (STYLE.md §4:
 * expected refusals are values, so the reason reaches audit logs and tests).
 */
import { os2ip } from '../bytes.js'
import { ECCSI_POINT_LENGTH, ECCSI_SCALAR_LENGTH, ECCSI_SIGNATURE_LENGTH, isScalarInRange } from './params.js'

export type EccsiRefusal = 'malformed' | 'pvt-not-on-curve' | 'r-out-of-range' | 's-out-of-range' | 'bad-signature'

export type EccsiVerification = { readonly ok: true } | { readonly ok: false; readonly reason: EccsiRefusal }

/** What a verifier needs besides the signature: the signer's identity and its KMS's KPAK. */
export interface EccsiVerifyKey {
  readonly id: Uint8Array
  readonly kpak: Uint8Array
}

export interface SplitSignature {
  readonly ok: true
  /** r as sent (32 octets): HE hashes these octets. */
  readonly r: Uint8Array
  readonly rValue: bigint
  readonly s: bigint
  /** PVT as sent (65 octets, prefix 0x04; on-curve not yet checked). */
  readonly pvt: Uint8Array
}

/**
 * Splits a signature and checks its shape and scalar ranges: 129 octets with an uncompressed
 * PVT prefix ('malformed'), r and s in [1, q−1]. Whether PVT lies on the curve is left to the
 * caller, which may know it already (verify.ts: a cached HS implies it).
 */
export function splitSignature(signature: Uint8Array): SplitSignature | { readonly ok: false; readonly reason: EccsiRefusal } {
  if (signature.length !== ECCSI_SIGNATURE_LENGTH || signature[2 * ECCSI_SCALAR_LENGTH] !== 0x04) {
    return { ok: false, reason: 'malformed' }
  }
  const r = signature.subarray(0, ECCSI_SCALAR_LENGTH)
  const rValue = os2ip(r)
  if (!isScalarInRange(rValue)) return { ok: false, reason: 'r-out-of-range' }
  const s = os2ip(signature.subarray(ECCSI_SCALAR_LENGTH, 2 * ECCSI_SCALAR_LENGTH))
  if (!isScalarInRange(s)) return { ok: false, reason: 's-out-of-range' }
  const pvt = signature.subarray(2 * ECCSI_SCALAR_LENGTH, 2 * ECCSI_SCALAR_LENGTH + ECCSI_POINT_LENGTH)
  return { ok: true, r, rValue, s, pvt }
}
