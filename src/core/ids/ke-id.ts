/**
 * KeID, the identifier of an Enrolment Key Ke (TS-0003 §10.3.4): `hexBinary(RelativeKeID) "@"
 * MEF-FQDN`, where RelativeKeID is the 16 leading bytes of the Bootstrap export (OQ-1). In the
 * GBA RSPF the KeID is the B-TID instead (TS-0003 §8.3.2.3, crypto.md §3), so both shapes parse.
 * Normalised per OQ-2: hex upper case, FQDN lower case, B-TID base64 untouched.
 */
import type { Fqdn } from './fqdn.js'
import { invalidId } from './id-error.js'
import { parseScopedId, splitScopedId } from './scoped-id.js'
import { toHex } from '../bytes.js'

export type KeId = string & { readonly __brand: 'KeId' }

export const RELATIVE_KE_ID_LENGTH = 16

/**
 * Parses a KeID (`32HEX@FQDN` or a B-TID) into its normalised form. Rejects, never repairs.
 * @throws M2MSEC_ID_INVALID naming what is wrong.
 */
export function parseKeId(text: string): KeId {
  return parseScopedId(text, 'KeID', ['hex', 'b-tid']).text as KeId
}

/**
 * Forms the KeID for a 16-byte RelativeKeID issued by the MEF `mefFqdn`.
 * @throws M2MSEC_ID_INVALID when RelativeKeID is not 16 bytes or the FQDN is malformed.
 */
export function formatKeId(relativeKeId: Uint8Array, mefFqdn: string): KeId {
  if (relativeKeId.length !== RELATIVE_KE_ID_LENGTH) {
    throw invalidId('KeID', `RelativeKeID must be ${RELATIVE_KE_ID_LENGTH} bytes`, relativeKeId)
  }
  return parseKeId(`${toHex(relativeKeId)}@${mefFqdn}`)
}

/** The relative part (32 upper-case hex digits, or the B-TID's base64 RAND) and the FQDN. */
export function splitKeId(keId: KeId): { readonly relative: string; readonly fqdn: Fqdn } {
  return splitScopedId(keId)
}

/** True when the KeID is a GBA B-TID rather than `32HEX@MEF-FQDN`. */
export function isGbaKeId(keId: KeId): boolean {
  return splitScopedId(keId).relative.endsWith('=')
}
