/**
 * HTTP request ⇄ request primitive (TS-0009 §6.2, §6.4, §6.5): method and `ty` of Content-Type
 * give `op`, the path gives `to`, X-M2M-* headers and the query carry the other parameters, the
 * body is the Content. Works on plain messages (http-message.ts); no I/O.
 */
import { negotiateResponseMediaType, formatContentType, MEDIA_TYPE, parseContentType } from './content-type.js'
import type { ContentType } from './content-type.js'
import { clip, malformed, OneM2mError } from './errors.js'
import { formatQuery, parseQuery } from './http-query.js'
import type { QueryParameters } from './http-query.js'
import { HEADER, readHeaders } from './http-message.js'
import type { HeaderReader, HttpRequestMessage } from './http-message.js'
import { isJsonObject, parseJsonBody, serializeJson } from './json.js'
import type { JsonValue } from './json.js'
import { DEFAULT_LIMITS } from './limits.js'
import type { OneM2mLimits } from './limits.js'
import { HTTP_METHOD_BY_OPERATION, OPERATION } from './operation.js'
import type { Operation } from './operation.js'
import { checkRequestPrimitive } from './primitive.js'
import type { RequestPrimitive } from './primitive.js'
import { formatTo, fromHttpPath, parseTo, toHttpPath } from './resource-id.js'

export interface HttpBindingOptions {
  readonly limits?: OneM2mLimits
  /** Accepted `rvi` values (default SUPPORTED_RELEASE_VERSIONS). */
  readonly releaseVersions?: readonly string[]
  /** Path prefix the server is mounted under (ACME `[http] root`), removed before decoding. */
  readonly rootPath?: string
}

export interface DecodedHttpRequest {
  readonly primitive: RequestPrimitive
  /** Media type for the response, from Accept (TS-0009 §6.4.2). */
  readonly responseMediaType: string
  /** The Host header: MEF/MAF compare it with their own FQDN (mef-maf-interface.md §2.3). */
  readonly host?: string
}

const ATTRIBUTE_LIST_ROOT = 'm2m:atrl'

function operationOf(method: string, contentType: ContentType | undefined): Operation {
  switch (method.toUpperCase()) {
    case 'GET':
      return OPERATION.RETRIEVE
    case 'PUT':
      return OPERATION.UPDATE
    case 'DELETE':
      return OPERATION.DELETE
    case 'POST':
      // TS-0009 §6.2.1: POST with `ty` in Content-Type is CREATE, without it NOTIFY.
      return contentType?.ty === undefined ? OPERATION.NOTIFY : OPERATION.CREATE
    default:
      throw malformed(`HTTP method '${clip(method, 16)}' maps to no oneM2M operation`)
  }
}

function stripRoot(path: string, rootPath: string | undefined): string {
  if (rootPath === undefined || rootPath === '' || rootPath === '/') return path
  const root = rootPath.endsWith('/') ? rootPath.slice(0, -1) : rootPath
  if (path !== root && !path.startsWith(`${root}/`)) throw malformed(`request path is outside the root '${clip(root)}'`)
  return path.slice(root.length) || '/'
}

function integerHeader(headers: HeaderReader, name: string): number | undefined {
  const value = headers.get(name)
  if (value === undefined) return undefined
  if (!/^\d{1,9}$/.test(value)) throw malformed(`header ${name} must be a non-negative integer`)
  return Number(value)
}

/** TS-0009 §6.4.19: tokens joined by '+'. HTTP Basic/Bearer credentials are not oneM2M tokens. */
function tokensOf(authorization: string | undefined): readonly string[] | undefined {
  if (authorization === undefined || /^(basic|bearer|digest)\s/i.test(authorization)) return undefined
  const tokens = authorization.split('+').map((t) => t.trim())
  if (tokens.some((t) => t.length === 0)) throw malformed('Authorization holds an empty token')
  return tokens
}

function contentOf(message: HttpRequestMessage, op: Operation, limits: OneM2mLimits): JsonValue | undefined {
  if (message.body.length === 0) return undefined
  if (op === OPERATION.RETRIEVE || op === OPERATION.DELETE) {
    throw malformed(`a ${op === OPERATION.RETRIEVE ? 'RETRIEVE' : 'DELETE'} request carries no body`)
  }
  return parseJsonBody(message.body, limits)
}

