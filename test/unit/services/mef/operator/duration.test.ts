// Enrolment Expiry / key lifetime durations (frameworks.md §10.1, OQ-28).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { formatDuration, parseDuration } from '../../../../../src/services/mef/operator/duration.js'

test('unit and ISO 8601 durations give milliseconds', () => {
  const cases: [string, number][] = [
    ['90s', 90_000], ['45m', 2_700_000], ['24h', 86_400_000], ['30d', 2_592_000_000], ['2w', 1_209_600_000],
    ['PT24H', 86_400_000], ['P30D', 2_592_000_000], ['P1DT12H', 129_600_000], ['PT90M', 5_400_000], ['P1W', 604_800_000], ['PT1S', 1000],
  ]
  for (const [text, ms] of cases) assert.equal(parseDuration(text, 'f'), ms, text)
})

test('bad durations are M2MSEC_ENROLEE_INVALID naming the field', () => {
  for (const text of ['', '30', '0d', '-1d', '1y', 'P1Y', 'P1M', 'P', 'PT', 'P1DT', '1.5h', '30 d', 'PT0S', '3651d', 'abc']) {
    assert.throws(() => parseDuration(text, 'enrolmentExpiry'), { code: 'M2MSEC_ENROLEE_INVALID', field: 'enrolmentExpiry' }, text)
  }
})

test('property: formatDuration round-trips through parseDuration', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 315_360_000 }), (seconds) => {
    assert.equal(parseDuration(formatDuration(seconds * 1000), 'f'), seconds * 1000)
  }))
})
