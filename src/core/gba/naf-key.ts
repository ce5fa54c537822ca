/**
 * GBA keys (TS 33.220 §4.5.2 and annex B.3): Ks = CK ‖ IK from the bootstrapping run, and the
 * NAF-specific keys derived from it with the B.2 KDF, FC = 0x01,
 * P0 = "gba-me" (Ks_NAF in GBA_ME, Ks_ext_NAF in GBA_U) or "gba-u" (Ks_int_NAF, GBA_U),
 * P1 = RAND, P2 = UTF8NFKC(IMPI), P3 = NAF_Id. In the oneM2M GBA RSPF (TS-0003 §8.3.2.3) Ks
 * is Ke and the NAF key is the Km or Kpsa shared with the MAF or Registrar CSE.
 */
import { CoreError } from '../errors.js'
import { ascii, assertLength, concatBytes, utf8Nfkc } from '../bytes.js'
import { SecretBytes } from '../secret.js'
import { gbaKdf } from './kdf.js'
import type { NafId } from './naf-id.js'

/** B.3 FC for NAF key derivation. */
export const FC_NAF_KEY = 0x01
/** B.3 P0 for Ks_NAF / Ks_ext_NAF. */
export const P0_GBA_ME = 'gba-me'
/** B.3 P0 for Ks_int_NAF. */
export const P0_GBA_U = 'gba-u'

const CK_BYTES = 16
const IK_BYTES = 16
const KS_BYTES = CK_BYTES + IK_BYTES
const RAND_BYTES = 16

/** What a NAF key is derived from; all of it is known to both the UE and the BSF. */
export interface NafKeyInput {
  /** Ks = CK ‖ IK, 32 bytes. */
  readonly ks: SecretBytes
  /** The RAND of the bootstrapping run (16 bytes), also inside the B-TID. */
  readonly rand: Uint8Array
  /** The subscriber's private identity, e.g. `001010123456789@ims.mnc001.mcc001.3gppnetwork.org`. */
  readonly impi: string
  readonly nafId: NafId
}

/**
 * Ks = CK ‖ IK (TS 33.220 §4.5.2, CK first).
 * @throws M2MSEC_KEY_INVALID when CK or IK is not 16 bytes.
 */
export function deriveKs(ck: SecretBytes, ik: SecretBytes): SecretBytes {
  assertLength(ck.reveal(), CK_BYTES, 'CK', true)
  assertLength(ik.reveal(), IK_BYTES, 'IK', true)
  return new SecretBytes(concatBytes(ck.reveal(), ik.reveal()))
}

function deriveNafKey(label: string, input: NafKeyInput): SecretBytes {
  assertLength(input.ks.reveal(), KS_BYTES, 'Ks', true)
  assertLength(input.rand, RAND_BYTES, 'RAND')
  if (input.impi.length === 0) {
    throw new CoreError('M2MSEC_INPUT_INVALID', 'bad-input', 'IMPI must not be empty')
  }
  return gbaKdf(input.ks, FC_NAF_KEY, [ascii(label), input.rand, utf8Nfkc(input.impi), input.nafId])
}

/**
 * Ks_NAF (GBA_ME), 32 bytes.
 * @throws M2MSEC_KEY_INVALID when Ks is not 32 bytes; M2MSEC_INPUT_INVALID when RAND is not
 *   16 bytes, the IMPI is empty or a parameter exceeds 65535 bytes.
 */
export function deriveKsNaf(input: NafKeyInput): SecretBytes {
  return deriveNafKey(P0_GBA_ME, input)
}

/**
 * Ks_ext_NAF (GBA_U): the same derivation as Ks_NAF, done in the ME with the UICC's Ks.
 * @throws as `deriveKsNaf`.
 */
export function deriveKsExtNaf(input: NafKeyInput): SecretBytes {
  return deriveNafKey(P0_GBA_ME, input)
}

/**
 * Ks_int_NAF (GBA_U), the key that stays in the UICC, 32 bytes.
 * @throws as `deriveKsNaf`.
 */
export function deriveKsIntNaf(input: NafKeyInput): SecretBytes {
  return deriveNafKey(P0_GBA_U, input)
}
