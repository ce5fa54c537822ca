/**
 * Errors as the admin API answers them (admin-api.md): `{ error: { code, message, field? } }`
 * with the status of the error's kind (STYLE.md §4: `admin` maps kinds to HTTP statuses). Only
 * coded errors say what went wrong; anything else is a 500 with a generic message, its detail
 * kept for the request-failed event.
 */
import { M2mSecError, type ErrorKind } from '../../core/index.js'
import { AdminError, invalidRequest } from './errors.js'

const STATUS: Readonly<Record<ErrorKind, number>> = {
  'bad-input': 400, unauthenticated: 401, forbidden: 403, 'not-found': 404, conflict: 409, unavailable: 503, internal: 500,
}

/** Bad input that HTTP names more precisely: 413 Content Too Large. */
const TOO_LARGE = new WeakSet<AdminError>()

export function statusOfKind(kind: ErrorKind): number {
  return STATUS[kind]
}

export interface ErrorReply {
  readonly status: number
  readonly body: { readonly error: { readonly code: string; readonly message: string; readonly field?: string } }
}

interface FastifyLikeError {
  readonly code?: string
  readonly statusCode?: number
  readonly validation?: readonly { readonly instancePath?: string; readonly message?: string; readonly params?: Readonly<Record<string, unknown>> }[]
  readonly validationContext?: string
}

/** The request field a JSON-schema failure is about: `kpm`, `targets/0/suid` → `targets[0].suid`, a missing or unknown property by name. */
function validationField(error: FastifyLikeError): { field: string; problem: string } {
  const first = error.validation?.[0]
  const path = (first?.instancePath ?? '').split('/').filter((p) => p !== '')
  const named = first?.params?.missingProperty ?? first?.params?.additionalProperty
  if (typeof named === 'string') path.push(named)
  const field = path.reduce((out, part) => (/^[0-9]+$/.test(part) ? `${out}[${part}]` : out === '' ? part : `${out}.${part}`), '')
  const problem = first?.params?.additionalProperty !== undefined ? 'is not a known field' : (first?.message ?? 'is invalid')
  return { field: field === '' ? (error.validationContext ?? 'request') : field, problem }
}

/** Translates fastify's own request errors (schema validation, body size, bad JSON) into coded errors. */
export function requestError(error: unknown): unknown {
  if (typeof error !== 'object' || error === null || error instanceof M2mSecError) return error
  const e = error as FastifyLikeError
  if (e.validation !== undefined) {
    const { field, problem } = validationField(e)
    return invalidRequest(field, problem)
  }
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const tooLarge = new AdminError('M2MSEC_ADMIN_INVALID', 'bad-input', 'body: is larger than this route accepts', { field: 'body' })
    TOO_LARGE.add(tooLarge)
    return tooLarge
  }
  if (typeof e.code === 'string' && e.code.startsWith('FST_ERR_CTP_')) return invalidRequest('body', 'is not valid JSON of a supported content type')
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) return invalidRequest('request', 'is malformed')
  return error
}

export function errorReply(error: unknown, requestId: string): ErrorReply {
  if (error instanceof M2mSecError) {
    const field = 'field' in error && typeof error.field === 'string' ? { field: error.field } : {}
    const status = error instanceof AdminError && TOO_LARGE.has(error) ? 413 : statusOfKind(error.kind)
    return { status, body: { error: { code: error.code, message: error.message, ...field } } }
  }
  return { status: 500, body: { error: { code: 'M2MSEC_ADMIN_INTERNAL', message: `internal error (request ${requestId})` } } }
}
