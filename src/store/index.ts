/** Public surface of the store layer: services import from here only (STYLE.md §3). */
export { openStore } from './open-store.js'
export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, pageOf, pageRequest } from './page.js'
export type { Page, PageOptions, PageRequest } from './page.js'
export type { StoreConfig, StoreOptions } from './open-store.js'
export type { Store, StoreTx } from './store.js'
export type { HandshakeReader } from './handshake-reader.js'
export { StoreError } from './errors.js'
export type { StoreErrorCode } from './errors.js'
export type { Sealer, SealContext } from './custody/sealer.js'
export { randomRelativeKeyId, randomPrefixedId } from './identifiers.js'
export type { AllocateOptions, IdentifierAllocator } from './identifiers.js'
export type { JsonValue } from './row-codec.js'
export type { SealedColumns, SealedEntry } from './reseal.js'
export type {
  EnroleeCredential, EnroleeCredentialKind, EnroleeRecord, EnroleeRepo, EnroleeStatus, EnroleeUpdate, EnrolmentTarget, NewEnrolee,
} from './enrolees.js'
export type { EnrolmentRecord, EnrolmentRepo, EnrolmentSummary, NewEnrolment } from './enrolments.js'
export type {
  BoundEntity, EntityKind, NewPskCredential, PskCredential, PskCredentialInfo, PskCredentialRepo, PskListOptions, PskLookup, PskOwnerKind, PskRefusal, PskUsage,
} from './psk-credentials.js'
export type {
  ClientCommand, ClientRegistration, ClientRegistrationRepo, ClientRegistrationUpdate, Issuer, NewClientRegistration,
} from './client-registrations.js'
export type {
  KeyRegistration, KeyRegistrationListOptions, KeyRegistrationRepo, KeyRegistrationSummary, KeyRegistrationUpdate, NewKeyRegistration,
} from './key-registrations.js'
export type { BindingSource, IdentityBinding, IdentityBindingRecord, IdentityBindingRepo } from './identity-bindings.js'
export type { AppRule, AppRuleRecord, AppRuleRepo } from './app-rules.js'
export type { CaRecord, CaRepo, IssuedCertificate, IssuedCertificateRecord } from './ca-state.js'
export type { ServiceKey, ServiceKeyRepo } from './service-keys.js'
export type { AuditEventFields, AuditEventInput, AuditEventRecord, AuditHead, AuditLinker, AuditRepo } from './audit-events.js'
export { DATA_DIRECTORY_FILES, kekSourceFor, loadDataDirectoryKeyring, openDataDirectoryStore } from './data-directory.js'
export type { DataDirectoryOptions } from './data-directory.js'
export { createAesGcmSealer, KEK_LENGTH } from './custody/aes-gcm-sealer.js'
export type { Kek } from './custody/aes-gcm-sealer.js'
export { deriveKekId, generateKek, loadKekFile, loadKekFromEnv, parseKekText, KEK_ENV_VARIABLE } from './custody/kek-source.js'
export { loadKeyring, readKeyringFile, writeKeyringFile, addKek, retireKek } from './custody/keyring.js'
export type { Keyring, KekSource } from './custody/keyring.js'
export { rotateKek } from './custody/rotation.js'
export type { SealedColumnSource, RotationReport } from './custody/rotation.js'
export { createSoftwareKekProvider, wrapKeyring, unwrapKeyring } from './custody/kek-provider.js'
export type { KekProvider, WrappedKeyring } from './custody/kek-provider.js'
export { verifyAuditChain, parseAuditAnchor, appendAuditEvent, sha256AuditLink, hmacAuditLink, AUDIT_GENESIS_HASH } from './audit/chain.js'
export type { AuditChainHead, AuditChainResult, AuditEvent, AuditLink, ChainedAuditEvent } from './audit/chain.js'
export { auditLinker, auditEventSource } from './audit/store-adapter.js'
