/**
 * The FQDN grammar GBA identifiers use (crypto.md §3): `label *("." label)`, each label
 * 1*63(ALPHA / DIGIT / "-"), at most 253 characters, no trailing dot. Internal to gba/: the
 * NAF_Id and the B-TID both carry one. Returned lower-case, since DNS names compare without
 * case (RFC 4343) while the KDF compares bytes (decision in the module that calls it).
 */
import { CoreError, type CoreErrorCode } from '../errors.js'

const FQDN_RE = /^[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*$/

/**
 * Checks `text` against the FQDN grammar and returns it lower-cased.
 * @throws `code` (bad-input) naming `what` and the length, never the text.
 */
export function checkFqdn(text: string, what: string, code: CoreErrorCode): string {
  if (text.length > 253 || !FQDN_RE.test(text)) {
    throw new CoreError(code, 'bad-input', `${what} is not a valid FQDN (length ${text.length})`)
  }
  return text.toLowerCase()
}
