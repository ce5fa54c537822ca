import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { decodeHttpResponse, encodeHttpResponse } from '../../../src/onem2m/http-response.js'
import { OneM2mError } from '../../../src/onem2m/errors.js'
import { httpStatusForRsc } from '../../../src/onem2m/response-status.js'
import { WIRE_RESPONSE_EXAMPLES } from '../../vectors/wire-examples.js'
import { responsePrimitive, tokenRequestResponse } from './primitive-arbitraries.js'

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

test('wire.md §3.7 and mef-maf-interface.md §4.4 responses decode with rsc, rqi, rvi and Content-Location', () => {
  assert.ok(WIRE_RESPONSE_EXAMPLES.length > 0)
  for (const v of WIRE_RESPONSE_EXAMPLES) {
    const { primitive, createdResourceId } = decodeHttpResponse({ status: v.status, headers: v.headers, body: utf8(v.body) })
    for (const [key, value] of Object.entries(v.expected)) assert.deepEqual((primitive as unknown as Record<string, unknown>)[key], value, `${v.source}: ${key}`)
    assert.deepEqual(primitive.pc, JSON.parse(v.body), v.source)
    assert.equal(createdResourceId, v.createdResourceId, v.source)
    const again = encodeHttpResponse(primitive, { createdResourceId: createdResourceId as string })
    assert.equal(again.status, v.status, v.source)
    assert.equal(again.headers['content-location'], v.headers['Content-Location'], v.source)
  }
})

test('every response parameter except to round-trips response → HTTP → response (fast-check)', () => {
  fc.assert(fc.property(fc.oneof(responsePrimitive, tokenRequestResponse), (p) => {
    const http = encodeHttpResponse(p)
    assert.equal(http.status, httpStatusForRsc(p.rsc))
    assert.equal(http.headers['x-m2m-rsc'], String(p.rsc))
    assert.deepEqual(decodeHttpResponse(http).primitive, p)
  }), { numRuns: 300 })
})

test('Content-Location is derived from an m2m:uri Content on 2001 (TS-0009 §6.4.4)', () => {
  const http = encodeHttpResponse({ rsc: 2001, rqi: 'r', pc: { 'm2m:uri': '/in-cse/cse-in/ae1' } })
  assert.equal(http.headers['content-location'], '/~/in-cse/cse-in/ae1')
  assert.equal(decodeHttpResponse(http).createdResourceId, '/in-cse/cse-in/ae1')
  const absolute = { ...http, headers: { ...http.headers, 'content-location': 'https://mn.example.com:8443/cse-in/ae1' } }
  assert.equal(decodeHttpResponse(absolute).createdResourceId, 'cse-in/ae1')
})

test('a response without X-M2M-RSC or X-M2M-RI is refused, not guessed from the HTTP status', () => {
  assert.throws(() => decodeHttpResponse({ status: 200, headers: { 'X-M2M-RI': 'r' }, body: new Uint8Array(0) }), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /X-M2M-RSC/ })
  assert.throws(() => decodeHttpResponse({ status: 200, headers: { 'X-M2M-RSC': '20000', 'X-M2M-RI': 'r' }, body: new Uint8Array(0) }), { code: 'M2MSEC_ONEM2M_MALFORMED' })
  assert.throws(() => decodeHttpResponse({ status: 200, headers: { 'X-M2M-RSC': '2000' }, body: new Uint8Array(0) }), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /X-M2M-RI/ })
  assert.throws(() => decodeHttpResponse({ status: 200, headers: { 'X-M2M-RSC': '2000', 'X-M2M-RI': 'r' }, body: utf8('{}') }), { code: 'M2MSEC_ONEM2M_UNSUPPORTED_MEDIA_TYPE', rsc: 4015 })
})

test('Content and tqf together cannot be encoded (TS-0009 §6.5: tqf responses carry no other content)', () => {
  assert.throws(() => encodeHttpResponse({ rsc: 4103, rqi: 'r', pc: {}, tqf: { dasi: [] } }), (e: unknown) => e instanceof OneM2mError && e.kind === 'internal')
})
