// The public surface of src/client: the device-side SDK (enrolment at an MEF, the MEF Client
// and key procedures, the sealed device credential file). Other programs import only this.
export { ClientError } from './errors.js'
export type { ClientErrorCode } from './errors.js'
export { parseMefEndpoint } from './mef-endpoint.js'
export type { MefEndpoint } from './mef-endpoint.js'
export { MefSession, openMefSession, defaultOriginator } from './mef-session.js'
export type { MefCredential, MefSessionOptions, MefRequestOptions, MefResponse } from './mef-session.js'
export { enrol, enrolmentTargetRef } from './enrol.js'
export type { EnrolOptions, EnrolmentResult, EnrolmentTarget } from './enrol.js'
export {
  DEFAULT_REGISTRATION_LIFETIME_MS, registerMefClient, retrieveMefClientConfiguration, updateMefClientRegistration, deregisterMefClient,
  registrationPath,
} from './client-registration.js'
export type {
  MefClientRegistrationRequest, MefClientRegistration, MefClientConfiguration, MefKeyRegistrationConfig, MefClientRegistrationChanges,
} from './client-registration.js'
export {
  DEFAULT_KEY_LIFETIME_MS, SELF_GENERATED_KEY_LENGTH, registerMefKey, retrieveMefKey, updateMefKeyRegistration, deregisterMefKey, relativeKeyIdOf,
} from './key-registration.js'
export type { MefKeyRegistrationRequest, MefKeyRegistration, RegisteredMefKey, RetrievedMefKey, MefKeyRegistrationChanges } from './key-registration.js'
export { DEVICE_KEK_ENV, DEVICE_KEK_FILE_SUFFIX, DEVICE_KEK_LENGTH, deviceKekId, deviceKekPath, loadDeviceKek } from './device-kek.js'
export type { DeviceKek, LoadDeviceKekOptions } from './device-kek.js'
export { CREDENTIAL_FILE_FORMAT, CREDENTIAL_FILE_VERSION, readCredentialFile, writeCredentialFile } from './credential-file.js'
export type { DeviceCredential, DeviceHandshake, StoredMefKey, WriteCredentialOptions } from './credential-file.js'
export { readPrivateFile, writePrivateFile } from './private-file.js'
export { EntityASession, connectEntityA } from './entity-a.js'
export type { AeRegistration, EntityACredential, EntityAOptions, EntityAReconnect, EntityARequest } from './entity-a.js'
export { serveSa2 } from './sa2-server.js'
export type { Sa2Server, Sa2ServerOptions } from './sa2-server.js'
