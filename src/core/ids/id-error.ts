/**
 * The one error every identifier parser throws (STYLE.md §4). Identifiers are not secrets, but
 * messages stay short: they name the identifier kind, what is wrong and the input length.
 */
import { CoreError } from '../errors.js'

/**
 * Builds the M2MSEC_ID_INVALID error for `what` (e.g. "KeID") with a short `problem`; the
 * length is that of the text (or byte input) that was refused.
 */
export function invalidId(what: string, problem: string, input: string | Uint8Array): CoreError {
  return new CoreError('M2MSEC_ID_INVALID', 'bad-input', `${what} ${problem} (length ${input.length})`)
}
