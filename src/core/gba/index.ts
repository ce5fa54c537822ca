export { gbaKdf, gbaKdfInput, GBA_KDF_MAX_PARAMETER_BYTES } from './kdf.js'
export {
  buildNafId,
  parseUaSecurityProtocolId,
  uaIdForTlsCipherSuite,
  DEFAULT_UA_TLS_CIPHER_SUITE,
  UA_ORGANISATION_3GPP,
  UA_SECURITY_PROTOCOL_ID_BYTES,
} from './naf-id.js'
export type { NafId, UaSecurityProtocolId } from './naf-id.js'
export { deriveKs, deriveKsNaf, deriveKsExtNaf, deriveKsIntNaf, FC_NAF_KEY, P0_GBA_ME, P0_GBA_U } from './naf-key.js'
export type { NafKeyInput } from './naf-key.js'
export {
  computeDigestAkaV1Md5,
  digestResponseMatches,
  formatAkaNonce,
  parseAkaNonce,
  DIGEST_ALGORITHM_AKAV1_MD5,
} from './digest-aka.js'
export type { DigestAkaInput, DigestAkaResult, DigestQop, AkaNonce } from './digest-aka.js'
