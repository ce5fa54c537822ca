/**
 * Typed errors with stable codes (STYLE.md §4). Every error m2msec throws is an M2mSecError:
 * `code` is stable and listed in docs/errors.md, `kind` is the coarse class that protocol layers
 * map to a oneM2M rsc, an HTTP status or a TLS alert. Messages are safe for an operator: they
 * name an input and its length or type, never a secret value.
 */

export type ErrorKind =
  | 'bad-input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'unavailable'
  | 'internal'

export class M2mSecError<C extends string = string> extends Error {
  readonly code: C
  readonly kind: ErrorKind
  constructor(code: C, kind: ErrorKind, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = new.target.name
    this.code = code
    this.kind = kind
  }
}

/** Codes thrown by src/core. Add, never rename: callers and tests match on them. */
export type CoreErrorCode =
  | 'M2MSEC_INPUT_INVALID'
  | 'M2MSEC_KEY_INVALID'
  | 'M2MSEC_ID_INVALID'
  | 'M2MSEC_KEYWRAP_INTEGRITY'
  | 'M2MSEC_ECCSI_POINT_INVALID'
  | 'M2MSEC_ECCSI_SSK_INVALID'
  | 'M2MSEC_MILENAGE_MAC_MISMATCH'

export class CoreError extends M2mSecError<CoreErrorCode> {}

/** True when `value` is an M2mSecError carrying `code`; lets callers branch without string matching on messages. */
export function hasErrorCode(value: unknown, code: string): value is M2mSecError {
  return value instanceof M2mSecError && value.code === code
}
