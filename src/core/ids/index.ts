// Public surface of the oneM2M security identifiers (crypto.md §3, §5): re-exports only.
export { parseFqdn, fqdnProblem, FQDN_MAX_LENGTH, FQDN_LABEL_MAX_LENGTH } from './fqdn.js'
export type { Fqdn } from './fqdn.js'
export { parseBTid, formatBTid, bTidRand, bTidDomain, bTidCredentialValue, B_TID_RAND_LENGTH } from './b-tid.js'
export type { BTid } from './b-tid.js'
export { parseKeId, formatKeId, splitKeId, isGbaKeId, RELATIVE_KE_ID_LENGTH } from './ke-id.js'
export type { KeId } from './ke-id.js'
export { parseKeyIdentifier, formatKeyIdentifier, splitKeyIdentifier, isExportedKeyIdentifier, KC_ID_LENGTH } from './key-identifier.js'
export type { KeyIdentifier } from './key-identifier.js'
export { parseKmId, formatKmId, splitKmId, sameKmId } from './km-id.js'
export type { KmId } from './km-id.js'
export { parseKpsaId, formatKpsaId, splitKpsaId } from './kpsa-id.js'
export type { KpsaId } from './kpsa-id.js'
export {
  CRED_ID_TYPE,
  credIdTypeName,
  hasCredentialIdForm,
  parseCredentialId,
  formatCredentialId,
  credentialIdForKpmId,
  credentialIdForKmId,
  credentialIdForKpsaId,
  credentialIdForKeyIdentifier,
  credentialIdForRawPublicKey,
  credentialIdForCertificate,
  credentialIdForIbcId,
} from './credential-id.js'
export type { CredentialId, CredIdTypeId, CredIdTypeName, CertificateFlavour, ParsedCredentialId } from './credential-id.js'
export {
  parseSpId,
  parseCseId,
  parseAeId,
  toAbsoluteCseId,
  toSpRelativeCseId,
  toAbsoluteAeId,
  toSpRelativeAeId,
  cseIdPublicDomainName,
} from './m2m-id.js'
export type { SpId, CseId, AeId, M2mIdForm, ParsedCseId, ParsedAeId } from './m2m-id.js'
export { niName, parseNiName, matchesNiName, spkiSha256, NI_HASH_ALGS } from './ni-name.js'
export type { NiName, NiHashAlg } from './ni-name.js'
export { parseIbcId, formatIbcId } from './ibc-id.js'
export type { IbcId, ParsedIbcId } from './ibc-id.js'
