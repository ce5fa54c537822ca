export { M2mSecError, CoreError, hasErrorCode } from './errors.js'
export type { ErrorKind, CoreErrorCode } from './errors.js'
export { SecretBytes } from './secret.js'
export { toHex, fromHex, toBase64Url, concatBytes, utf8Nfkc, ascii, i2osp, os2ip, assertLength } from './bytes.js'
export { SUID, isSuid, parseSuid, isRspfProvisioned } from './suid.js'
export type { Suid } from './suid.js'
export { wrapKey, unwrapKey } from './key-wrap.js'
export {
  EXPORTER_LABEL_BOOTSTRAP,
  EXPORTER_LABEL_CONNECTION,
  EXPORTER_LABEL_ESCERTKE,
  EXPORTER_LABEL_ROOT_CREDENTIAL_WRAP,
  EXPORTER_LENGTH,
  ROOT_CREDENTIAL_WRAP_EXPORT_LENGTH,
  splitExport,
  enrolmentKeyFromExport,
  connectionKeyFromExport,
  pairwiseE2EKeyFromExport,
  rootCredentialWrapKeyFromExport,
  KM_DERIVATION_LABEL,
  KPSA_DERIVATION_LABEL,
  USAGE_CONSTRAINED_DERIVATION_LABEL,
  deriveKm,
  deriveKpsa,
  deriveUsageConstrainedKey,
  E2E_LABELS,
  SESSION_ESPRIM_KEY_LABEL,
  deriveE2eMasterKey,
  expandWithLabels,
  deriveE2eKeys,
  deriveSessionESPrimKey,
} from './kdf/index.js'
export type { ExportedKey, EnrolmentKey, ConnectionKey, PairwiseE2EKey, E2eKeys } from './kdf/index.js'
export {
  ECCSI_SCALAR_LENGTH,
  ECCSI_POINT_LENGTH,
  ECCSI_SIGNATURE_LENGTH,
  DEFAULT_VERIFIER_CACHE_SIZE,
  generateKmsMasterKey,
  issueSigningKey,
  validateSigningKey,
  eccsiPublicKey,
  createEccsiSigner,
  signEccsi,
  createEccsiVerifier,
  verifyEccsi,
  verifyEccsiReference,
} from './eccsi/index.js'
export type {
  RandomScalarSeam,
  KmsMasterKey,
  IssuedSigningKey,
  ValidatedSigningKey,
  EccsiKeyMaterial,
  EccsiSigner,
  EccsiVerifier,
  EccsiVerifierOptions,
  EccsiRefusal,
  EccsiVerification,
  EccsiVerifyKey,
} from './eccsi/index.js'
export {
  Milenage,
  computeOpc,
  buildAutn,
  generateAuthenticationVector,
  verifyAutn,
  buildAuts,
  verifyAuts,
  RAND_BYTES,
  SQN_BYTES,
  AMF_BYTES,
  MAC_BYTES,
  AK_BYTES,
  AUTN_BYTES,
  AUTS_BYTES,
} from './milenage/index.js'
export type { OperatorVariant, MilenageKeys, MilenageOutputs, AuthenticationVector, AutnVerdict, AutsVerdict } from './milenage/index.js'
export {
  gbaKdf,
  gbaKdfInput,
  GBA_KDF_MAX_PARAMETER_BYTES,
  buildNafId,
  parseUaSecurityProtocolId,
  uaIdForTlsCipherSuite,
  DEFAULT_UA_TLS_CIPHER_SUITE,
  UA_ORGANISATION_3GPP,
  UA_SECURITY_PROTOCOL_ID_BYTES,
  deriveKs,
  deriveKsNaf,
  deriveKsExtNaf,
  deriveKsIntNaf,
  FC_NAF_KEY,
  P0_GBA_ME,
  P0_GBA_U,
  computeDigestAkaV1Md5,
  digestResponseMatches,
  formatAkaNonce,
  parseAkaNonce,
  DIGEST_ALGORITHM_AKAV1_MD5,
} from './gba/index.js'
export type { NafId, UaSecurityProtocolId, NafKeyInput, DigestAkaInput, DigestAkaResult, DigestQop, AkaNonce } from './gba/index.js'
