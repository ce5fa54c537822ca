/**
 * NAF_Id = UTF8NFKC(NAF FQDN) ‖ Ua security protocol identifier (TS 33.220 annex B.3 and
 * annex H), the P3 of every NAF key derivation. For oneM2M the NAF is the MAF or the Registrar
 * CSE (TS-0003 §8.3.2.3), whose FQDN this carries.
 *
 * oneM2M registers no Ua identifier (OQ-22). The default is 3GPP's shared-key TLS form
 * `01 00 01 yy zz` (annex H.3, organisation 0x01 = 3GPP, yy zz = the TLS cipher suite) with
 * TLS_PSK_WITH_AES_128_CBC_SHA256 (0x00AE), the mandatory oneM2M PSK suite; any other 5-byte
 * identifier can be configured.
 *
 * The FQDN is NFKC-normalised (B.2.1.2), checked against the FQDN grammar and lower-cased: DNS
 * names ignore case but the KDF does not, and both ends must feed it the same bytes.
 */
import { CoreError } from '../errors.js'
import { concatBytes, utf8Nfkc } from '../bytes.js'
import { parseFqdn } from '../ids/fqdn.js'

export const UA_SECURITY_PROTOCOL_ID_BYTES = 5

/** Annex H organisation octet for 3GPP. */
export const UA_ORGANISATION_3GPP = 0x01

/** TLS_PSK_WITH_AES_128_CBC_SHA256, the cipher suite in the default Ua identifier (OQ-22). */
export const DEFAULT_UA_TLS_CIPHER_SUITE = 0x00ae

/** A checked 5-octet Ua security protocol identifier. */
export type UaSecurityProtocolId = Uint8Array & { readonly __brand: 'UaSecurityProtocolId' }

/** A checked NAF_Id (FQDN octets followed by the Ua identifier). */
export type NafId = Uint8Array & { readonly __brand: 'NafId' }

/**
 * Parses a Ua security protocol identifier. Annex H.2 allows organisation 0x00 only as the
 * all-zero default, so `00 xx xx xx xx` with any non-zero xx is refused.
 * @throws M2MSEC_INPUT_INVALID when it is not 5 octets or breaks the rule above.
 */
export function parseUaSecurityProtocolId(bytes: Uint8Array): UaSecurityProtocolId {
  if (bytes.length !== UA_SECURITY_PROTOCOL_ID_BYTES || (bytes[0] === 0x00 && bytes.some((b) => b !== 0))) {
    throw new CoreError(
      'M2MSEC_INPUT_INVALID',
      'bad-input',
      `Ua security protocol identifier must be 5 octets, organisation 0x00 only as 00 00 00 00 00 (got ${bytes.length} octets)`,
    )
  }
  return Uint8Array.from(bytes) as UaSecurityProtocolId
}

/**
 * The 3GPP shared-key TLS identifier `01 00 01 yy zz` for a TLS cipher suite (annex H.3).
 * @throws M2MSEC_INPUT_INVALID when the suite is not a 16-bit code point.
 */
export function uaIdForTlsCipherSuite(cipherSuite: number = DEFAULT_UA_TLS_CIPHER_SUITE): UaSecurityProtocolId {
  if (!Number.isInteger(cipherSuite) || cipherSuite < 0 || cipherSuite > 0xffff) {
    throw new CoreError('M2MSEC_INPUT_INVALID', 'bad-input', 'TLS cipher suite must be a 16-bit code point')
  }
  return Uint8Array.of(UA_ORGANISATION_3GPP, 0x00, 0x01, cipherSuite >> 8, cipherSuite & 0xff) as UaSecurityProtocolId
}

/**
 * NAF_Id for a NAF FQDN and Ua identifier (default: shared-key TLS with 0x00AE).
 * @throws M2MSEC_ID_INVALID when the FQDN does not match the grammar after NFKC.
 */
export function buildNafId(nafFqdn: string, ua: UaSecurityProtocolId = uaIdForTlsCipherSuite()): NafId {
  const fqdn = parseFqdn(nafFqdn.normalize('NFKC'))
  return concatBytes(utf8Nfkc(fqdn), parseUaSecurityProtocolId(ua)) as NafId
}
