import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { formatTimestamp, isAbsRelTimestamp, isTimestamp, parseTimestamp } from '../../../src/onem2m/timestamp.js'

test('wire.md §4: m2m:timestamp forms, with , or . fractions', () => {
  assert.equal(parseTimestamp('20250101T120000,123456')?.toISOString(), '2025-01-01T12:00:00.123Z')
  assert.equal(parseTimestamp('20250101T120000.5')?.toISOString(), '2025-01-01T12:00:00.500Z')
  assert.equal(isTimestamp('20250101T120000'), true)
  for (const bad of ['2025-01-01T12:00:00', '20250231T000000', '20250101T240000', '20250101T120000,1234567', '20250101T120000Z']) {
    assert.equal(isTimestamp(bad), false, bad)
  }
  assert.equal(isAbsRelTimestamp('-5000'), true)
  assert.equal(isAbsRelTimestamp('5s'), false)
})

test('format → parse is the identity to the millisecond (fast-check)', () => {
  fc.assert(fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
    assert.equal(parseTimestamp(formatTimestamp(d, true))?.getTime(), d.getTime())
    assert.equal(parseTimestamp(formatTimestamp(d))?.getTime(), Math.floor(d.getTime() / 1000) * 1000)
  }))
})
