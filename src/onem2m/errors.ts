/**
 * The one oneM2M error type (STYLE.md §4): an M2mSecError that carries the Response Status
 * Code it answers with, and the mapping from any M2mSecError `kind` to a default rsc
 * (TS-0004 §6.6.3 names; STYLE.md §4 choices, all consistent with TS-0004 V3.32).
 */
import { M2mSecError, type ErrorKind } from '../core/index.js'
import { RSC } from './response-status.js'

/** Codes thrown by src/onem2m. Add, never rename. */
export type OneM2mErrorCode =
  | 'M2MSEC_ONEM2M_MALFORMED'
  | 'M2MSEC_ONEM2M_TOO_LARGE'
  | 'M2MSEC_ONEM2M_UNSUPPORTED_MEDIA_TYPE'
  | 'M2MSEC_ONEM2M_NOT_ACCEPTABLE'
  | 'M2MSEC_ONEM2M_RELEASE_VERSION_NOT_SUPPORTED'
  | 'M2MSEC_ONEM2M_REFUSED'

/** Default rsc per error kind (STYLE.md §4). */
export const RSC_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  'bad-input': RSC.BAD_REQUEST,
  unauthenticated: RSC.ORIGINATOR_NOT_AUTHENTICATED,
  forbidden: RSC.ORIGINATOR_HAS_NO_PRIVILEGE,
  'not-found': RSC.NOT_FOUND,
  conflict: RSC.CONFLICT,
  unavailable: RSC.INTERNAL_SERVER_ERROR,
  internal: RSC.INTERNAL_SERVER_ERROR,
}

/** The rsc each oneM2M code answers with unless the thrower chose another. */
const RSC_BY_CODE: Readonly<Record<OneM2mErrorCode, number>> = {
  M2MSEC_ONEM2M_MALFORMED: RSC.BAD_REQUEST,
  M2MSEC_ONEM2M_TOO_LARGE: RSC.BAD_REQUEST,
  M2MSEC_ONEM2M_UNSUPPORTED_MEDIA_TYPE: RSC.UNSUPPORTED_MEDIA_TYPE,
  M2MSEC_ONEM2M_NOT_ACCEPTABLE: RSC.NOT_ACCEPTABLE,
  M2MSEC_ONEM2M_RELEASE_VERSION_NOT_SUPPORTED: RSC.RELEASE_VERSION_NOT_SUPPORTED,
  M2MSEC_ONEM2M_REFUSED: RSC.INTERNAL_SERVER_ERROR,
}

export interface OneM2mErrorOptions extends ErrorOptions {
  /** Overrides the code's default rsc (e.g. 4108 for a MEF CREATE with a foreign `ty`). */
  readonly rsc?: number
}

export class OneM2mError extends M2mSecError<OneM2mErrorCode> {
  readonly rsc: number
  constructor(code: OneM2mErrorCode, kind: ErrorKind, message: string, options?: OneM2mErrorOptions) {
    super(code, kind, message, options)
    // An internal failure (a writer meeting its own bad data) is never the peer's fault: 5000.
    this.rsc = options?.rsc ?? (kind === 'internal' ? RSC.INTERNAL_SERVER_ERROR : RSC_BY_CODE[code])
  }
}

/** A peer-supplied text shortened for an error message: never echo a huge input. */
export function clip(text: string, max = 64): string {
  const printable = text.replace(/[^\x20-\x7e]/g, '?')
  return printable.length <= max ? printable : `${printable.slice(0, max)}… (${text.length} chars)`
}

/** Shorthand for the common case: malformed input, 4000 BAD_REQUEST. */
export function malformed(message: string, options?: OneM2mErrorOptions): OneM2mError {
  return new OneM2mError('M2MSEC_ONEM2M_MALFORMED', 'bad-input', message, options)
}

/** Shorthand for an input past a configured limit, 4000 BAD_REQUEST. */
export function tooLarge(message: string): OneM2mError {
  return new OneM2mError('M2MSEC_ONEM2M_TOO_LARGE', 'bad-input', message)
}

/**
 * A deliberate refusal with an exact rsc (services: 4103, 4107, 4126 …). The kind is derived
 * from the rsc so that non-oneM2M layers (admin HTTP, audit) classify it the same way.
 */
export function refused(rsc: number, message: string, options?: ErrorOptions): OneM2mError {
  return new OneM2mError('M2MSEC_ONEM2M_REFUSED', kindForRsc(rsc), message, { ...options, rsc })
}

/** The coarse kind of an rsc; the inverse of RSC_BY_KIND on its values. */
export function kindForRsc(rsc: number): ErrorKind {
  switch (rsc) {
    case RSC.ORIGINATOR_NOT_AUTHENTICATED:
    case RSC.SECURITY_ASSOCIATION_REQUIRED:
    case RSC.ESPRIM_IMPERSONATION_ERROR:
      return 'unauthenticated'
    case RSC.NOT_FOUND:
      return 'not-found'
    case RSC.CONFLICT:
    case RSC.ALREADY_EXISTS:
    case RSC.ORIGINATOR_HAS_ALREADY_REGISTERED:
      return 'conflict'
    case RSC.TARGET_NOT_REACHABLE:
    case RSC.REMOTE_ENTITY_NOT_REACHABLE:
    case RSC.REQUEST_TIMEOUT:
      return 'unavailable'
    default:
      if (rsc >= 4100 && rsc < 4200) return 'forbidden'
      if (rsc >= 4000 && rsc < 5000) return 'bad-input'
      return 'internal'
  }
}

/** Per-code overrides a service passes to rscForError: `{ M2MSEC_MAF_KEY_UNKNOWN: 4004 }`. */
export type RscOverrides = Readonly<Record<string, number>>

/**
 * The rsc for any thrown value: a OneM2mError's own rsc, else an override for its code, else
 * the default of its kind; anything that is not an M2mSecError is 5000.
 */
export function rscForError(error: unknown, overrides: RscOverrides = {}): number {
  if (error instanceof M2mSecError) {
    const override = Object.hasOwn(overrides, error.code) ? overrides[error.code] : undefined
    if (override !== undefined) return override
    if (error instanceof OneM2mError) return error.rsc
    return RSC_BY_KIND[error.kind]
  }
  return RSC.INTERNAL_SERVER_ERROR
}

/**
 * The `m2m:dbg` text sent to the peer. Authentication failures read the same whatever the
 * cause (STYLE.md §4) and internal failures reveal nothing; other messages are operator-safe
 * by construction (M2mSecError contract) and help the peer fix its request.
 */
export function debugTextForError(error: unknown): string {
  if (!(error instanceof M2mSecError)) return 'internal error'
  switch (error.kind) {
    case 'unauthenticated':
      return 'originator not authenticated'
    case 'internal':
    case 'unavailable':
      return error instanceof OneM2mError && error.code === 'M2MSEC_ONEM2M_REFUSED' ? error.message : 'internal error'
    default:
      return error.message
  }
}
