/**
 * KmID, the identifier of a Master Credential Km (TS-0003 §10.6): `MAF_RELATIVE_KmID "@"
 * MAF-FQDN`. The relative part is a sec:relKeyID that the spec declares case-insensitive; in the
 * GBA RSPF a B-TID stands in its place (OQ-34). Normalised per OQ-2 (32-hex relative upper, FQDN
 * lower, other relative parts keep their case, because Credential-ID matching is case-sensitive);
 * compare two KmIDs with `sameKmId`, never with `===`.
 */
import type { Fqdn } from './fqdn.js'
import { parseScopedId, splitScopedId } from './scoped-id.js'

export type KmId = string & { readonly __brand: 'KmId' }

/**
 * Parses a KmID into its normalised form.
 * @throws M2MSEC_ID_INVALID naming what is wrong.
 */
export function parseKmId(text: string): KmId {
  return parseScopedId(text, 'KmID', ['hex', 'rel', 'b-tid']).text as KmId
}

/**
 * Forms the KmID a MAF assigns: `relative@mafFqdn`.
 * @throws M2MSEC_ID_INVALID when a part is malformed.
 */
export function formatKmId(relative: string, mafFqdn: string): KmId {
  return parseKmId(`${relative}@${mafFqdn}`)
}

/** The MAF relative part and the MAF FQDN of a parsed KmID. */
export function splitKmId(kmId: KmId): { readonly relative: string; readonly fqdn: Fqdn } {
  return splitScopedId(kmId)
}

/**
 * TS-0003 §10.6: the MAF relative part is not case-sensitive, the FQDN never is. A B-TID
 * relative part is base64 data and therefore compared exactly.
 */
export function sameKmId(a: KmId, b: KmId): boolean {
  const x = splitScopedId(a)
  const y = splitScopedId(b)
  if (x.fqdn !== y.fqdn) return false
  if (x.relative.endsWith('=') || y.relative.endsWith('=')) return x.relative === y.relative
  return x.relative.toLowerCase() === y.relative.toLowerCase()
}
