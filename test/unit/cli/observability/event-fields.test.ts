// The allowlist between service events and log lines (src/cli/observability/event-fields.ts;
// issue 8 "never a secret", STYLE.md §10): only named scalar fields pass, an error becomes its
// code and message (never its cause), and describing twice changes nothing.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import fc from 'fast-check'
import { SecretBytes } from '../../../../src/core/index.js'
import { TransportError } from '../../../../src/transport/index.js'
import { eventFields, LOGGED_FIELDS } from '../../../../src/cli/observability/event-fields.js'

const KEY = randomBytes(32)
const KEY_FORMS = [KEY.toString('hex'), KEY.toString('hex').toUpperCase(), KEY.toString('base64'), KEY.toString('base64url')]

function assertNoKey(fields: Readonly<Record<string, unknown>>): void {
  const text = JSON.stringify(fields)
  for (const form of KEY_FORMS) assert.ok(!text.includes(form), `key bytes in ${text}`)
}

test('a request event keeps its identifiers, outcome and duration under the event name', () => {
  const fields = eventFields({ type: 'request', requestId: 'r-1', op: 1, to: 'mef', fr: 'Cdev', rqi: 'q1', rsc: 2001, durationMs: 3.5 })
  assert.deepEqual(fields, { event: 'request', requestId: 'r-1', op: 1, to: 'mef', fr: 'Cdev', rqi: 'q1', rsc: 2001, durationMs: 3.5 })
})

test('fields outside the allowlist never pass, whatever they hold', () => {
  const fields = eventFields({
    type: 'handshake', outcome: 'ok', framework: 'psk', durationMs: 1,
    kpsa: KEY.toString('hex'), exported: KEY, blob: KEY.toString('base64'), nested: { key: KEY.toString('base64url') }, secret: new SecretBytes(KEY),
  })
  assert.deepEqual(fields, { event: 'handshake', outcome: 'ok', framework: 'psk', durationMs: 1 })
  assertNoKey(fields)
})

test('an allowlisted field holding bytes, an object or a SecretBytes is dropped: only scalars pass', () => {
  const fields = eventFields({ type: 'request', requestId: KEY, to: { key: KEY.toString('hex') }, fr: new SecretBytes(KEY), rsc: Number.NaN, identity: [KEY.toString('hex')] })
  assert.deepEqual(fields, { event: 'request' })
  assertNoKey(fields)
})

test('an error becomes its code and operator-safe message; its cause never reaches the fields', () => {
  const cause = new Error(`decryption failed for key ${KEY.toString('hex')}`)
  const error = new TransportError('M2MSEC_TLS_RESOLVE_FAILED', 'internal', 'PSK resolver failed', { cause })
  const fields = eventFields({ type: 'resolver-failed', error })
  assert.deepEqual(fields, { event: 'resolver-failed', code: 'M2MSEC_TLS_RESOLVE_FAILED', message: 'PSK resolver failed' })
  assertNoKey(fields)
  assert.deepEqual(eventFields({ type: 'request-failed', rsc: 5000, error: 'not an error' }), { event: 'request-failed', rsc: 5000, message: 'unknown error' })
})

test('a runaway string is cut and an event without a type is named unknown', () => {
  const fields = eventFields({ type: 'request', to: 'x'.repeat(5000) })
  assert.equal(String(fields['to']).length, 513)
  assert.equal(eventFields({ rsc: 2000 })['event'], 'unknown')
  assert.equal(eventFields({ type: 42 })['event'], 'unknown')
})

test('property: only allowlisted names come out, and describing a described event changes nothing', () => {
  const allowed = new Set<string>(['event', ...LOGGED_FIELDS])
  const value = fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant(null), fc.uint8Array(), fc.object())
  fc.assert(fc.property(fc.dictionary(fc.oneof(fc.constantFrom(...LOGGED_FIELDS), fc.string()), value), fc.string(), (record, type) => {
    const fields = eventFields({ ...record, type })
    for (const name of Object.keys(fields)) assert.ok(allowed.has(name), name)
    for (const v of Object.values(fields)) assert.ok(v === null || ['string', 'number', 'boolean'].includes(typeof v))
    assert.deepEqual(eventFields(fields), fields)
  }))
})
