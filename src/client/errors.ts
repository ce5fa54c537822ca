/**
 * Errors of the device-side SDK (STYLE.md §4): enrolment, the MEF procedures as a client
 * (TS-0003 §8.3.5.2) and the sealed device credential file. Callers match on `code`; a refusal
 * by the MEF also carries the oneM2M `rsc` it answered with. Messages name files, identifiers
 * and lengths, never key bytes.
 */
import { M2mSecError, type ErrorKind } from '../core/index.js'

/** Codes thrown by src/client. Add, never rename. */
export type ClientErrorCode =
  /** An SDK option or CLI argument is missing, malformed or inconsistent (URL, target, mode, lifetime, identifier). */
  | 'M2MSEC_CLIENT_INPUT_INVALID'
  /** The MEF cannot be reached: connection refused, reset or timed out before or during a request. */
  | 'M2MSEC_CLIENT_UNREACHABLE'
  /** The MEF Handshake failed: wrong Kpm/KpmID, certificate not accepted, or the MEF certificate does not prove the MEF FQDN. */
  | 'M2MSEC_CLIENT_HANDSHAKE_FAILED'
  /** The MEF answered with a non-success response status code (`rsc` on the error). */
  | 'M2MSEC_CLIENT_REFUSED'
  /** The MEF's response cannot be read or contradicts the request (missing members, wrong RelativeKeyID, no key). */
  | 'M2MSEC_CLIENT_RESPONSE_INVALID'
  /** A request was made on an MEF session that is already closed. */
  | 'M2MSEC_CLIENT_SESSION_CLOSED'
  /** The device credential file does not exist. */
  | 'M2MSEC_CLIENT_CREDENTIAL_NOT_FOUND'
  /** The device credential file exists and overwriting was not asked for. */
  | 'M2MSEC_CLIENT_CREDENTIAL_EXISTS'
  /** The device credential file is not a credential file of a version this build reads. */
  | 'M2MSEC_CLIENT_CREDENTIAL_INVALID'
  /** A sealed secret in the credential file does not open: altered, moved to another field or file, or another KEK. */
  | 'M2MSEC_CLIENT_CREDENTIAL_SEAL_INVALID'
  /** The credential file or its KEK file is a symlink, not a regular file, or readable/writable by group or others. */
  | 'M2MSEC_CLIENT_FILE_INSECURE'
  /** The device KEK (file or M2MSEC_DEVICE_KEK) is missing, not 32 bytes, or malformed. */
  | 'M2MSEC_CLIENT_KEK_INVALID'
  /** A credential, key or KEK file cannot be read or written (permissions of the directory, disk full…). */
  | 'M2MSEC_CLIENT_FILE_IO'

export class ClientError extends M2mSecError<ClientErrorCode> {
  /** The oneM2M response status code, for M2MSEC_CLIENT_REFUSED. */
  readonly rsc: number | undefined
  constructor(code: ClientErrorCode, kind: ErrorKind, message: string, options?: ErrorOptions & { readonly rsc?: number }) {
    super(code, kind, message, options)
    this.rsc = options?.rsc
  }
}

export function invalidInput(message: string, cause?: unknown): ClientError {
  return new ClientError('M2MSEC_CLIENT_INPUT_INVALID', 'bad-input', message, cause === undefined ? undefined : { cause })
}

export function invalidResponse(message: string, cause?: unknown): ClientError {
  return new ClientError('M2MSEC_CLIENT_RESPONSE_INVALID', 'bad-input', message, cause === undefined ? undefined : { cause })
}
