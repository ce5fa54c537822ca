import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { decodeJson, decodeJsonObject, decodeList, decodeLiteral, encodeJson, encodeList, fromBlob, fromMs, toBlob, toMs } from '../../../src/store/row-codec.js'

test('string lists round-trip through their JSON column', () => {
  fc.assert(fc.property(fc.array(fc.string()), (list) => {
    assert.deepEqual(decodeList(encodeList(list), 'c'), list)
  }))
})

test('JSON objects round-trip', () => {
  fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
    assert.deepEqual(decodeJson(encodeJson(value as never), 'c'), JSON.parse(JSON.stringify(value)))
  }))
})

test('a corrupted column is reported, not repaired', () => {
  for (const bad of ['{', '{"a":1}', '[1]', '["a",null]', 'null']) {
    assert.throws(() => decodeList(bad, 'targets'), { code: 'M2MSEC_STORE_CORRUPT' }, bad)
  }
  for (const bad of ['[]', '1', 'null', '{']) {
    assert.throws(() => decodeJsonObject(bad, 'subject'), { code: 'M2MSEC_STORE_CORRUPT' }, bad)
  }
  assert.throws(() => decodeLiteral('suspended', ['active', 'revoked'], 'status'), { code: 'M2MSEC_STORE_CORRUPT' })
  assert.equal(decodeLiteral('revoked', ['active', 'revoked'], 'status'), 'revoked')
})

test('times round-trip at millisecond precision; an invalid date is refused', () => {
  fc.assert(fc.property(fc.date({ noInvalidDate: true }), (d) => {
    assert.equal(fromMs(toMs(d)).getTime(), d.getTime())
  }))
  assert.equal(fromMs('1767225600000').toISOString(), '2026-01-01T00:00:00.000Z')
  assert.throws(() => toMs(new Date(Number.NaN)), { code: 'M2MSEC_STORE_CORRUPT' })
})

test('blobs keep their bytes without copying through Buffer views', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), (bytes) => {
    assert.deepEqual(fromBlob(toBlob(bytes)), bytes)
  }))
})
