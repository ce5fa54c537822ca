// The public surface of the MAF service (src/services/maf): what the CLI and `m2msec up` start.
export { createMafService } from './service.js'
export type { MafMefConfig, MafService, MafServiceEvent, MafServiceOptions } from './service.js'
export type { MafConfig, MafPeer } from './context.js'
export type { KmFetcher, KmFetchOutcome, MefLinkConfig } from './mef-km-fetch.js'
export { MafError } from './errors.js'
export type { MafErrorCode } from './errors.js'
