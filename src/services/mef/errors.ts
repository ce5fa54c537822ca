/**
 * Errors of the MEF service that are not oneM2M refusals (those are OneM2mErrors with their rsc,
 * mef-maf-interface.md §4.5): a service configuration that cannot work is refused at start-up.
 */
import { M2mSecError } from '../../core/index.js'

/** Codes thrown by src/services/mef. Add, never rename. */
export type MefErrorCode =
  /** createMefService / `serve mef` options are inconsistent (FQDN, targets, trust anchors, mode). */
  'M2MSEC_MEF_CONFIG_INVALID'

export class MefError extends M2mSecError<MefErrorCode> {}

/** Shorthand for a start-up configuration error. */
export function configInvalid(message: string): MefError {
  return new MefError('M2MSEC_MEF_CONFIG_INVALID', 'bad-input', message)
}
