/**
 * oneM2M entity identifiers used for security bindings (TS-0001 §7.2 Table 7.2-1, ABNF in TS-0004
 * §6.2.3; wire.md §2.1): M2M-SP-ID `//fqdn`, CSE-ID and AE-ID in their CSE-relative (AE-ID-Stem /
 * bare CSE identifier), SP-relative and absolute forms, conversions between them, and the default
 * CSE public domain name of TS-0001 §6.5.1.1 (crypto.md §4, OQ-4).
 *
 * Choices: segments follow the TS-0004 ABNF (`(ALPHA / DIGIT) *(ALPHA / DIGIT / "-" / "." / "_")`)
 * rather than the looser RFC 3986 unreserved set wire.md lets the CSE accept: these ids are bound
 * to credentials, and the strict form has no `~` and no "." / ".." segments. M2M IDs are
 * case-sensitive and their FQDN "shall always use lowercase" (TS-0004 §6.2.3), so an upper-case
 * SP FQDN is rejected, not lower-cased: comparison of AE-IDs is byte-exact (frameworks.md §3.5).
 */
import { fqdnProblem } from './fqdn.js'
import type { Fqdn } from './fqdn.js'
import { invalidId } from './id-error.js'

export type SpId = string & { readonly __brand: 'SpId' }
export type CseId = string & { readonly __brand: 'CseId' }
export type AeId = string & { readonly __brand: 'AeId' }
export type M2mIdForm = 'cse-relative' | 'sp-relative' | 'absolute'

export interface ParsedCseId {
  readonly form: M2mIdForm
  /** The identifier as parsed (already canonical: nothing is rewritten). */
  readonly id: CseId
  /** The CSE identifier without slash or SP part, e.g. `CSE-B01`. */
  readonly cseId: string
  /** `/` + cseId. */
  readonly spRelative: CseId
  /** Absolute form only. */
  readonly spId?: SpId
  readonly fqdn?: Fqdn
}

export interface ParsedAeId {
  readonly form: M2mIdForm
  readonly id: AeId
  /** AE-ID-Stem, e.g. `Cae01` or `S8832`. */
  readonly stem: string
  /** 'C': assigned by the Registrar CSE; 'S': assigned by the M2M SP (TS-0001 Table 7.2-1). */
  readonly stemType: 'C' | 'S'
  /** SP-relative CSE-ID of the Registrar, for C-type ids in SP-relative or absolute form. */
  readonly registrarCseId?: CseId
  readonly spId?: SpId
  readonly fqdn?: Fqdn
}

const SEGMENT_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const STEM_RE = /^[CS][A-Za-z0-9][A-Za-z0-9._-]*$/
const DNS_LABEL_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

function splitSp(text: string, what: string): { spId?: SpId; fqdn?: Fqdn; rest: string } {
  if (!text.startsWith('//')) return { rest: text }
  const slash = text.indexOf('/', 2)
  const fqdn = slash < 0 ? text.slice(2) : text.slice(2, slash)
  const problem = fqdnProblem(fqdn)
  if (problem !== undefined) throw invalidId(`${what} SP FQDN`, problem, text)
  if (fqdn !== fqdn.toLowerCase()) throw invalidId(`${what} SP FQDN`, 'is not lower case', text)
  if (slash < 0) throw invalidId(what, 'has an M2M-SP-ID but no path', text)
  return { spId: `//${fqdn}` as SpId, fqdn: fqdn as Fqdn, rest: text.slice(slash) }
}

/**
 * Parses an M2M-SP-ID `//fqdn` (lower-case FQDN).
 * @throws M2MSEC_ID_INVALID naming what is wrong.
 */
export function parseSpId(text: string): SpId {
  if (!text.startsWith('//')) throw invalidId('M2M-SP-ID', 'does not start with "//"', text)
  const parsed = splitSp(`${text}/x`, 'M2M-SP-ID')
  if (parsed.rest !== '/x') throw invalidId('M2M-SP-ID', 'has a path after the FQDN', text)
  return parsed.spId as SpId
}

/**
 * Parses a CSE-ID: bare `CSE-B01` (cse-relative), `/CSE-B01` (sp-relative) or
 * `//m2m.example.com/CSE-B01` (absolute).
 * @throws M2MSEC_ID_INVALID naming what is wrong.
 */
