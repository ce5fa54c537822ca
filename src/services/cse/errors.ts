/**
 * Errors of the reference CSE that are not oneM2M refusals (those are OneM2mErrors carrying the
 * TS-0004 §6.6.3 rsc, thrown with `refused`/`malformed`): a configuration that cannot work is
 * refused at start-up, and a notification that could not be delivered is reported with its own
 * code (TS-0004 §7.5.1.2; the triggering request has already been answered by then).
 */
import { M2mSecError } from '../../core/index.js'

/** Codes thrown by src/services/cse. Add, never rename. */
export type CseErrorCode =
  /** createCseService / `serve cse` options are inconsistent (CSE-ID, CSEBase name, SP-ID, listen address). */
  | 'M2MSEC_CSE_CONFIG_INVALID'
  /** A notification target could not be resolved or did not answer 2000. */
  | 'M2MSEC_CSE_NOTIFY_FAILED'

export class CseError extends M2mSecError<CseErrorCode> {}

/** Shorthand for a start-up configuration error. */
export function configInvalid(message: string): CseError {
  return new CseError('M2MSEC_CSE_CONFIG_INVALID', 'bad-input', message)
}

export function notifyFailed(message: string, cause?: unknown): CseError {
  return new CseError('M2MSEC_CSE_NOTIFY_FAILED', 'unavailable', message, cause === undefined ? undefined : { cause })
}
