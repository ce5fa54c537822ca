// The public surface of the MEF service (src/services/mef): what the CLI and `m2msec up` start.
export { createMefService } from './service.js'
export type { MefService, MefServiceEvent, MefServiceOptions } from './service.js'
export type { MefTargetConfig } from './peer-resolution.js'
export type { MefConfig, MefPeer } from './context.js'
export { MefError } from './errors.js'
export type { MefErrorCode } from './errors.js'
