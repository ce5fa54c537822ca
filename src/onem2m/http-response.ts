/**
 * Response primitive ⇄ HTTP response (TS-0009 §6.3–§6.5): `rsc` travels exactly in X-M2M-RSC
 * and approximately as the HTTP status (Table 6.3.2-1); the body is the Content, or the Token
 * Request Information of a 4103 response (§6.5); Content-Location names a created resource.
 * The response `to` has no HTTP carrier and does not survive the binding.
 */
import { formatContentType, MEDIA_TYPE, parseContentType } from './content-type.js'
import { malformed, OneM2mError } from './errors.js'
import { HEADER, readHeaders } from './http-message.js'
import type { HeaderReader, HttpResponseMessage } from './http-message.js'
import { isJsonObject, parseJsonBody, serializeJson } from './json.js'
import type { JsonValue } from './json.js'
import { DEFAULT_LIMITS } from './limits.js'
import type { OneM2mLimits } from './limits.js'
import { checkResponsePrimitive } from './primitive.js'
import type { LocalTokenIdAssignment, ResponsePrimitive } from './primitive.js'
import { formatTo, fromHttpPath, parseTo, toHttpPath } from './resource-id.js'
import { httpStatusForRsc, RSC } from './response-status.js'

export interface EncodeResponseOptions {
  /** Resource ID (`to` form) of a created resource, sent as Content-Location on 2001. */
  readonly createdResourceId?: string
  /** Media type chosen from the request's Accept (default application/json). */
  readonly mediaType?: string
  readonly limits?: OneM2mLimits
}

function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}

/** TS-0009 §6.4.18: `lti:tkid` pairs joined by '+'. */
function formatAssignments(ati: readonly LocalTokenIdAssignment[] | undefined): string | undefined {
  if (ati === undefined || ati.length === 0) return undefined
  if (ati.some((a) => a.lti.includes(':') || a.lti.includes('+') || a.tkid.includes('+'))) {
    throw new OneM2mError('M2MSEC_ONEM2M_MALFORMED', 'internal', 'an assigned token identifier cannot travel in X-M2M-ATI')
  }
  return ati.map((a) => `${a.lti}:${a.tkid}`).join('+')
}

function parseAssignments(header: string | undefined): readonly LocalTokenIdAssignment[] | undefined {
  if (header === undefined) return undefined
  return header.split('+').map((pair) => {
    const colon = pair.indexOf(':')
    if (colon <= 0) throw malformed('X-M2M-ATI pair is not lti:tkid')
    return { lti: pair.slice(0, colon).trim(), tkid: pair.slice(colon + 1).trim() }
  })
}

/** The created resource's ID when the Content names it (`m2m:uri`, TS-0009 §6.4.4). */
function createdIdOf(p: ResponsePrimitive): string | undefined {
  if (p.rsc !== RSC.CREATED || !isJsonObject(p.pc)) return undefined
  const uri = p.pc['m2m:uri']
  return typeof uri === 'string' ? uri : undefined
}

/**
 * Encodes a response primitive as an HTTP response.
 * @throws OneM2mError (internal) when the primitive carries both Content and tqf, or a value
 *         that its header cannot carry.
 */
export function encodeHttpResponse(p: ResponsePrimitive, options: EncodeResponseOptions = {}): HttpResponseMessage {
  const limits = options.limits ?? DEFAULT_LIMITS
  checkResponsePrimitive(p, { limits })
  if (p.pc !== undefined && p.tqf !== undefined) throw new OneM2mError('M2MSEC_ONEM2M_MALFORMED', 'internal', 'Content and tqf cannot share one HTTP body')
  const payload = p.pc ?? p.tqf
  const body = payload === undefined ? new Uint8Array(0) : serializeJson(payload)
  const created = options.createdResourceId ?? createdIdOf(p)
  const headers = compact<Record<string, string | undefined>>({
    [HEADER.statusCode]: String(p.rsc),
    [HEADER.requestId]: p.rqi,
    [HEADER.releaseVersion]: p.rvi,
    [HEADER.origin]: p.fr,
    [HEADER.originatingTimestamp]: p.ot,
    [HEADER.resultExpiration]: p.rset,
    [HEADER.eventCategory]: p.ec === undefined ? undefined : String(p.ec),
    [HEADER.contentStatus]: p.cnst === undefined ? undefined : String(p.cnst),
    [HEADER.contentOffset]: p.cnot === undefined ? undefined : String(p.cnot),
    [HEADER.assignedTokenIds]: formatAssignments(p.ati),
    [HEADER.vendorInformation]: p.vsi,
    [HEADER.contentLocation]: created === undefined ? undefined : toHttpPath(parseTo(created, limits.maxToLength)),
    [HEADER.contentType]: payload === undefined ? undefined : formatContentType(undefined, options.mediaType ?? MEDIA_TYPE.json),
    'content-length': payload === undefined ? undefined : String(body.length),
  }) as Record<string, string>
  return { status: httpStatusForRsc(p.rsc), headers, body }
}

