import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { readRequestPrimitive, readResponsePrimitive, writeRequestPrimitive, writeResponsePrimitive } from '../../../src/onem2m/primitive-json.js'
import { DEFAULT_LIMITS } from '../../../src/onem2m/limits.js'
import { PRIMITIVE_PARAMETER_NAMES } from '../../../src/onem2m/short-names.js'
import type { JsonValue } from '../../../src/onem2m/json.js'
import { requestPrimitive, responsePrimitive, tokenRequestResponse } from './primitive-arbitraries.js'

const SHORT = new Set(Object.values(PRIMITIVE_PARAMETER_NAMES))
const LONG_BY_SHORT = new Map(Object.entries(PRIMITIVE_PARAMETER_NAMES).map(([l, s]) => [s, l]))

test('JSON primitives round-trip and the writer emits short names only (TS-0004 §8.2.2)', () => {
  fc.assert(fc.property(requestPrimitive, (p) => {
    const json = writeRequestPrimitive(p)
    for (const key of Object.keys(json)) assert.ok(SHORT.has(key), key)
    assert.deepEqual(readRequestPrimitive(JSON.parse(JSON.stringify(json)) as JsonValue, DEFAULT_LIMITS), p)
  }), { numRuns: 200 })
  fc.assert(fc.property(fc.oneof(responsePrimitive, tokenRequestResponse), (p) => {
    const json = writeResponsePrimitive(p)
    for (const key of Object.keys(json)) assert.ok(SHORT.has(key), key)
    assert.deepEqual(readResponsePrimitive(JSON.parse(JSON.stringify(json)) as JsonValue, DEFAULT_LIMITS), p)
  }), { numRuns: 200 })
})

test('the reader accepts the XSD long names of Table 8.2.2-1 for every parameter', () => {
  fc.assert(fc.property(requestPrimitive, (p) => {
    const long = Object.fromEntries(Object.entries(writeRequestPrimitive(p)).map(([k, v]) => [LONG_BY_SHORT.get(k) ?? k, v]))
    assert.deepEqual(readRequestPrimitive(long as JsonValue, DEFAULT_LIMITS), p)
  }), { numRuns: 100 })
})

test('long filter-criteria and responseType member names are read too', () => {
  const p = readRequestPrimitive({
    operation: 2, to: 'cse-in', from: 'Cae1', requestIdentifier: 'r', releaseVersionIndicator: '3',
    responseType: { responseTypeValue: 2, notificationURI: ['http://a/b'] },
    filterCriteria: { filterUsage: 1, resourceType: [2, 16], labels: ['a'], attribute: [{ name: 'rn', value: 'x' }] },
  }, DEFAULT_LIMITS)
  assert.deepEqual(p.rt, { rtv: 2, nu: ['http://a/b'] })
  assert.deepEqual(p.fc, { fu: 1, ty: [2, 16], lbl: ['a'], atr: [{ nm: 'rn', val: 'x' }] })
})

test('a parameter given under both its long and short name is refused', () => {
  assert.throws(() => readRequestPrimitive({ op: 2, operation: 2, to: 'x', fr: 'C', rqi: 'r' }, DEFAULT_LIMITS), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /twice/ })
})

test('wrong JSON types and missing mandatory parameters are 4000 with the parameter named', () => {
  const cases: [JsonValue, RegExp][] = [
    [{ op: '2', to: 'x', fr: 'C', rqi: 'r' }, /op must be an integer/],
    [{ op: 9, to: 'x', fr: 'C', rqi: 'r' }, /op must be an integer in 1..5/],
    [{ op: 2, fr: 'C', rqi: 'r' }, /mandatory/],
    [{ op: 2, to: 'x', fr: 'C', rqi: 'r', rcn: 'a' }, /rcn must be an integer/],
    [{ op: 2, to: 'x', fr: 'C', rqi: 'r', da: 'yes' }, /da must be a boolean/],
    [{ op: 2, to: 'x', fr: 'C', rqi: 'r', rids: [1] }, /rids must be a list of strings/],
    [{ op: 1, to: 'x', fr: 'C', rqi: 'r', pc: {} }, /ty is mandatory in a CREATE/],
    [{ op: 4, to: 'x', fr: 'C', rqi: 'r', pc: {} }, /pc is not allowed in a DELETE/],
    [[1, 2], /JSON object/],
    [{ op: 4, to: 'x#rr', fr: 'C', rqi: 'r' }, /#attribute in to is allowed only in a RETRIEVE/],
  ]
  for (const [input, says] of cases) {
    assert.throws(() => readRequestPrimitive(input, DEFAULT_LIMITS), { code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, message: says }, String(says))
  }
})

test('the writer refuses a long name that slipped into a primitive', () => {
  const bad = { op: 2, to: 'x', fr: 'C', rqi: 'r', requestIdentifier: 'r' } as unknown as Parameters<typeof writeRequestPrimitive>[0]
  assert.throws(() => writeRequestPrimitive(bad), { code: 'M2MSEC_ONEM2M_MALFORMED', kind: 'internal' })
})
