/**
 * Fully qualified domain names as they appear inside oneM2M security identifiers: the MEF, MAF,
 * issuer and BSF FQDNs of TS-0003 §10.3.4–10.6 and the M2M-SP-ID of TS-0001 §7.2.
 * Grammar (crypto.md §3): labels of 1–63 letters, digits or hyphens, joined by dots, at most
 * 253 characters. DNS names compare case-insensitively, so the parsed form is lower case (OQ-2).
 */
import { invalidId } from './id-error.js'

export type Fqdn = string & { readonly __brand: 'Fqdn' }

export const FQDN_MAX_LENGTH = 253
export const FQDN_LABEL_MAX_LENGTH = 63

// RFC 1123 §2.1 host names: a hyphen may not start or end a label. crypto.md §3 only lists the
// label characters; we add the RFC rule because no resolvable name breaks it and a leading
// hyphen is a classic option-injection vector when names reach command lines.
const LABEL_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/

/**
 * Returns why `text` is not an FQDN ("is empty", "has an empty label", …), or undefined when it
 * is one. Composite parsers prefix their own name: "KeID FQDN part has an empty label".
 */
export function fqdnProblem(text: string): string | undefined {
  if (text.length === 0) return 'is empty'
  if (text.length > FQDN_MAX_LENGTH) return `is longer than ${FQDN_MAX_LENGTH} characters`
  for (const label of text.split('.')) {
    if (label.length === 0) return 'has an empty label'
    if (label.length > FQDN_LABEL_MAX_LENGTH) return `has a label longer than ${FQDN_LABEL_MAX_LENGTH} characters`
    if (!LABEL_RE.test(label)) return 'has a label with characters other than letters, digits and inner hyphens'
  }
  return undefined
}

/**
 * Parses an FQDN and returns it in lower case. No trailing dot, no wildcard, no repair.
 * @throws M2MSEC_ID_INVALID naming what is wrong.
 */
export function parseFqdn(text: string): Fqdn {
  const problem = fqdnProblem(text)
  if (problem !== undefined) throw invalidId('FQDN', problem, text)
  return text.toLowerCase() as Fqdn
}
