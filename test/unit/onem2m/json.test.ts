import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { jsonDepth, parseJsonBody, serializeJson } from '../../../src/onem2m/json.js'
import { DEFAULT_LIMITS } from '../../../src/onem2m/limits.js'

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

test('jsonDepth counts brackets outside strings only', () => {
  assert.equal(jsonDepth(utf8('{"a":[1,{"b":"[[[["}]}')), 3)
  assert.equal(jsonDepth(utf8('"\\"[[["')), 0)
  assert.equal(jsonDepth(utf8('1')), 0)
})

test('bounded parse agrees with JSON.parse within the limits (fast-check)', () => {
  fc.assert(fc.property(fc.json({ maxDepth: 6 }), (text) => {
    assert.deepEqual(parseJsonBody(utf8(text), DEFAULT_LIMITS), JSON.parse(text))
    assert.deepEqual(parseJsonBody(serializeJson(JSON.parse(text)), DEFAULT_LIMITS), JSON.parse(text))
  }), { numRuns: 200 })
})

test('depth and size limits are enforced before parsing; a 100 000-deep body costs no stack', () => {
  const limits = { ...DEFAULT_LIMITS, maxJsonDepth: 3, maxBodyBytes: 16 }
  assert.throws(() => parseJsonBody(utf8('[[[[]]]]'), limits), { code: 'M2MSEC_ONEM2M_TOO_LARGE', message: /depth exceeds 3/ })
  assert.throws(() => parseJsonBody(utf8('"' + 'x'.repeat(20) + '"'), limits), { code: 'M2MSEC_ONEM2M_TOO_LARGE', message: /22 bytes, limit is 16/ })
  const deep = '['.repeat(100000) + ']'.repeat(100000)
  assert.throws(() => parseJsonBody(utf8(deep), DEFAULT_LIMITS), { code: 'M2MSEC_ONEM2M_TOO_LARGE' })
  assert.throws(() => parseJsonBody(utf8('{"a":}'), DEFAULT_LIMITS), { code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000 })
})
