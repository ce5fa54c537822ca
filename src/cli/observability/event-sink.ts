/**
 * Where service events end in the CLI (issue 8): each event becomes one log line of its allowlisted
 * fields (event-fields.ts) at a level that says how much an operator should care, and is counted
 * by the process metrics when there are any. `up` and every `serve` command use this one sink, so
 * a role logs the same lines alone or together with the others.
 */
import type { Logger } from 'pino'
import { eventFields, type EventRecord } from './event-fields.js'
import type { ProcessMetrics } from './metrics.js'

export type EventSink = (event: EventRecord) => void

type Level = 'error' | 'warn' | 'info'

/** Something failed that the operator should look at (the service could not do its job). */
const ERROR_EVENTS = new Set(['request-failed', 'resolver-failed', 'audit-failed'])
/** A peer was turned away or a delivery did not happen: expected now and then, worth seeing. */
const WARN_EVENTS = new Set(['handshake-refused', 'refused', 'sa2-failed', 'notification-failed', 'close-timeout'])

/** The level of one described event. */
export function levelOf(fields: Readonly<Record<string, unknown>>): Level {
  const event = String(fields['event'])
  if (ERROR_EVENTS.has(event)) return 'error'
  if (WARN_EVENTS.has(event)) return 'warn'
  // One line per handshake and key fetch: a refused or failed one is a warning.
  const outcome = fields['outcome']
  if ((event === 'handshake' || event === 'key-fetch' || event === 'key-retrieval' || event === 'enrolment') && outcome !== 'ok') return 'warn'
  return 'info'
}

/** A sink logging every event through `logger` and counting it in `metrics` (if given). */
export function createEventSink(logger: Logger, metrics?: ProcessMetrics): EventSink {
  return (event) => {
    const fields = eventFields(event)
    logger[levelOf(fields)](fields, fields['event'] as string)
    metrics?.observe(fields)
  }
}
