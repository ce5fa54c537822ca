/**
 * Turns any thrown value into the response primitive that answers the request (TS-0004 §7.5.2:
 * `rsc` plus a `{"m2m:dbg": …}` Content), echoing `rqi` and `rvi` when the request let us read
 * them — also when decoding the request itself failed.
 */
import { debugTextForError, OneM2mError, rscForError } from './errors.js'
import type { RscOverrides } from './errors.js'
import type { HttpRequestMessage } from './http-message.js'
import { DEFAULT_RELEASE_VERSION, SUPPORTED_RELEASE_VERSIONS } from './parameter-values.js'
import type { ResponsePrimitive } from './primitive.js'
import { debugContent } from './representation.js'

export interface RequestContext {
  readonly rqi?: string
  readonly rvi?: string
}

const SAFE_VALUE_RE = /^[\x21-\x7e]{1,1024}$/

/** `rqi` and `rvi` read from raw headers without throwing, for answering a request that failed to decode. */
export function requestContextOf(message: Pick<HttpRequestMessage, 'headers'>): RequestContext {
  const read = (name: string): string | undefined => {
    for (const [key, value] of Object.entries(message.headers)) {
      if (key.toLowerCase() !== name) continue
      const v = typeof value === 'string' ? value.trim() : undefined
      return v !== undefined && SAFE_VALUE_RE.test(v) ? v : undefined
    }
    return undefined
  }
  const rqi = read('x-m2m-ri')
  const rvi = read('x-m2m-rvi')
  return { ...(rqi === undefined ? {} : { rqi }), ...(rvi === undefined ? {} : { rvi }) }
}

/**
 * The error response for `error`. A Release-1 request (no rvi) gets no rvi back; an
 * unsupported rvi is answered with ours so the peer learns what we speak.
 */
export function errorResponse(error: unknown, context: RequestContext = {}, overrides?: RscOverrides): ResponsePrimitive {
  const rsc = rscForError(error, overrides)
  let rvi: string | undefined
  if (error instanceof OneM2mError && error.code === 'M2MSEC_ONEM2M_RELEASE_VERSION_NOT_SUPPORTED') rvi = DEFAULT_RELEASE_VERSION
  else if (context.rvi !== undefined) rvi = SUPPORTED_RELEASE_VERSIONS.includes(context.rvi) ? context.rvi : DEFAULT_RELEASE_VERSION
  const response: ResponsePrimitive = { rsc, rqi: context.rqi ?? '', pc: debugContent(debugTextForError(error)) }
  return rvi === undefined ? response : { ...response, rvi }
}