function applyAttributeList(to: string, op: Operation, query: QueryParameters, pc: JsonValue | undefined): { to: string; pc: JsonValue | undefined } {
  const list = query.atrl
  if (list === undefined) return { to, pc }
  if (op !== OPERATION.RETRIEVE) throw malformed('atrl is allowed only in a RETRIEVE request')
  if (to.includes('#')) throw malformed('atrl and a #attribute in the path exclude each other')
  // TS-0009 §6.2.2.2: one name may go back into `to` after '#', several form an attributeList.
  if (list.length === 1) return { to: `${to}#${list[0] as string}`, pc }
  return { to, pc: { [ATTRIBUTE_LIST_ROOT]: list } }
}

function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}

/**
 * Decodes and checks an HTTP request.
 * @throws OneM2mError: 4000 (malformed or over a limit, with the reason), 4001 (rvi),
 *         4015 (media type), 5207 (Accept).
 */
export function decodeHttpRequest(message: HttpRequestMessage, options: HttpBindingOptions = {}): DecodedHttpRequest {
  const limits = options.limits ?? DEFAULT_LIMITS
  if (message.path.length > limits.maxTargetLength) throw malformed(`request target is ${message.path.length} characters, limit is ${limits.maxTargetLength}`)
  const headers = readHeaders(message.headers, limits)
  const contentTypeHeader = headers.get(HEADER.contentType)
  const contentType = contentTypeHeader === undefined ? undefined : parseContentType(contentTypeHeader)
  if (message.body.length > 0 && contentType === undefined) {
    throw new OneM2mError('M2MSEC_ONEM2M_UNSUPPORTED_MEDIA_TYPE', 'bad-input', 'a body without Content-Type cannot be read')
  }
  const op = operationOf(message.method, contentType)
  if (contentType?.ty !== undefined && op !== OPERATION.CREATE) throw malformed('ty in Content-Type is allowed only on POST (CREATE)')
  const q = message.path.indexOf('?')
  const path = stripRoot(q < 0 ? message.path : message.path.slice(0, q), options.rootPath)
  const query = parseQuery(q < 0 ? '' : message.path.slice(q + 1), limits)
  const { to, pc } = applyAttributeList(formatTo(fromHttpPath(path, limits.maxToLength)), op, query, contentOf(message, op, limits))
  const rqi = headers.get(HEADER.requestId)
  if (rqi === undefined) throw malformed('header X-M2M-RI is missing')
  const nu = headers.get(HEADER.notificationUris)?.split('&')
  if (nu !== undefined && query.rt === undefined) throw malformed('X-M2M-RTU needs the rt query field')
  const primitive = compact<RequestPrimitive>({
    op, to, fr: headers.get(HEADER.origin), rqi, rvi: headers.get(HEADER.releaseVersion), ty: contentType?.ty, pc,
    rids: query.rids, ot: headers.get(HEADER.originatingTimestamp), rqet: headers.get(HEADER.requestExpiration),
    rset: headers.get(HEADER.resultExpiration), oet: headers.get(HEADER.operationExecutionTime),
    rt: query.rt === undefined ? undefined : compact({ rtv: query.rt, nu }), rp: query.rp, rcn: query.rcn,
    ec: integerHeader(headers, HEADER.eventCategory), da: query.da, gid: headers.get(HEADER.groupRequestId),
    fc: query.fc, drt: query.drt, tkns: tokensOf(headers.get(HEADER.authorization)), tids: query.tids,
    ltids: query.ltids, tqi: query.tqi, vsi: headers.get(HEADER.vendorInformation),
  })
  checkRequestPrimitive(primitive, { limits, ...(options.releaseVersions === undefined ? {} : { releaseVersions: options.releaseVersions }) })
  const host = headers.get(HEADER.host)
  const responseMediaType = negotiateResponseMediaType(headers.get(HEADER.accept))
  return host === undefined ? { primitive, responseMediaType } : { primitive, responseMediaType, host }
}

