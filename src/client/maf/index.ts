// The MAF-client SDK (src/client/maf): MAF Handshake and the MAF procedures of TS-0003 8.8.2 as a client.
export { MafSession, openMafSession, defaultMafOriginator, mafKeyFromEnrolment } from './maf-session.js'
export type { MafCredential, MafSessionOptions, MafResponse } from './maf-session.js'
export {
  DEFAULT_MAF_REGISTRATION_LIFETIME_MS, mafRegister, mafRetrieveConfiguration, mafUpdateRegistration, mafDeregister, mafRegistrationPath,
} from './maf-registration.js'
export type { MafRegistrationRequest, MafRegistration, MafRegistrationChanges } from './maf-registration.js'
export { DEFAULT_MAF_KEY_LIFETIME_MS, mafKeyRegister, mafKeyRetrieve, mafKeyUpdate, mafKeyDeregister, mafRelativeKeyIdOf } from './maf-keys.js'
export type { MafKeyRegistrationRequest, RegisteredMafKey, RetrievedMafKey, MafKeyChanges } from './maf-keys.js'
