/**
 * The authentication token and the resynchronisation token of UMTS AKA (3GPP TS 33.102 §6.3.2,
 * §6.3.3, §6.3.5), built from Milenage: AUTN = (SQN ⊕ AK) ‖ AMF ‖ MAC-A on the network side,
 * checked by the USIM; AUTS = (SQN_MS ⊕ AK*) ‖ MAC-S sent back by the USIM when SQN is out of
 * range. Digest AKA carries both (RFC 3310 §3.1, §3.4).
 *
 * A wrong MAC is an expected refusal on the authentication path, so the checks return a typed
 * verdict (STYLE.md §4) instead of throwing; callers that prefer an exception have
 * M2MSEC_MILENAGE_MAC_MISMATCH. SQN freshness is not judged here: the USIM/BSF holds the SQN
 * state and decides with the recovered value.
 */
import { timingSafeEqual } from 'node:crypto'
import { assertLength, concatBytes } from '../bytes.js'
import type { SecretBytes } from '../secret.js'
import { xorBytes } from './kernel.js'
import { AK_BYTES, AMF_BYTES, MAC_BYTES, SQN_BYTES, type Milenage } from './milenage.js'

export const AUTN_BYTES = SQN_BYTES + AMF_BYTES + MAC_BYTES
export const AUTS_BYTES = SQN_BYTES + MAC_BYTES

/** TS 33.102 §6.3.3: AMF* in MAC-S is a dummy of all zeros, so AUTS does not depend on AMF. */
const RESYNC_AMF = new Uint8Array(AMF_BYTES)

/** A network authentication vector for one RAND (TS 33.102 §6.3.2). */
export interface AuthenticationVector {
  readonly rand: Uint8Array
  /** Expected RES (f2). */
  readonly xres: SecretBytes
  readonly ck: SecretBytes
  readonly ik: SecretBytes
  readonly autn: Uint8Array
}

/** The USIM's verdict on an AUTN. On success it also yields the values it computed anyway. */
export type AutnVerdict =
  | {
      readonly ok: true
      readonly sqn: Uint8Array
      readonly amf: Uint8Array
      readonly res: SecretBytes
      readonly ck: SecretBytes
      readonly ik: SecretBytes
    }
  | { readonly ok: false; readonly reason: 'mac-mismatch'; readonly sqn: Uint8Array }

/** The network's verdict on an AUTS; `sqnMs` is the USIM's SQN when the MAC-S is right. */
export type AutsVerdict =
  | { readonly ok: true; readonly sqnMs: Uint8Array }
  | { readonly ok: false; readonly reason: 'mac-mismatch'; readonly sqnMs: Uint8Array }

/**
 * AUTN = (SQN ⊕ AK) ‖ AMF ‖ MAC-A.
 * @throws M2MSEC_INPUT_INVALID when a part has the wrong length.
 */
export function buildAutn(sqn: Uint8Array, ak: Uint8Array, amf: Uint8Array, macA: Uint8Array): Uint8Array {
  assertLength(sqn, SQN_BYTES, 'SQN')
  assertLength(ak, AK_BYTES, 'AK')
  assertLength(amf, AMF_BYTES, 'AMF')
  assertLength(macA, MAC_BYTES, 'MAC-A')
  return concatBytes(xorBytes(sqn, ak), amf, macA)
}

/**
 * The network side: one authentication vector for RAND, SQN and AMF.
 * @throws M2MSEC_INPUT_INVALID when RAND, SQN or AMF has the wrong length.
 */
export function generateAuthenticationVector(
  milenage: Milenage,
  rand: Uint8Array,
  sqn: Uint8Array,
  amf: Uint8Array,
): AuthenticationVector {
  const out = milenage.compute(rand, sqn, amf)
  return { rand: Uint8Array.from(rand), xres: out.res, ck: out.ck, ik: out.ik, autn: buildAutn(sqn, out.ak, amf, out.macA) }
}

/**
 * The USIM side (TS 33.102 §6.3.3): recovers SQN with AK = f5(RAND) and checks MAC-A against
 * f1 in constant time.
 * @throws M2MSEC_INPUT_INVALID when RAND is not 16 bytes or AUTN not 16 bytes.
 */
export function verifyAutn(milenage: Milenage, rand: Uint8Array, autn: Uint8Array): AutnVerdict {
  assertLength(autn, AUTN_BYTES, 'AUTN')
  const keys = milenage.f2345(rand)
  const sqn = xorBytes(autn.subarray(0, SQN_BYTES), keys.ak)
  const amf = autn.slice(SQN_BYTES, SQN_BYTES + AMF_BYTES)
  const xmac = milenage.f1(rand, sqn, amf)
  if (!timingSafeEqual(xmac, autn.subarray(SQN_BYTES + AMF_BYTES))) {
    return { ok: false, reason: 'mac-mismatch', sqn }
  }
  return { ok: true, sqn, amf, res: keys.res, ck: keys.ck, ik: keys.ik }
}

/**
 * The USIM side of resynchronisation: AUTS = (SQN_MS ⊕ AK*) ‖ MAC-S, MAC-S = f1*(SQN_MS, RAND, AMF*).
 * @throws M2MSEC_INPUT_INVALID when RAND or SQN_MS has the wrong length.
 */
export function buildAuts(milenage: Milenage, rand: Uint8Array, sqnMs: Uint8Array): Uint8Array {
  assertLength(sqnMs, SQN_BYTES, 'SQN_MS')
  const macS = milenage.f1Star(rand, sqnMs, RESYNC_AMF)
  return concatBytes(xorBytes(sqnMs, milenage.f5Star(rand)), macS)
}

/**
 * The network side of resynchronisation (TS 33.102 §6.3.5): recovers SQN_MS with f5* and checks
 * MAC-S in constant time.
 * @throws M2MSEC_INPUT_INVALID when RAND is not 16 bytes or AUTS not 14 bytes.
 */
export function verifyAuts(milenage: Milenage, rand: Uint8Array, auts: Uint8Array): AutsVerdict {
  assertLength(auts, AUTS_BYTES, 'AUTS')
  const sqnMs = xorBytes(auts.subarray(0, SQN_BYTES), milenage.f5Star(rand))
  const xmacS = milenage.f1Star(rand, sqnMs, RESYNC_AMF)
  if (!timingSafeEqual(xmacS, auts.subarray(SQN_BYTES))) {
    return { ok: false, reason: 'mac-mismatch', sqnMs }
  }
  return { ok: true, sqnMs }
}
