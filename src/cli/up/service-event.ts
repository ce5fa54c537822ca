/**
 * An operator event of a service (MEF, MAF, gateway, CSE) as the fields `m2msec up` logs: the
 * allowlist of src/cli/observability/event-fields.ts (event type, outcomes, measures, public
 * identifiers, the error's code and message — never its cause, never key bytes; STYLE.md §10).
 * The role files call this before handing an event to RoleContext.onEvent.
 */
import { eventFields } from '../observability/event-fields.js'

export interface ServiceEvent {
  readonly type: string
  readonly error?: unknown
}

export function describeServiceEvent(event: ServiceEvent): Record<string, unknown> {
  return eventFields(event as unknown as Readonly<Record<string, unknown>>)
}
