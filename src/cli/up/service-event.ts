/**
 * An operator event of a service (MEF, MAF, …) as the fields `m2msec up` prints: the event type,
 * rsc and action when present, and the error's code and message — never its cause, which may
 * hold input, and never key bytes (STYLE.md §10: services' events carry none).
 */
import { M2mSecError } from '../../core/index.js'

export interface ServiceEvent {
  readonly type: string
  readonly error: unknown
  readonly rsc?: number
  readonly action?: string
}

export function describeServiceEvent(event: ServiceEvent): Record<string, unknown> {
  const error = event.error
  const detail = error instanceof M2mSecError
    ? { code: error.code, message: error.message }
    : { message: error instanceof Error ? error.message : 'unknown error' }
  return {
    event: event.type,
    ...(event.rsc === undefined ? {} : { rsc: event.rsc }),
    ...(event.action === undefined ? {} : { action: event.action }),
    ...detail,
  }
}
