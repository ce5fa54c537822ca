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
} from './exporter-split.js'
export type { ExportedKey, EnrolmentKey, ConnectionKey, PairwiseE2EKey } from './exporter-split.js'
export {
  KM_DERIVATION_LABEL,
  KPSA_DERIVATION_LABEL,
  USAGE_CONSTRAINED_DERIVATION_LABEL,
  deriveKm,
  deriveKpsa,
  deriveUsageConstrainedKey,
} from './ke-derivations.js'
export {
  E2E_LABELS,
  SESSION_ESPRIM_KEY_LABEL,
  deriveE2eMasterKey,
  expandWithLabels,
  deriveE2eKeys,
  deriveSessionESPrimKey,
} from './e2e-keys.js'
export type { E2eKeys } from './e2e-keys.js'
export { TARGET_KEY_MODES, enrolmentTargetDerivationId, deriveEnrolmentTargetKey } from './enrolment-target-key.js'
export type { TargetKeyMode, EnrolmentTargetRef } from './enrolment-target-key.js'
