/**
 * KpsaID, the identifier of a Provisioned Secure Connection Key (TS-0003 §10.5):
 * `Issuer_Relative_KpsaID "@" Issuer-FQDN`, relative part a sec:relKeyID unique per issuer. A
 * remotely provisioned PSK is named by a KeID or an MEF Key Identifier (32 hex digits,
 * frameworks.md §5, §10.5) and in the GBA RSPF by a B-TID (OQ-34), so those shapes parse too.
 * Normalised per OQ-2.
 */
import type { Fqdn } from './fqdn.js'
import { parseScopedId, splitScopedId } from './scoped-id.js'

export type KpsaId = string & { readonly __brand: 'KpsaId' }

/**
 * Parses a KpsaID into its normalised form.
 * @throws M2MSEC_ID_INVALID naming what is wrong.
 */
export function parseKpsaId(text: string): KpsaId {
  return parseScopedId(text, 'KpsaID', ['hex', 'rel', 'b-tid']).text as KpsaId
}

/**
 * Forms a KpsaID `relative@issuerFqdn`.
 * @throws M2MSEC_ID_INVALID when a part is malformed.
 */
export function formatKpsaId(relative: string, issuerFqdn: string): KpsaId {
  return parseKpsaId(`${relative}@${issuerFqdn}`)
}

/** The issuer-relative part and the issuer FQDN of a parsed KpsaID. */
export function splitKpsaId(kpsaId: KpsaId): { readonly relative: string; readonly fqdn: Fqdn } {
  return splitScopedId(kpsaId)
}
