/**
 * Errors of the MEF operator functions (enrolee add/import/list/show/revoke, enrolments list;
 * issue 5 "Operator side"). The CLI prints them now and the admin API will map `kind` to an HTTP
 * status later, so every refusal carries a stable code and, for input problems, the name of the
 * field at fault. Messages name fields and identifiers, never key bytes (STYLE.md §10).
 */
import { M2mSecError } from '../../../core/index.js'

/** Codes thrown by src/services/mef/operator. Add, never rename. */
export type OperatorErrorCode =
  /** A field of an enrolee (or a list/cursor option) is missing, malformed or out of range. */
  | 'M2MSEC_ENROLEE_INVALID'
  /** A Kpm is not hex/base64, shorter than 16 bytes, longer than 64, or visibly not random. */
  | 'M2MSEC_ENROLEE_KPM_WEAK'
  /** The KpmID or certificate identity is already used by an enrolee or another MEF PSK. */
  | 'M2MSEC_ENROLEE_EXISTS'
  /** No enrolee matches the reference, KpmID or certificate identity given. */
  | 'M2MSEC_ENROLEE_NOT_FOUND'
  /** An import file as a whole is unreadable: bad CSV header, not a JSON array, too large. */
  | 'M2MSEC_ENROLEE_IMPORT_MALFORMED'

export class OperatorError extends M2mSecError<OperatorErrorCode> {
  /** The input field at fault (`kpm`, `targets[1].targetId`, …), for API error bodies and import reports. */
  readonly field?: string
  constructor(code: OperatorErrorCode, kind: M2mSecError['kind'], message: string, options?: ErrorOptions & { readonly field?: string }) {
    super(code, kind, message, options)
    if (options?.field !== undefined) this.field = options.field
  }
}

/** M2MSEC_ENROLEE_INVALID for `field`; a core parser's error is kept as the cause. */
export function invalidField(field: string, problem: string, cause?: unknown): OperatorError {
  return new OperatorError('M2MSEC_ENROLEE_INVALID', 'bad-input', `${field}: ${problem}`, {
    field,
    ...(cause === undefined ? {} : { cause }),
  })
}

/** The message of a core error without repeating our own prefix. */
export function causeText(cause: unknown): string {
  return cause instanceof Error ? cause.message : 'is malformed'
}
