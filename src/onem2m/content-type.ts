/**
 * Content-Type and Accept for the JSON serialization (TS-0009 §6.4.2–§6.4.3, TS-0004 §6.7):
 * `application/json` or the oneM2M `vnd.onem2m-res+json` / `vnd.onem2m-ntfy+json` types, an
 * optional `ty=<n>` (CREATE) and `charset`, parsed tolerantly (spacing, order, case, quotes).
 */
import { clip, malformed, OneM2mError } from './errors.js'

export const MEDIA_TYPE = {
  json: 'application/json',
  resourceJson: 'application/vnd.onem2m-res+json',
  notificationJson: 'application/vnd.onem2m-ntfy+json',
} as const

const JSON_MEDIA_TYPES: ReadonlySet<string> = new Set(Object.values(MEDIA_TYPE))

export interface ContentType {
  readonly mediaType: string
  readonly ty?: number
}

function unsupported(message: string): OneM2mError {
  return new OneM2mError('M2MSEC_ONEM2M_UNSUPPORTED_MEDIA_TYPE', 'bad-input', message)
}

function parameters(parts: readonly string[]): Map<string, string> {
  const params = new Map<string, string>()
  for (const part of parts) {
    const eq = part.indexOf('=')
    if (eq <= 0) throw malformed(`Content-Type parameter '${clip(part.trim())}' has no value`)
    const name = part.slice(0, eq).trim().toLowerCase()
    const value = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1')
    if (params.has(name)) throw malformed(`Content-Type repeats parameter '${clip(name)}'`)
    params.set(name, value)
  }
  return params
}

/**
 * Parses a request or response Content-Type.
 * @throws M2MSEC_ONEM2M_UNSUPPORTED_MEDIA_TYPE (4015) for a non-JSON type or charset;
 *         M2MSEC_ONEM2M_MALFORMED (4000) for a malformed header or a `ty` that is not an integer.
 */
export function parseContentType(header: string): ContentType {
  const [head = '', ...rest] = header.split(';')
  const mediaType = head.trim().toLowerCase()
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(mediaType)) throw malformed(`Content-Type '${clip(header)}' is malformed`)
  if (!JSON_MEDIA_TYPES.has(mediaType)) throw unsupported(`media type '${clip(mediaType)}' is not supported (JSON only)`)
  const params = parameters(rest)
  const charset = params.get('charset')
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') throw unsupported(`charset '${clip(charset)}' is not supported (UTF-8 only)`)
  const ty = params.get('ty')
  if (ty === undefined) return { mediaType }
  if (!/^\d{1,9}$/.test(ty)) throw malformed(`ty '${clip(ty)}' in Content-Type is not a resource type number`)
  return { mediaType, ty: Number(ty) }
}

/** `application/json;ty=N` (ACME's form) or plain `application/json`. */
export function formatContentType(ty?: number, mediaType: string = MEDIA_TYPE.json): string {
  return ty === undefined ? mediaType : `${mediaType};ty=${ty}`
}

/**
 * The media type to answer with, given the request's Accept header.
 * @throws M2MSEC_ONEM2M_NOT_ACCEPTABLE (5207) when the peer accepts no JSON type.
 */
export function negotiateResponseMediaType(accept: string | undefined): string {
  if (accept === undefined || accept.trim() === '') return MEDIA_TYPE.json
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((s) => s.trim().toLowerCase())
    const q = params.find((p) => p.startsWith('q='))
    if (q !== undefined && Number(q.slice(2)) === 0) continue
    if (type === '*/*' || type === 'application/*' || type === MEDIA_TYPE.json) return MEDIA_TYPE.json
    if (JSON_MEDIA_TYPES.has(type)) return type
  }
  throw new OneM2mError('M2MSEC_ONEM2M_NOT_ACCEPTABLE', 'bad-input', `no acceptable response media type in Accept '${clip(accept)}'`)
}
