/**
 * The shape shared by KeID, MAF/MEF Key Identifier, KmID and KpsaID (TS-0003 §10.3.4, §10.3.5,
 * §10.5, §10.6): `relative "@" FQDN`. The relative part is one of
 *   - 'hex'   32 hex digits (hexBinary of a 16-byte RelativeKeID / KcID), emitted upper case;
 *   - 'b-tid' base64(RAND) of a GBA B-TID, which replaces these ids in the GBA RSPF (OQ-34);
 *   - 'rel'   `1*(ALPHA / DIGIT / "." / "_" / "-")` (sec:relKeyID), case kept.
 * Normalisation (OQ-2): a 32-hex relative part goes to upper case, the FQDN to lower case,
 * anything else keeps its case. A 32-hex-digit relative part is always read as hex, so an
 * issuer choosing 'rel' values must not pick 32 hex digits in lower case.
 */
import { bTidRandProblem } from './b-tid.js'
import { fqdnProblem } from './fqdn.js'
import type { Fqdn } from './fqdn.js'
import { invalidId } from './id-error.js'

export type RelativeKind = 'hex' | 'b-tid' | 'rel'

export interface ScopedId {
  /** The whole identifier in normalised form. */
  readonly text: string
  readonly relative: string
  readonly fqdn: Fqdn
  readonly kind: RelativeKind
}

export const HEX32_RE = /^[0-9A-Fa-f]{32}$/
export const REL_RE = /^[A-Za-z0-9._-]+$/
const BASE64_ONLY_RE = /[+/=]/

function classify(relative: string, what: string, allowed: readonly RelativeKind[], text: string): RelativeKind {
  if (relative.length === 0) throw invalidId(what, 'relative part is empty', text)
  if (BASE64_ONLY_RE.test(relative)) {
    if (!allowed.includes('b-tid')) throw invalidId(what, relativeCharsProblem(allowed), text)
    const problem = bTidRandProblem(relative)
    if (problem !== undefined) throw invalidId(`${what} (B-TID)`, problem, text)
    return 'b-tid'
  }
  if (HEX32_RE.test(relative) && allowed.includes('hex')) return 'hex'
  if (REL_RE.test(relative) && allowed.includes('rel')) return 'rel'
  throw invalidId(what, relativeCharsProblem(allowed), text)
}

function relativeCharsProblem(allowed: readonly RelativeKind[]): string {
  if (!allowed.includes('rel')) {
    return allowed.includes('b-tid') ? 'relative part is neither 32 hex digits nor a B-TID RAND' : 'relative part is not 32 hex digits'
  }
  return 'relative part has characters other than letters, digits, ".", "_" and "-"'
}

/**
 * Splits and normalises `relative@fqdn`.
 * @throws M2MSEC_ID_INVALID naming `what` and the defect.
 */
export function parseScopedId(text: string, what: string, allowed: readonly RelativeKind[]): ScopedId {
  const at = text.indexOf('@')
  if (text.length === 0) throw invalidId(what, 'is empty', text)
  if (at < 0) throw invalidId(what, 'has no "@"', text)
  if (text.indexOf('@', at + 1) >= 0) throw invalidId(what, 'has more than one "@"', text)
  const rawRelative = text.slice(0, at)
  const rawFqdn = text.slice(at + 1)
  const kind = classify(rawRelative, what, allowed, text)
  const problem = fqdnProblem(rawFqdn)
  if (problem !== undefined) throw invalidId(`${what} FQDN part`, problem, text)
  const relative = kind === 'hex' ? rawRelative.toUpperCase() : rawRelative
  const fqdn = rawFqdn.toLowerCase() as Fqdn
  return { text: `${relative}@${fqdn}`, relative, fqdn, kind }
}

/** Splits an already-normalised identifier (no checks: callers pass branded values only). */
export function splitScopedId(text: string): { readonly relative: string; readonly fqdn: Fqdn } {
  const at = text.lastIndexOf('@')
  return { relative: text.slice(0, at), fqdn: text.slice(at + 1) as Fqdn }
}
