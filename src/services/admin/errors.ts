/**
 * Errors of the admin role (issue 8 admin REST API). The API answers every error as
 * `{ error: { code, message, field? } }` with the HTTP status of the error's kind (http-status.ts);
 * an authentication failure is one answer whatever the cause (STYLE.md §4).
 */
import { M2mSecError, type ErrorKind } from '../../core/index.js'

/** Codes thrown by src/services/admin. Add, never rename. */
export type AdminErrorCode =
  /** No admin token or operator certificate, or a wrong one (one answer for every cause). */
  | 'M2MSEC_ADMIN_UNAUTHENTICATED'
  /** A path, query or body field is missing, malformed or out of range; or the body is too large. */
  | 'M2MSEC_ADMIN_INVALID'
  /** No such route or resource (an import job id, a client or key registration). */
  | 'M2MSEC_ADMIN_NOT_FOUND'
  /** createAdminService / `serve admin` got options that cannot work (no token hash, bad certificate). */
  | 'M2MSEC_ADMIN_CONFIG_INVALID'
  /** The admin token file is missing, malformed or readable by others. */
  | 'M2MSEC_ADMIN_TOKEN_FILE_INVALID'
  /** An unexpected failure inside a request (the detail goes to the request-failed event, not the client). */
  | 'M2MSEC_ADMIN_INTERNAL'
  /** A bulk import is still running on this admin instance: one at a time (D-156). */
  | 'M2MSEC_ADMIN_IMPORT_BUSY'

export class AdminError extends M2mSecError<AdminErrorCode> {
  /** The request field at fault (`limit`, `body.kpm`, …). */
  readonly field?: string
  constructor(code: AdminErrorCode, kind: ErrorKind, message: string, options?: ErrorOptions & { readonly field?: string }) {
    super(code, kind, message, options)
    if (options?.field !== undefined) this.field = options.field
  }
}

export function invalidRequest(field: string, problem: string): AdminError {
  return new AdminError('M2MSEC_ADMIN_INVALID', 'bad-input', `${field}: ${problem}`, { field })
}

export function notFound(what: string): AdminError {
  return new AdminError('M2MSEC_ADMIN_NOT_FOUND', 'not-found', `no ${what}`)
}

export function unauthenticated(): AdminError {
  return new AdminError('M2MSEC_ADMIN_UNAUTHENTICATED', 'unauthenticated', 'an admin token (Authorization: Bearer) or an operator certificate is required')
}
