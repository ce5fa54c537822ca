/**
 * The bootstrapping transaction identifier (TS 33.220 §4.5.2): B-TID = base64(RAND) "@"
 * BSF-server-domain, an NAI. In oneM2M it is also the KeID, KmID and KpsaID of the GBA
 * framework (TS-0003 §8.3.2.3) and is sent verbatim as the TLS psk_identity, so it is parsed
 * with this grammar, never with the `REL` charset (OQ-34), and its case is never changed.
 *
 * The parser is strict: exactly 24 base64 characters encoding a 16-byte RAND (canonical, with
 * `==`), then an FQDN. A B-TID we did not mint is refused rather than repaired.
 */
import { CoreError } from '../errors.js'
import { assertLength } from '../bytes.js'
import { checkFqdn } from './fqdn.js'

const RAND_BYTES = 16
// 16 bytes = 21 full base64 characters, one whose low 4 bits are padding ([AQgw]), then "==".
const BTID_RE = /^([A-Za-z0-9+/]{21}[AQgw]==)@(.+)$/

/** A B-TID that passed `parseBtid` or was made by `formatBtid`. */
export type BTid = string & { readonly __brand: 'BTid' }

export interface ParsedBtid {
  readonly btid: BTid
  /** The RAND of the bootstrapping run, 16 bytes. */
  readonly rand: Uint8Array
  /** The BSF server domain as written in the B-TID. */
  readonly bsfDomain: string
}

/**
 * B-TID for a bootstrapping run. The domain is emitted lower-case (it is ours to choose).
 * @throws M2MSEC_INPUT_INVALID when RAND is not 16 bytes; M2MSEC_ID_INVALID when the domain is
 *   not an FQDN.
 */
export function formatBtid(rand: Uint8Array, bsfDomain: string): BTid {
  assertLength(rand, RAND_BYTES, 'RAND')
  const domain = checkFqdn(bsfDomain, 'BSF domain', 'M2MSEC_ID_INVALID')
  return `${Buffer.from(rand).toString('base64')}@${domain}` as BTid
}

/**
 * Parses a B-TID into its RAND and BSF domain.
 * @throws M2MSEC_ID_INVALID when the text does not match `base64(16-byte RAND) "@" FQDN`.
 */
export function parseBtid(text: string): ParsedBtid {
  const match = BTID_RE.exec(text)
  if (match === null) {
    throw new CoreError('M2MSEC_ID_INVALID', 'bad-input', `B-TID is malformed (length ${text.length})`)
  }
  const bsfDomain = match[2]!
  checkFqdn(bsfDomain, 'B-TID BSF domain', 'M2MSEC_ID_INVALID')
  return { btid: text as BTid, rand: new Uint8Array(Buffer.from(match[1]!, 'base64')), bsfDomain }
}