export interface DecodedHttpResponse {
  readonly primitive: ResponsePrimitive
  /** Resource ID (`to` form) from Content-Location. */
  readonly createdResourceId?: string
}

function integerHeader(headers: HeaderReader, name: string): number | undefined {
  const value = headers.get(name)
  if (value === undefined) return undefined
  if (!/^\d{1,9}$/.test(value)) throw malformed(`header ${name} must be a non-negative integer`)
  return Number(value)
}

function payloadOf(message: HttpResponseMessage, headers: HeaderReader, limits: OneM2mLimits): JsonValue | undefined {
  if (message.body.length === 0) return undefined
  const contentType = headers.get(HEADER.contentType)
  if (contentType === undefined) throw new OneM2mError('M2MSEC_ONEM2M_UNSUPPORTED_MEDIA_TYPE', 'bad-input', 'a body without Content-Type cannot be read')
  parseContentType(contentType)
  return parseJsonBody(message.body, limits)
}

/**
 * Decodes an HTTP response (client side). X-M2M-RSC is required: the HTTP status alone cannot
 * tell the oneM2M code (several share one status), so we refuse to guess.
 * @throws OneM2mError 4000 naming what is missing or malformed; 4015 for a non-JSON body.
 */
export function decodeHttpResponse(message: HttpResponseMessage, options: { readonly limits?: OneM2mLimits } = {}): DecodedHttpResponse {
  const limits = options.limits ?? DEFAULT_LIMITS
  const headers = readHeaders(message.headers, limits)
  const rscText = headers.get(HEADER.statusCode)
  if (rscText === undefined || !/^\d{4}$/.test(rscText)) throw malformed('header X-M2M-RSC is missing or not a 4-digit code')
  const rsc = Number(rscText)
  const rqi = headers.get(HEADER.requestId)
  if (rqi === undefined) throw malformed('header X-M2M-RI is missing')
  const payload = payloadOf(message, headers, limits)
  // TS-0009 §6.5: a 4103 body that is an m2m:dynAuthTokenReqInfo (member `dasi`) is tqf.
  const isTqf = rsc === RSC.ORIGINATOR_HAS_NO_PRIVILEGE && isJsonObject(payload) && Object.hasOwn(payload, 'dasi')
  const primitive = compact<ResponsePrimitive>({
    rsc, rqi, pc: isTqf ? undefined : payload, fr: headers.get(HEADER.origin), ot: headers.get(HEADER.originatingTimestamp),
    rset: headers.get(HEADER.resultExpiration), ec: integerHeader(headers, HEADER.eventCategory),
    cnst: integerHeader(headers, HEADER.contentStatus), cnot: integerHeader(headers, HEADER.contentOffset),
    ati: parseAssignments(headers.get(HEADER.assignedTokenIds)), tqf: isTqf ? payload : undefined,
    rvi: headers.get(HEADER.releaseVersion), vsi: headers.get(HEADER.vendorInformation),
  })
  checkResponsePrimitive(primitive, { limits })
  const location = headers.get(HEADER.contentLocation)
  if (location === undefined) return { primitive }
  // Some CSEs send an absolute URL; its path is what names the resource.
  const path = location.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '')
  return { primitive, createdResourceId: formatTo(fromHttpPath(path, limits.maxToLength)) }
}
