import { test } from 'node:test'
import assert from 'node:assert/strict'
import { formatContentType, negotiateResponseMediaType, parseContentType } from '../../../src/onem2m/content-type.js'

test('wire.md §3.3: Content-Type with ty is parsed tolerantly (spaces, case, order, charset, quotes)', () => {
  assert.deepEqual(parseContentType('application/json;ty=2'), { mediaType: 'application/json', ty: 2 })
  assert.deepEqual(parseContentType('application/vnd.onem2m-res+json; ty=2'), { mediaType: 'application/vnd.onem2m-res+json', ty: 2 })
  assert.deepEqual(parseContentType('Application/JSON ; charset=UTF-8 ; TY="16"'), { mediaType: 'application/json', ty: 16 })
  assert.deepEqual(parseContentType('application/vnd.onem2m-ntfy+json'), { mediaType: 'application/vnd.onem2m-ntfy+json' })
  assert.equal(formatContentType(2), 'application/json;ty=2')
  assert.equal(formatContentType(), 'application/json')
})

test('bad Content-Type: non-JSON → 4015, malformed or bad ty → 4000', () => {
  assert.throws(() => parseContentType('application/xml;ty=2'), { code: 'M2MSEC_ONEM2M_UNSUPPORTED_MEDIA_TYPE', rsc: 4015 })
  assert.throws(() => parseContentType('application/vnd.onem2m-res+cbor;ty=2'), { code: 'M2MSEC_ONEM2M_UNSUPPORTED_MEDIA_TYPE', rsc: 4015 })
  assert.throws(() => parseContentType('application/json;charset=utf-16'), { code: 'M2MSEC_ONEM2M_UNSUPPORTED_MEDIA_TYPE', rsc: 4015 })
  assert.throws(() => parseContentType('json'), { code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000 })
  assert.throws(() => parseContentType('application/json;ty=-1'), { code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000 })
  assert.throws(() => parseContentType('application/json;ty=2;ty=3'), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /repeats/ })
  assert.throws(() => parseContentType('application/json;ty'), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /no value/ })
})

test('Accept negotiation (TS-0009 §6.4.2; none acceptable → 5207, TS-0004 7.3.3.1)', () => {
  assert.equal(negotiateResponseMediaType(undefined), 'application/json')
  assert.equal(negotiateResponseMediaType('*/*'), 'application/json')
  assert.equal(negotiateResponseMediaType('application/xml;q=0.9, application/vnd.onem2m-res+json'), 'application/vnd.onem2m-res+json')
  assert.throws(() => negotiateResponseMediaType('application/xml'), { code: 'M2MSEC_ONEM2M_NOT_ACCEPTABLE', rsc: 5207 })
  assert.throws(() => negotiateResponseMediaType('application/json;q=0'), { code: 'M2MSEC_ONEM2M_NOT_ACCEPTABLE', rsc: 5207 })
})
