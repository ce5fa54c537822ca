/**
 * Prometheus metrics of one process (issue 8: "handshakes by framework and outcome, enrolments,
 * key retrievals, MEF/MAF fetches, latencies"), fed by the same service events as the log
 * (event-sink.ts) and served by the admin role at /metrics through `render()`.
 *
 * One Registry per process, created by the CLI — never prom-client's global default registry, so
 * tests can build as many as they like and nothing registers behind our back (D-162).
 * Labels carry no identifiers (no AE-ID, KeID, Credential-ID, request id): every label value is
 * a role name, a framework, an outcome, an operation or a status code, and anything else that
 * ever arrives becomes `other` — the series count stays bounded whatever peers send (D-163).
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { EventRecord } from './event-fields.js'

export interface MetricsText {
  readonly contentType: string
  readonly body: string
}

export interface ProcessMetrics {
  /** Counts what `event` (already through event-fields.ts or a raw service event) tells. */
  observe(event: EventRecord): void
  /** The Prometheus text exposition of every metric. */
  render(): Promise<MetricsText>
}

/** Seconds: a loopback handshake takes milliseconds, a MEF fetch over a WAN up to seconds. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/** oneM2M operations (TS-0004 §6.3.4.2.5) by number: a label of names, not numbers. */
const OPERATION_NAMES: Readonly<Record<number, string>> = { 1: 'create', 2: 'retrieve', 3: 'update', 4: 'delete', 5: 'notify' }
const OUTCOMES = new Set(['ok', 'refused', 'failed'])
/** A bounded label value: a short token; identifiers (with @, /, long hex) do not pass. */
const TOKEN_RE = /^[a-z][a-z0-9_-]{0,23}$/

function token(value: unknown): string {
  return typeof value === 'string' && TOKEN_RE.test(value) ? value : 'other'
}

function outcome(value: unknown): string {
  return typeof value === 'string' && OUTCOMES.has(value) ? value : 'other'
}

/** A status code as a label: oneM2M rsc (2000…6999) or HTTP status (100…599). */
function code(value: unknown): string {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 6999 ? String(value) : 'none'
}

function operation(event: EventRecord): string {
  const op = event['op']
  if (typeof op === 'number') return OPERATION_NAMES[op] ?? 'other'
  return typeof event['method'] === 'string' ? token(event['method'].toLowerCase()) : 'other'
}

function seconds(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value / 1000 : undefined
}

function build(registry: Registry) {
  const registers = [registry]
  return {
    handshakes: new Counter({ name: 'm2msec_handshakes_total', help: 'TLS handshakes by framework (SAEF/RSPF) and outcome', labelNames: ['role', 'framework', 'outcome'] as const, registers }),
    handshakeSeconds: new Histogram({ name: 'm2msec_handshake_duration_seconds', help: 'TLS handshake duration, key look-ups included', labelNames: ['role', 'framework'] as const, buckets: DURATION_BUCKETS, registers }),
    requests: new Counter({ name: 'm2msec_requests_total', help: 'Requests answered, by operation and response status code', labelNames: ['role', 'op', 'rsc'] as const, registers }),
    requestSeconds: new Histogram({ name: 'm2msec_request_duration_seconds', help: 'Time to answer one request', labelNames: ['role'] as const, buckets: DURATION_BUCKETS, registers }),
    enrolments: new Counter({ name: 'm2msec_enrolments_total', help: 'MEF enrolments (a new Ke/KeID) by outcome', labelNames: ['outcome'] as const, registers }),
    keyRetrievals: new Counter({ name: 'm2msec_key_retrievals_total', help: 'MEF and MAF Key Retrievals by outcome', labelNames: ['role', 'outcome'] as const, registers }),
    keyFetches: new Counter({ name: 'm2msec_key_fetches_total', help: 'Keys fetched from another role (Kpsa and Km from the MEF, Kc from the MAF)', labelNames: ['from', 'to', 'outcome'] as const, registers }),
    keyFetchSeconds: new Histogram({ name: 'm2msec_key_fetch_duration_seconds', help: 'Time to fetch one key from another role', labelNames: ['from', 'to'] as const, buckets: DURATION_BUCKETS, registers }),
  }
}

/** A fresh registry with the m2msec metrics and Node's default process metrics. */
export function createProcessMetrics(): ProcessMetrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const m = build(registry)
  const observe = (event: EventRecord): void => {
    const role = token(event['role'])
    const duration = seconds(event['durationMs'])
    switch (event['type'] ?? event['event']) {
      case 'handshake': {
        const framework = token(event['framework'])
        m.handshakes.inc({ role, framework, outcome: outcome(event['outcome']) })
        if (duration !== undefined) m.handshakeSeconds.observe({ role, framework }, duration)
        return
      }
      case 'request':
        m.requests.inc({ role, op: operation(event), rsc: code(event['rsc'] ?? event['status']) })
        if (duration !== undefined) m.requestSeconds.observe({ role }, duration)
        return
      case 'enrolment':
        m.enrolments.inc({ outcome: outcome(event['outcome']) })
        return
      case 'key-retrieval':
        m.keyRetrievals.inc({ role, outcome: outcome(event['outcome']) })
        return
      case 'key-fetch': {
        const labels = { from: role, to: token(event['server']) }
        m.keyFetches.inc({ ...labels, outcome: outcome(event['outcome']) })
        if (duration !== undefined) m.keyFetchSeconds.observe(labels, duration)
        return
      }
      default:
    }
  }
  return {
    observe,
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  }
}
