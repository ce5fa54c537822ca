// The public surface of the gateway service (src/services/gateway): what the CLI and `m2msec up` start.
export { createGatewayService } from './service.js'
export type { GatewayConfig, GatewayService, GatewayServiceEvent, GatewayServiceOptions } from './service.js'
export type { GatewayCredential, KeyServerLink } from './key-server-link.js'
export type { UpstreamConfig } from './upstream.js'
export { SAEFS } from './saef/index.js'
export type { SaefName, KcRetriever, KpsaFetcher, KeyFetchOutcome } from './saef/index.js'
export { GatewayError } from './errors.js'
export type { GatewayErrorCode } from './errors.js'
