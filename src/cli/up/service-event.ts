/**
 * An operator event of a service (MEF, MAF, gateway, CSE) as the fields `m2msec up` prints: the
 * event type, an allowlist of identifier fields (rsc, action, reason, identifiers the service
 * already treats as public), and the error's code and message — never its cause, which may hold
 * input, and never key bytes (STYLE.md §10: services' events carry none; the allowlist keeps a
 * future field from leaking by accident).
 */
import { M2mSecError } from '../../core/index.js'

export interface ServiceEvent {
  readonly type: string
  readonly error?: unknown
}

/** Fields copied when present: identifiers and outcomes, no content, no key material. */
const PRINTED_FIELDS = ['rsc', 'action', 'reason', 'saef', 'identity', 'credentialId', 'aeId', 'fr', 'to', 'target', 'subscription', 'net'] as const

function errorDetail(error: unknown): Record<string, unknown> {
  if (error instanceof M2mSecError) return { code: error.code, message: error.message }
  return { message: error instanceof Error ? error.message : 'unknown error' }
}

export function describeServiceEvent(event: ServiceEvent): Record<string, unknown> {
  const fields: Record<string, unknown> = { event: event.type }
  const source = event as unknown as Readonly<Record<string, unknown>>
  for (const name of PRINTED_FIELDS) if (source[name] !== undefined) fields[name] = source[name]
  return 'error' in event ? { ...fields, ...errorDetail(event.error) } : fields
}
