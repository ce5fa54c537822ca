// The public surface of the reference CSE (src/services/cse): what the CLI and `m2msec up` start.
export { createCseService } from './service.js'
export type { CseService, CseServiceOptions } from './service.js'
export type { CseConfig, CseConfigInput } from './config.js'
export type { CseServiceEvent, NotificationSender } from './context.js'
export { CseError } from './errors.js'
export type { CseErrorCode } from './errors.js'
