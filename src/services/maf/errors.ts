/**
 * Errors of the MAF service that are not oneM2M refusals (those are OneM2mErrors with the rsc
 * of mef-maf-interface.md §4.5): a configuration that cannot work is refused at start-up, and
 * a Km fetch from the MEF (TS-0003 8.3.2.1 "Use of Remotely Provisioned Credential", step d)
 * that fails for a reason other than the MEF's refusal is reported with its own code.
 */
import { M2mSecError, type ErrorKind } from '../../core/index.js'

/** Codes thrown by src/services/maf. Add, never rename. */
export type MafErrorCode =
  /** createMafService / `serve maf` options are inconsistent (FQDN, lifetimes, MEF settings, trust anchors). */
  | 'M2MSEC_MAF_CONFIG_INVALID'
  /** The MEF could not be asked for a Km (unreachable, handshake refused, unreadable answer). */
  | 'M2MSEC_MAF_MEF_UNAVAILABLE'

export class MafError extends M2mSecError<MafErrorCode> {}

/** Shorthand for a start-up configuration error. */
export function configInvalid(message: string): MafError {
  return new MafError('M2MSEC_MAF_CONFIG_INVALID', 'bad-input', message)
}

export function mefUnavailable(message: string, cause?: unknown, kind: ErrorKind = 'unavailable'): MafError {
  return new MafError('M2MSEC_MAF_MEF_UNAVAILABLE', kind, message, cause === undefined ? undefined : { cause })
}