export function parseCseId(text: string): ParsedCseId {
  if (text.length === 0) throw invalidId('CSE-ID', 'is empty', text)
  const { spId, fqdn, rest } = splitSp(text, 'CSE-ID')
  const relative = rest.startsWith('/')
  const segment = relative ? rest.slice(1) : rest
  if (segment.includes('/')) throw invalidId('CSE-ID', 'has more than one path segment', text)
  if (!SEGMENT_RE.test(segment)) throw invalidId('CSE-ID', 'is not a letter or digit followed by letters, digits, "-", "." or "_"', text)
  const form: M2mIdForm = spId !== undefined ? 'absolute' : relative ? 'sp-relative' : 'cse-relative'
  const base = { form, id: text as CseId, cseId: segment, spRelative: `/${segment}` as CseId }
  return spId === undefined ? base : { ...base, spId, fqdn }
}

function stemType(stem: string, text: string): 'C' | 'S' {
  if (!STEM_RE.test(stem)) {
    if (stem.length === 0) throw invalidId('AE-ID', 'has an empty AE-ID-Stem', text)
    if (stem[0] !== 'C' && stem[0] !== 'S') throw invalidId('AE-ID', 'AE-ID-Stem does not start with "C" or "S"', text)
    throw invalidId('AE-ID', 'AE-ID-Stem is not "C" or "S" followed by a letter or digit and letters, digits, "-", "." or "_"', text)
  }
  return stem[0] === 'C' ? 'C' : 'S'
}

/**
 * Parses an AE-ID: AE-ID-Stem `Cae01` / `S8832` (cse-relative), `/mn-cse1/Cae01` or `/S8832`
 * (sp-relative), `//sp.example.com/mn-cse1/Cae01` or `//sp.example.com/S8832` (absolute).
 * @throws M2MSEC_ID_INVALID naming what is wrong.
 */
export function parseAeId(text: string): ParsedAeId {
  if (text.length === 0) throw invalidId('AE-ID', 'is empty', text)
  const { spId, fqdn, rest } = splitSp(text, 'AE-ID')
  const sp = spId === undefined ? {} : { spId, fqdn }
  if (!rest.startsWith('/')) {
    return { form: 'cse-relative', id: text as AeId, stem: rest, stemType: stemType(rest, text) }
  }
  const form: M2mIdForm = spId === undefined ? 'sp-relative' : 'absolute'
  const segments = rest.slice(1).split('/')
  if (segments.length === 1) {
    const stem = segments[0] ?? ''
    if (stemType(stem, text) === 'C') throw invalidId('AE-ID', 'has a C-type AE-ID-Stem without its Registrar CSE-ID', text)
    return { form, id: text as AeId, stem, stemType: 'S', ...sp }
  }
  if (segments.length > 2) throw invalidId('AE-ID', 'has more than two path segments', text)
  const [cse = '', stem = ''] = segments
  if (!SEGMENT_RE.test(cse)) throw invalidId('AE-ID', 'has a malformed Registrar CSE-ID', text)
  if (stemType(stem, text) === 'S') throw invalidId('AE-ID', 'has an S-type AE-ID-Stem under a CSE-ID', text)
  return { form, id: text as AeId, stem, stemType: 'C', registrarCseId: `/${cse}` as CseId, ...sp }
}

/** SP-relative CSE-ID of `registrar`, checked to belong to `spId` when it is absolute. */
function registrarSpRelative(registrar: string | undefined, spId: SpId | undefined, aeId: string): CseId {
  if (registrar === undefined) throw invalidId('AE-ID', 'is a C-type AE-ID-Stem and no Registrar CSE-ID was given', aeId)
  const parsed = parseCseId(registrar)
  if (parsed.spId !== undefined && spId !== undefined && parsed.spId !== spId) {
    throw invalidId('Registrar CSE-ID', 'belongs to another M2M-SP-ID', registrar)
  }
  return parsed.spRelative
}

/**
 * Absolute form of a CSE-ID; relative forms are placed under `spId` (an absolute one is kept).
 * @throws M2MSEC_ID_INVALID when an input is malformed.
 */
