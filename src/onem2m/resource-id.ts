/**
 * The `to` parameter (TS-0004 §6.2.4, TS-0001 §7.2) and its HTTP request-target path (TS-0009
 * §6.2.2.1): CSE-relative `X` ↔ `/X`, SP-relative `/csi/X` ↔ `/~/csi/X`, absolute
 * `//fqdn/csi/X` ↔ `/_/fqdn/csi/X`. A `#attr` suffix addresses one attribute (partial
 * retrieve); the binding carries it as `atrl=attr` in the query.
 */
import { clip, malformed } from './errors.js'

export type ResourceIdForm = 'cse-relative' | 'sp-relative' | 'absolute'

export interface TargetId {
  readonly form: ResourceIdForm
  /** Segments after the form prefix; for `absolute` the first is the SP FQDN. */
  readonly segments: readonly string[]
  /** Attribute short name after `#`, if any. */
  readonly attribute?: string
}

/** True when `text` holds a C0 control character or DEL (never valid in an ID or header). */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x20 || c === 0x7f) return true
  }
  return false
}
const ATTRIBUTE_RE = /^[A-Za-z][A-Za-z0-9]{0,31}$/

/**
 * Splits and checks a `to` value.
 * @throws M2MSEC_ONEM2M_MALFORMED for an empty value, an empty segment, a control character,
 *         or a malformed `#attribute`.
 */
export function parseTo(to: string, maxLength: number): TargetId {
  if (to.length === 0) throw malformed('to is empty')
  if (to.length > maxLength) throw malformed(`to is ${to.length} characters, limit is ${maxLength}`)
  if (hasControlCharacter(to)) throw malformed('to contains a control character')
  const hash = to.indexOf('#')
  const id = hash < 0 ? to : to.slice(0, hash)
  const attribute = hash < 0 ? undefined : to.slice(hash + 1)
  if (attribute !== undefined && !ATTRIBUTE_RE.test(attribute)) throw malformed(`to names a malformed attribute '${clip(attribute)}'`)
  let form: ResourceIdForm
  let rest: string
  if (id.startsWith('//')) {
    form = 'absolute'
    rest = id.slice(2)
  } else if (id.startsWith('/')) {
    form = 'sp-relative'
    rest = id.slice(1)
  } else {
    form = 'cse-relative'
    rest = id
  }
  const segments = rest.split('/')
  if (segments.some((s) => s.length === 0)) throw malformed(`to '${clip(to)}' has an empty path segment`)
  // A CSE-relative ID cannot start with '~' or '_': its HTTP path would read as another form.
  if (form === 'cse-relative' && (segments[0] === '~' || segments[0] === '_')) throw malformed(`to '${clip(to)}' starts with a reserved segment`)
  if (form === 'absolute' && segments.length < 2) throw malformed(`absolute to '${clip(to)}' needs an SP-ID and a CSE-ID`)
  return attribute === undefined ? { form, segments } : { form, segments, attribute }
}

// RFC 3986 pchar without '%': unreserved, sub-delims, ':' and '@' stay as they are (a KeID's
// '@' is sent unencoded, mef-maf-interface.md §6).
const PCHAR_RE = /[A-Za-z0-9\-._~!$&'()*+,;=:@]/

function encodeSegment(segment: string): string {
  let out = ''
  for (const ch of segment) out += PCHAR_RE.test(ch) ? ch : encodeURIComponent(ch)
  return out
}

/** The HTTP path of a `to` value (without `#attribute`, which goes to the query). */
export function toHttpPath(target: TargetId): string {
  const encoded = target.segments.map(encodeSegment).join('/')
  switch (target.form) {
    case 'cse-relative':
      return `/${encoded}`
    case 'sp-relative':
      return `/~/${encoded}`
    case 'absolute':
      return `/_/${encoded}`
  }
}

function decodeSegment(segment: string): string {
  let decoded: string
  try {
    decoded = decodeURIComponent(segment)
  } catch (cause) {
    throw malformed(`path segment '${clip(segment)}' has a bad percent-encoding`, { cause })
  }
  if (decoded.includes('/') || decoded.includes('#')) throw malformed('path segment encodes a \'/\' or \'#\'')
  if (hasControlCharacter(decoded)) throw malformed('path contains a control character')
  return decoded
}

/**
 * The `to` value of an HTTP path (query already removed). One trailing '/' is tolerated
 * (TS-0009 Table 6.2.2.1-1 prints one in its first example).
 * @throws M2MSEC_ONEM2M_MALFORMED for a path that is not one of the three forms.
 */
export function fromHttpPath(path: string, maxLength: number): TargetId {
  if (!path.startsWith('/')) throw malformed('request path must start with \'/\'')
  if (path.length > maxLength * 3) throw malformed(`request path is ${path.length} characters`)
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
  const raw = trimmed.slice(1).split('/')
  let prefix = ''
  if (raw[0] === '~') prefix = '/'
  else if (raw[0] === '_') prefix = '//'
  const segments = (prefix === '' ? raw : raw.slice(1)).map(decodeSegment)
  const to = prefix + segments.join('/')
  if (segments.length === 0 || to.length === prefix.length) throw malformed(`request path '${clip(path)}' names no resource`)
  return parseTo(to, maxLength)
}

/** The `to` text of a parsed target, `#attribute` included. */
export function formatTo(target: TargetId): string {
  const prefix = target.form === 'absolute' ? '//' : target.form === 'sp-relative' ? '/' : ''
  const id = prefix + target.segments.join('/')
  return target.attribute === undefined ? id : `${id}#${target.attribute}`
}
