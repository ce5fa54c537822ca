/**
 * ECCSI signing (RFC 6507 §5.2.1). A signer is built once from validated key material, so HS
 * is hashed once per identity, not per message; each signature then costs one native [j]G
 * (OpenSSL, constant time in j), one SHA-256 and BigInt arithmetic mod q.
 */
import { concatBytes, os2ip } from '../bytes.js'
import type { SecretBytes } from '../secret.js'
import { hashMessage } from './hash.js'
import { multiplyBase } from './point.js'
import {
  ECCSI_SCALAR_LENGTH,
  Q,
  drawScalar,
  invertModQ,
  modQ,
  randomScalar,
  readSecretScalar,
  scalarToBytes,
  type RandomScalarSeam,
} from './params.js'
import { validateSigningKey } from './ssk-validation.js'

/** What an identity holds after issue (RFC 6507 §4.3): its ID, SSK, PVT and the KMS's KPAK. */
export interface EccsiKeyMaterial {
  readonly id: Uint8Array
  readonly ssk: SecretBytes
  readonly pvt: Uint8Array
  readonly kpak: Uint8Array
}

export interface EccsiSigner {
  readonly id: Uint8Array
  /** Y = [SSK]G, uncompressed: what verifiers derive from ID, PVT and KPAK. */
  readonly publicKey: Uint8Array
  /** r ‖ s ‖ PVT, 129 octets (RFC 6507 §3.3). */
  sign(message: Uint8Array): Uint8Array
}

/**
 * Validates the key material (RFC 6507 §5.1.2) and returns a signer bound to it. `seam`
 * replaces the choice of j, for the published vector only.
 * @throws M2MSEC_ECCSI_POINT_INVALID when KPAK or PVT is not an uncompressed P-256 point.
 * @throws M2MSEC_ECCSI_SSK_INVALID when the SSK does not validate for this ID, PVT and KPAK.
 */
export function createEccsiSigner(key: EccsiKeyMaterial, seam?: RandomScalarSeam): EccsiSigner {
  const { hs, publicKey } = validateSigningKey(key.kpak, key.id, key.ssk, key.pvt)
  const ssk = readSecretScalar(key.ssk, 'SSK', 'M2MSEC_ECCSI_SSK_INVALID')
  const pvt = Uint8Array.from(key.pvt)
  const id = Uint8Array.from(key.id)
  return {
    id,
    publicKey,
    sign: (message) => {
      const { r, s } = signScalars(hs, ssk, message, seam)
      return concatBytes(r, scalarToBytes(s), pvt)
    },
  }
}

/**
 * One-shot signature. Validates the key each call: use createEccsiSigner to sign repeatedly.
 * @throws as createEccsiSigner.
 */
export function signEccsi(message: Uint8Array, key: EccsiKeyMaterial, seam?: RandomScalarSeam): Uint8Array {
  return createEccsiSigner(key, seam).sign(message)
}

function signScalars(
  hs: Uint8Array,
  ssk: bigint,
  message: Uint8Array,
  seam: RandomScalarSeam | undefined,
): { r: Uint8Array; s: bigint } {
  for (;;) {
    // §5.2.1 steps 1-2: j random, J = [j]G, r = Jx.
    const j = drawScalar(seam)
    const r = multiplyBase(j).subarray(1, 1 + ECCSI_SCALAR_LENGTH)
    const rValue = os2ip(r)
    // Jx ≥ q (probability ~2^-128) would give an r that verifiers refuse as out of range
    // (verify.ts checks r in [1, q−1]); a fresh j costs nothing and keeps every signature valid.
    if (rValue >= Q) continue
    // §5.2.1 steps 3-4: HE, and HE + r·SSK must be non-zero mod q.
    const t = modQ(hashMessage(hs, r, message) + rValue * ssk)
    if (t === 0n) continue
    // §5.2.1 step 5: s' = (HE + r·SSK)⁻¹·j. BigInt inversion is not constant time and t depends
    // on SSK, so it is blinded by a fresh random β: s' = j·β·(t·β)⁻¹. On P-256 s' < q always
    // fits in N octets, so step 6 (s = q − s') never applies. j cannot be erased from a BigInt.
    const beta = randomScalar()
    return { r, s: modQ(j * beta * invertModQ(modQ(t * beta))) }
  }
}
