// The CLI's log lines (src/cli/observability/logger.ts, event-sink.ts; issue 8): one JSON line per
// event with its allowlisted fields, a level that follows the outcome, pino `redact` as a second
// net behind the allowlist, and an unknown level refused as a usage error.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { createEventSink, levelOf } from '../../../../src/cli/observability/event-sink.js'
import { createLogger, parseLogLevel } from '../../../../src/cli/observability/logger.js'
import { createProcessMetrics } from '../../../../src/cli/observability/metrics.js'

const KEY = randomBytes(32)
const KEY_FORMS = [KEY.toString('hex'), KEY.toString('hex').toUpperCase(), KEY.toString('base64'), KEY.toString('base64url')]

function logFile(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-log-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return join(dir, 'sub', 'm2msec.log')
}

function lines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Record<string, unknown>)
}

test('each event is one JSON line with level, time, role, event and requestId; unknown key-like fields never reach it', (t) => {
  const file = logFile(t)
  const sink = createEventSink(createLogger({ level: 'info', file }))
  sink({ role: 'mef', type: 'request', requestId: 'd1b0c6f0-1', op: 1, to: 'mef', rsc: 2001, durationMs: 2.5, kpm: KEY.toString('hex'), exported: KEY })
  sink({ role: 'maf', type: 'handshake', framework: 'psk', outcome: 'refused', reason: 'M2MSEC_TLS_PSK_UNKNOWN_IDENTITY', durationMs: 1, material: KEY.toString('base64') })
  const text = readFileSync(file, 'utf8')
  for (const form of KEY_FORMS) assert.ok(!text.includes(form), 'no key bytes in the log')
  const [request, handshake, ...rest] = lines(file)
  assert.equal(rest.length, 0)
  assert.equal(request?.['level'], 'info')
  assert.match(String(request?.['time']), /^\d{4}-\d\d-\d\dT/)
  assert.deepEqual([request?.['role'], request?.['event'], request?.['requestId'], request?.['rsc']], ['mef', 'request', 'd1b0c6f0-1', 2001])
  assert.equal('kpm' in request!, false)
  assert.deepEqual([handshake?.['level'], handshake?.['role'], handshake?.['outcome']], ['warn', 'maf', 'refused'])
})

test('the level filters lines: at warn an accepted request is not written, a failed one is', (t) => {
  const file = logFile(t)
  const sink = createEventSink(createLogger({ level: 'warn', file }))
  sink({ role: 'cse', type: 'request', requestId: 'a', rsc: 2000, durationMs: 1 })
  sink({ role: 'cse', type: 'request-failed', rsc: 5000, error: new Error('boom') })
  assert.deepEqual(lines(file).map((l) => [l['event'], l['level']]), [['request-failed', 'error']])
})

test('redact is a second net: a key-ish field logged around the allowlist is censored', (t) => {
  const file = logFile(t)
  const logger = createLogger({ file })
  logger.info({ kpsa: KEY.toString('hex'), nested: { key: KEY.toString('base64') }, token: 'admin-token' }, 'direct')
  const [line] = lines(file)
  assert.deepEqual([line?.['kpsa'], (line?.['nested'] as Record<string, unknown>)['key'], line?.['token']], ['[redacted]', '[redacted]', '[redacted]'])
})

test('levels: failures are errors, refusals warnings, the rest info', () => {
  assert.equal(levelOf({ event: 'resolver-failed' }), 'error')
  assert.equal(levelOf({ event: 'handshake-refused' }), 'warn')
  assert.equal(levelOf({ event: 'handshake', outcome: 'failed' }), 'warn')
  assert.equal(levelOf({ event: 'key-fetch', outcome: 'refused' }), 'warn')
  assert.equal(levelOf({ event: 'handshake', outcome: 'ok' }), 'info')
  assert.equal(levelOf({ event: 'registered' }), 'info')
})

test('an unknown log level is a usage error naming the levels', () => {
  assert.equal(parseLogLevel(undefined), 'info')
  assert.equal(parseLogLevel('debug'), 'debug')
  assert.throws(() => parseLogLevel('verbose'), { name: 'UsageError', message: /--log-level must be one of fatal, error, warn, info, debug, trace, silent/ })
  assert.throws(() => createLogger({ level: 'loud' }), { name: 'UsageError' })
})

test('the sink feeds the metrics with the same fields it logs', async (t) => {
  const metrics = createProcessMetrics()
  const sink = createEventSink(createLogger({ level: 'silent', file: logFile(t) }), metrics)
  sink({ role: 'mef', type: 'enrolment', outcome: 'ok', requestId: 'x' })
  const { body } = await metrics.render()
  assert.match(body, /^m2msec_enrolments_total\{outcome="ok"\} 1$/m)
})
