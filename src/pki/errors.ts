/**
 * Errors of the pki layer (STYLE.md §4): certificate parsing and peer-certificate checks.
 * Expected refusals (a SAN that does not match, an untrusted chain) are returned values with a
 * reason (peer-certificate.ts); these codes are for input that cannot be read at all.
 */
import { M2mSecError } from '../core/index.js'

/** Codes thrown by src/pki. Add, never rename. */
export type PkiErrorCode =
  /** A certificate or one of its extensions does not parse as DER X.509. */
  | 'M2MSEC_PKI_CERT_MALFORMED'
  /** The development CA files of a data directory are incomplete, unusable, not private, or cannot be written. */
  | 'M2MSEC_PKI_DEV_CA_INVALID'

export class PkiError extends M2mSecError<PkiErrorCode> {}
