/**
 * The coded errors of `m2msec demo` (STYLE.md §4): the demo cannot start (no running `up`), a
 * step ran out of time or found missing what it needs, or the notification never arrived over SA2. Messages name identifiers
 * and durations only.
 */
import { M2mSecError } from '../../core/index.js'

export type DemoErrorCode =
  | 'M2MSEC_DEMO_UNAVAILABLE'
  | 'M2MSEC_DEMO_STEP_TIMEOUT'
  | 'M2MSEC_DEMO_NO_NOTIFICATION'
  | 'M2MSEC_DEMO_STEP_FAILED'

export class DemoError extends M2mSecError<DemoErrorCode> {}
