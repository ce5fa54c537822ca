/**
 * The one place that decides which fields of a service event reach a log line or a metric
 * (issue 8 "never a secret"; STYLE.md §10: log serializers are allowlists). A service event is
 * typed and carries no key bytes by rule; this allowlist keeps a field added tomorrow — or a
 * `Uint8Array` passed by mistake — from leaking: only named fields whose value is a string,
 * finite number, boolean or null are copied, and an error becomes its code and operator-safe
 * message, never its cause (which may hold input). pino `redact` (logger.ts) is the second net.
 */
import { M2mSecError } from '../../core/index.js'

/** An event as services report it (`type`) or as the CLI already described it (`event`). */
export type EventRecord = Readonly<Record<string, unknown>>

/**
 * Fields copied when present: outcomes, measures and identifiers the services already treat as
 * public (STYLE.md §10: "Identifiers (KeID, AE-ID) may appear; key bytes, PSKs never").
 */
export const LOGGED_FIELDS = [
  'role', 'requestId', 'rqi', 'op', 'to', 'fr', 'rsc', 'durationMs',
  'framework', 'outcome', 'reason', 'refusal', 'saef', 'identity', 'credentialId', 'aeId', 'server',
  'action', 'target', 'subscription', 'net',
  // Counts: audit records lost to a failed write (gateway audit-failed).
  'lost',
  // The admin role's HTTP requests (method, matched route, status, authenticated operator).
  'method', 'route', 'status', 'actor',
  // up's own lifecycle lines.
  'signal', 'boundMs',
  // An error already described by an earlier pass of this function.
  'code', 'message',
] as const

export type LoggedField = (typeof LOGGED_FIELDS)[number]

/** Strings longer than this are cut: no identifier is that long, and a runaway value cannot flood a line. */
const MAX_STRING = 512

function scalar(value: unknown): string | number | boolean | null | undefined {
  if (value === null || typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value
  return undefined
}

function errorDetail(error: unknown): { code?: string; message: string } {
  if (error instanceof M2mSecError) return { code: error.code, message: error.message }
  return { message: error instanceof Error ? error.message : 'unknown error' }
}

/**
 * The loggable fields of `event`: `event` (its type), every allowlisted scalar field, and the
 * error's code and message. Idempotent: describing a described event changes nothing.
 */
export function eventFields(event: EventRecord): Record<string, string | number | boolean | null> {
  const type = scalar(event['type'] ?? event['event'])
  const fields: Record<string, string | number | boolean | null> = { event: typeof type === 'string' ? type : 'unknown' }
  for (const name of LOGGED_FIELDS) {
    const value = scalar(event[name])
    if (value !== undefined) fields[name] = value
  }
  if ('error' in event) {
    const detail = errorDetail(event['error'])
    if (detail.code !== undefined) fields['code'] = detail.code
    fields['message'] = scalar(detail.message) as string
  }
  return fields
}
