/**
 * Key Identifier of a key distributed by a MAF (TS-0003 §10.3.5, §8.8.2.7) or a MEF (§8.3.5.2.7,
 * with MEF-FQDN per OQ-21): `RelativeKeyID "@" FQDN`. When the key was exported from the TLS
 * session, RelativeKeyID = hexBinary(KcID) (32 hex digits, OQ-12); otherwise it is a fresh
 * sec:relKeyID chosen by the server. Normalised per OQ-2 (hex upper, FQDN lower, other relative
 * parts keep their case). An MEF keeps RelativeKeyIDs and RelativeKeIDs in one namespace (OQ-35),
 * so a 32-hex MEF Key Identifier has the same shape as a KeID.
 */
import type { Fqdn } from './fqdn.js'
import { invalidId } from './id-error.js'
import { parseScopedId, splitScopedId, HEX32_RE } from './scoped-id.js'
import { toHex } from '../bytes.js'

export type KeyIdentifier = string & { readonly __brand: 'KeyIdentifier' }

export const KC_ID_LENGTH = 16

/**
 * Parses a MAF or MEF Key Identifier into its normalised form.
 * @throws M2MSEC_ID_INVALID naming what is wrong.
 */
export function parseKeyIdentifier(text: string): KeyIdentifier {
  return parseScopedId(text, 'Key Identifier', ['hex', 'rel']).text as KeyIdentifier
}

/**
 * Forms a Key Identifier: from the 16-byte KcID (hexBinary, upper case) or from a relative string.
 * @throws M2MSEC_ID_INVALID when KcID is not 16 bytes or a part is malformed.
 */
export function formatKeyIdentifier(relative: Uint8Array | string, fqdn: string): KeyIdentifier {
  if (typeof relative === 'string') return parseKeyIdentifier(`${relative}@${fqdn}`)
  if (relative.length !== KC_ID_LENGTH) throw invalidId('Key Identifier', `KcID must be ${KC_ID_LENGTH} bytes`, relative)
  return parseKeyIdentifier(`${toHex(relative)}@${fqdn}`)
}

/** The RelativeKeyID and the MAF/MEF FQDN of a parsed Key Identifier. */
export function splitKeyIdentifier(keyIdentifier: KeyIdentifier): { readonly relative: string; readonly fqdn: Fqdn } {
  return splitScopedId(keyIdentifier)
}

/** True when the RelativeKeyID is hexBinary(KcID), i.e. the key came from a TLS export. */
export function isExportedKeyIdentifier(keyIdentifier: KeyIdentifier): boolean {
  return HEX32_RE.test(splitScopedId(keyIdentifier).relative)
}