export interface EncodeRequestOptions {
  readonly host?: string
  readonly limits?: OneM2mLimits
}

function attributeListOf(pc: JsonValue | undefined): readonly string[] | undefined {
  if (!isJsonObject(pc) || Object.keys(pc).length !== 1) return undefined
  const list = pc[ATTRIBUTE_LIST_ROOT]
  return Array.isArray(list) && list.every((a: JsonValue) => typeof a === 'string') ? (list as readonly string[]) : undefined
}

function requestHeaders(p: RequestPrimitive, hasBody: boolean, bodyLength: number, host: string | undefined): Record<string, string> {
  const h: Record<string, string | undefined> = {
    [HEADER.host]: host,
    [HEADER.origin]: p.fr,
    [HEADER.requestId]: p.rqi,
    [HEADER.releaseVersion]: p.rvi,
    [HEADER.originatingTimestamp]: p.ot,
    [HEADER.requestExpiration]: p.rqet,
    [HEADER.resultExpiration]: p.rset,
    [HEADER.operationExecutionTime]: p.oet,
    [HEADER.eventCategory]: p.ec === undefined ? undefined : String(p.ec),
    [HEADER.groupRequestId]: p.gid,
    [HEADER.vendorInformation]: p.vsi,
    [HEADER.notificationUris]: p.rt?.nu === undefined || p.rt.nu.length === 0 ? undefined : p.rt.nu.join('&'),
    [HEADER.authorization]: p.tkns === undefined || p.tkns.length === 0 ? undefined : p.tkns.join('+'),
    [HEADER.accept]: MEDIA_TYPE.json,
    [HEADER.contentType]: hasBody ? formatContentType(p.op === OPERATION.CREATE ? p.ty : undefined) : undefined,
    'content-length': hasBody ? String(bodyLength) : undefined,
  }
  return compact(h) as Record<string, string>
}

/**
 * Encodes a request primitive as an HTTP request (after the same checks the decoder applies).
 * @throws OneM2mError when the primitive would not survive the binding (e.g. an `&` inside a
 *         notification URI, which X-M2M-RTU cannot carry).
 */
export function encodeHttpRequest(p: RequestPrimitive, options: EncodeRequestOptions = {}): HttpRequestMessage {
  const limits = options.limits ?? DEFAULT_LIMITS
  checkRequestPrimitive(p, { limits, releaseVersions: p.rvi === undefined ? [] : [p.rvi] })
  if (p.rt?.nu?.some((u) => u.includes('&')) === true) throw new OneM2mError('M2MSEC_ONEM2M_MALFORMED', 'internal', 'a notification URI with & cannot travel in X-M2M-RTU')
  if (p.tkns?.some((t) => t.includes('+')) === true) throw new OneM2mError('M2MSEC_ONEM2M_MALFORMED', 'internal', 'a token with + cannot travel in Authorization')
  const target = parseTo(p.to, limits.maxToLength)
  const atrlFromContent = p.op === OPERATION.RETRIEVE ? attributeListOf(p.pc) : undefined
  if (p.op === OPERATION.RETRIEVE && p.pc !== undefined && (atrlFromContent === undefined || target.attribute !== undefined)) {
    throw new OneM2mError('M2MSEC_ONEM2M_MALFORMED', 'internal', 'RETRIEVE Content other than one attributeList cannot travel over HTTP')
  }
  const atrl = target.attribute !== undefined ? [target.attribute] : atrlFromContent
  const query = formatQuery({
    ...compact({ rt: p.rt?.rtv, rp: p.rp, rcn: p.rcn, da: p.da, drt: p.drt, tqi: p.tqi, rids: p.rids, tids: p.tids, ltids: p.ltids, atrl, fc: p.fc }),
  })
  const pc = atrlFromContent === undefined ? p.pc : undefined
  const body = pc === undefined ? new Uint8Array(0) : serializeJson(pc)
  const path = toHttpPath(target) + (query === '' ? '' : `?${query}`)
  return { method: HTTP_METHOD_BY_OPERATION[p.op], path, headers: requestHeaders(p, pc !== undefined, body.length, options.host), body }
}
