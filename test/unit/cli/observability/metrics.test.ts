// The process metrics (src/cli/observability/metrics.ts; issue 8 "handshakes by framework and
// outcome, enrolments, key retrievals, MEF/MAF fetches, latencies"): events in, Prometheus text
// out, parsed back and counted; labels stay bounded and free of identifiers; each registry is
// its own (never prom-client's global one).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { register as globalRegistry } from 'prom-client'
import { createProcessMetrics } from '../../../../src/cli/observability/metrics.js'

interface Sample {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

/** The samples of a Prometheus text exposition (format 0.0.4): `name{a="x",…} value`. */
function parse(body: string): Sample[] {
  return body.split('\n').filter((l) => l.length > 0 && !l.startsWith('#')).map((line) => {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    assert.ok(m, `not a sample line: ${line}`)
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!]))
    return { name: m[1]!, labels, value: Number(m[3]) }
  })
}

function value(samples: readonly Sample[], name: string, labels: Readonly<Record<string, string>>): number | undefined {
  return samples.find((s) => s.name === name && Object.keys(labels).length === Object.keys(s.labels).length && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value
}

test('events are counted by role, framework, operation, status and outcome, with their durations', async () => {
  const metrics = createProcessMetrics()
  for (let i = 0; i < 3; i++) metrics.observe({ role: 'mef', type: 'handshake', framework: 'psk', outcome: 'ok', durationMs: 4 })
  metrics.observe({ role: 'gateway', event: 'handshake', framework: 'maf', outcome: 'refused', durationMs: 30 })
  metrics.observe({ role: 'mef', type: 'request', requestId: 'a', op: 1, rsc: 2001, durationMs: 2 })
  metrics.observe({ role: 'mef', type: 'request', requestId: 'b', op: 1, rsc: 2001, durationMs: 8 })
  metrics.observe({ role: 'admin', type: 'request', requestId: 'c', method: 'GET', route: '/enrolees', status: 200, durationMs: 1 })
  metrics.observe({ role: 'mef', type: 'enrolment', outcome: 'ok' })
  metrics.observe({ role: 'mef', type: 'enrolment', outcome: 'refused' })
  metrics.observe({ role: 'maf', type: 'key-retrieval', outcome: 'ok' })
  metrics.observe({ role: 'maf', type: 'key-fetch', server: 'mef', outcome: 'ok', durationMs: 120 })
  metrics.observe({ role: 'gateway', type: 'key-fetch', server: 'maf', outcome: 'failed', durationMs: 5000 })
  metrics.observe({ role: 'mef', type: 'registered', aeId: 'C1' })
  const { contentType, body } = await metrics.render()
  assert.match(contentType, /^text\/plain; version=0\.0\.4/)
  const s = parse(body)
  assert.equal(value(s, 'm2msec_handshakes_total', { role: 'mef', framework: 'psk', outcome: 'ok' }), 3)
  assert.equal(value(s, 'm2msec_handshakes_total', { role: 'gateway', framework: 'maf', outcome: 'refused' }), 1)
  assert.equal(value(s, 'm2msec_handshake_duration_seconds_count', { role: 'mef', framework: 'psk' }), 3)
  assert.equal(value(s, 'm2msec_handshake_duration_seconds_sum', { role: 'mef', framework: 'psk' }), 0.012)
  assert.equal(value(s, 'm2msec_handshake_duration_seconds_bucket', { role: 'gateway', framework: 'maf', le: '0.025' }), 0)
  assert.equal(value(s, 'm2msec_handshake_duration_seconds_bucket', { role: 'gateway', framework: 'maf', le: '0.05' }), 1)
  assert.equal(value(s, 'm2msec_requests_total', { role: 'mef', op: 'create', rsc: '2001' }), 2)
  assert.equal(value(s, 'm2msec_requests_total', { role: 'admin', op: 'get', rsc: '200' }), 1)
  assert.equal(value(s, 'm2msec_request_duration_seconds_sum', { role: 'mef' }), 0.01)
  assert.equal(value(s, 'm2msec_enrolments_total', { outcome: 'ok' }), 1)
  assert.equal(value(s, 'm2msec_enrolments_total', { outcome: 'refused' }), 1)
  assert.equal(value(s, 'm2msec_key_retrievals_total', { role: 'maf', outcome: 'ok' }), 1)
  assert.equal(value(s, 'm2msec_key_fetches_total', { from: 'maf', to: 'mef', outcome: 'ok' }), 1)
  assert.equal(value(s, 'm2msec_key_fetches_total', { from: 'gateway', to: 'maf', outcome: 'failed' }), 1)
  assert.equal(value(s, 'm2msec_key_fetch_duration_seconds_count', { from: 'maf', to: 'mef' }), 1)
  assert.ok(s.some((x) => x.name === 'process_cpu_user_seconds_total'), 'Node default process metrics')
  assert.equal(s.filter((x) => x.name.startsWith('m2msec_')).some((x) => x.labels['aeId'] !== undefined), false)
})

test('each process registry is its own: nothing lands in the global default registry', async () => {
  const a = createProcessMetrics()
  const b = createProcessMetrics()
  a.observe({ role: 'mef', type: 'enrolment', outcome: 'ok' })
  assert.equal(value(parse((await a.render()).body), 'm2msec_enrolments_total', { outcome: 'ok' }), 1)
  assert.equal(value(parse((await b.render()).body), 'm2msec_enrolments_total', { outcome: 'ok' }), undefined)
  assert.equal((await globalRegistry.metrics()).includes('m2msec_'), false)
})

test('identifiers and unexpected values never become label values: they are folded into other', async () => {
  const metrics = createProcessMetrics()
  metrics.observe({ role: '//m2m.example.com/Cdev', type: 'handshake', framework: '0123456789ABCDEF0123456789ABCDEF@mef.example.com', outcome: 'great', durationMs: -1 })
  metrics.observe({ role: 'gateway', type: 'request', op: 99, rsc: 'abc' })
  metrics.observe({ role: 'maf', type: 'key-fetch', server: 'mef.example.com', outcome: 'ok' })
  const s = parse((await metrics.render()).body)
  assert.equal(value(s, 'm2msec_handshakes_total', { role: 'other', framework: 'other', outcome: 'other' }), 1)
  assert.equal(value(s, 'm2msec_handshake_duration_seconds_count', { role: 'other', framework: 'other' }), undefined, 'a negative duration is not observed')
  assert.equal(value(s, 'm2msec_requests_total', { role: 'gateway', op: 'other', rsc: 'none' }), 1)
  assert.equal(value(s, 'm2msec_key_fetches_total', { from: 'maf', to: 'other', outcome: 'ok' }), 1)
})

test('property: whatever strings peers put in events, the m2msec series stay within a bounded set', async () => {
  const metrics = createProcessMetrics()
  fc.assert(fc.property(fc.string(), fc.string(), fc.string(), (role, framework, outcome) => {
    metrics.observe({ role: `x${role}`.slice(0, 30) + '@', type: 'handshake', framework: `${framework}/`, outcome, durationMs: 1 })
  }))
  const series = parse((await metrics.render()).body).filter((x) => x.name === 'm2msec_handshakes_total')
  assert.ok(series.length >= 1 && series.length <= 4, `series: ${JSON.stringify(series)}`)
})