export function toAbsoluteCseId(cseId: string, spId: string): CseId {
  const parsed = parseCseId(cseId)
  return parsed.form === 'absolute' ? parsed.id : (`${parseSpId(spId)}${parsed.spRelative}` as CseId)
}

/**
 * SP-relative form of a CSE-ID. An absolute one must belong to `ownSpId`: an identifier of
 * another SP has no SP-relative form in this domain.
 * @throws M2MSEC_ID_INVALID when malformed or of another SP.
 */
export function toSpRelativeCseId(cseId: string, ownSpId?: string): CseId {
  const parsed = parseCseId(cseId)
  if (parsed.spId !== undefined && (ownSpId === undefined || parseSpId(ownSpId) !== parsed.spId)) {
    throw invalidId('CSE-ID', 'belongs to another M2M-SP-ID (or none was given)', cseId)
  }
  return parsed.spRelative
}

/**
 * SP-relative form of an AE-ID: `C…` → `<registrar>/C…`, `S…` → `/S…`, absolute → drop `//<own SP>`
 * (wire.md §6 comparison rule).
 * @throws M2MSEC_ID_INVALID when malformed, of another SP, or a C-stem without `registrarCseId`.
 */
export function toSpRelativeAeId(aeId: string, context: { readonly spId?: string; readonly registrarCseId?: string } = {}): AeId {
  const parsed = parseAeId(aeId)
  const ownSpId = context.spId === undefined ? undefined : parseSpId(context.spId)
  if (parsed.form === 'sp-relative') return parsed.id
  if (parsed.form === 'absolute') {
    if (ownSpId === undefined || parsed.spId !== ownSpId) {
      throw invalidId('AE-ID', 'belongs to another M2M-SP-ID (or none was given)', aeId)
    }
    return aeId.slice(ownSpId.length) as AeId
  }
  if (parsed.stemType === 'S') return `/${parsed.stem}` as AeId
  return `${registrarSpRelative(context.registrarCseId, ownSpId, aeId)}/${parsed.stem}` as AeId
}

/**
 * Absolute form of an AE-ID (`//<sp fqdn>` + SP-relative form); an absolute one is kept.
 * @throws M2MSEC_ID_INVALID when malformed or a C-stem comes without `registrarCseId`.
 */
export function toAbsoluteAeId(aeId: string, context: { readonly spId: string; readonly registrarCseId?: string }): AeId {
  const parsed = parseAeId(aeId)
  if (parsed.form === 'absolute') return parsed.id
  const spId = parseSpId(context.spId)
  return `${spId}${toSpRelativeAeId(aeId, { spId, ...optional(context.registrarCseId) })}` as AeId
}

function optional(registrarCseId: string | undefined): { registrarCseId?: string } {
  return registrarCseId === undefined ? {} : { registrarCseId }
}

/**
 * Default public domain name of a CSE (TS-0001 §6.5.1.1), written in lower case (crypto.md §4,
 * OQ-4): `<CSE identifier>.<parentDomain>`, where parentDomain is the SP domain for an IN-CSE
 * and the IN-CSE's public domain name for an MN/ASN-CSE. Without `parentDomain` the CSE-ID must
 * be absolute and is treated as the IN-CSE of its SP: `//m2m.example.com/CSE-B01` →
 * `cse-b01.m2m.example.com`. TS-0001 lets a deployment choose any other DNS name; this is only
 * the default, and a CSE identifier that is not a DNS label has none.
 * @throws M2MSEC_ID_INVALID when the CSE identifier is not a DNS label or the result is no FQDN.
 */
export function cseIdPublicDomainName(cseId: string, parentDomain?: string): Fqdn {
  const parsed = parseCseId(cseId)
  const parent = parentDomain ?? parsed.fqdn
  if (parent === undefined) throw invalidId('CSE-ID', 'is not absolute and no parent domain was given', cseId)
  const label = parsed.cseId.toLowerCase()
  if (!DNS_LABEL_RE.test(label)) throw invalidId('CSE-ID', 'is not a DNS label, so it has no default public domain name', cseId)
  const name = `${label}.${parent.toLowerCase()}`
  const problem = fqdnProblem(name)
  if (problem !== undefined) throw invalidId('CSE public domain name', problem, name)
  return name as Fqdn
}
