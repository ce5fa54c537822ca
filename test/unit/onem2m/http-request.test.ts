import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { decodeHttpRequest, encodeHttpRequest } from '../../../src/onem2m/http-request.js'
import type { HttpRequestMessage } from '../../../src/onem2m/http-message.js'
import { DEFAULT_LIMITS } from '../../../src/onem2m/limits.js'
import { OneM2mError } from '../../../src/onem2m/errors.js'
import { WIRE_REQUEST_EXAMPLES } from '../../vectors/wire-examples.js'
import { requestPrimitive } from './primitive-arbitraries.js'

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

function message(overrides: Partial<HttpRequestMessage> & { bodyText?: string } = {}): HttpRequestMessage {
  const { bodyText, ...rest } = overrides
  return {
    method: 'GET',
    path: '/cse-in/ae1',
    headers: { 'X-M2M-Origin': 'Cae1', 'X-M2M-RI': 'r-1', 'X-M2M-RVI': '3' },
    body: bodyText === undefined ? new Uint8Array(0) : utf8(bodyText),
    ...rest,
  }
}

function subset(actual: unknown, expected: unknown, source: string): void {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    for (const [key, value] of Object.entries(expected)) {
      subset((actual as Record<string, unknown>)[key], value, `${source} → ${key}`)
    }
  } else {
    assert.deepEqual(actual, expected, source)
  }
}

test('wire.md, mef-maf-interface.md and TS-0009 request examples decode to the printed parameters', () => {
  assert.ok(WIRE_REQUEST_EXAMPLES.length > 0)
  for (const v of WIRE_REQUEST_EXAMPLES) {
    const { primitive } = decodeHttpRequest({ method: v.method, path: v.path, headers: v.headers, body: utf8(v.body) })
    subset(primitive, v.expected, v.source)
  }
})

test('wire.md §3.7: the decoded AE registration re-encodes to the same method, path and ty', () => {
  const v = WIRE_REQUEST_EXAMPLES[0]
  assert.ok(v !== undefined)
  const { primitive, host } = decodeHttpRequest({ method: v.method, path: v.path, headers: v.headers, body: utf8(v.body) })
  assert.equal(host, 'mn.example.com:8443', v.source)
  const again = encodeHttpRequest(primitive)
  assert.equal(again.method, 'POST', v.source)
  assert.equal(again.path, '/cse-in', v.source)
  assert.equal(again.headers['content-type'], 'application/json;ty=2', v.source)
})

test('every request parameter round-trips primitive → HTTP → primitive (fast-check)', () => {
  fc.assert(fc.property(requestPrimitive, (p) => {
    const http = encodeHttpRequest(p)
    assert.deepEqual(decodeHttpRequest(http).primitive, p)
  }), { numRuns: 400 })
})

test('header names are matched in any case (TS-0009 §5.1)', () => {
  const { primitive } = decodeHttpRequest(message({ headers: { 'x-m2m-origin': 'Cae1', 'X-M2M-ri': 'r-9', 'X-m2m-RVI': '2a' } }))
  assert.equal(primitive.rqi, 'r-9')
  assert.equal(primitive.rvi, '2a')
})

test('POST with ty in Content-Type is CREATE, without it NOTIFY (TS-0009 §6.2.1)', () => {
  const base = { method: 'POST', path: '/cse-in', bodyText: '{"m2m:sgn":{"vrq":true}}' }
  assert.equal(decodeHttpRequest(message({ ...base, headers: { 'X-M2M-Origin': 'Cx', 'X-M2M-RI': 'r', 'Content-Type': 'application/vnd.onem2m-res+json; charset=utf-8; ty=3' } })).primitive.op, 1)
  assert.equal(decodeHttpRequest(message({ ...base, headers: { 'X-M2M-Origin': '/in-cse', 'X-M2M-RI': 'r', 'Content-Type': 'application/json' } })).primitive.op, 5)
})

test('an absent X-M2M-RVI is a Release-1 request and is accepted (wire.md §1.5)', () => {
  const { primitive } = decodeHttpRequest(message({ headers: { 'X-M2M-Origin': 'Cae1', 'X-M2M-RI': 'r-1' } }))
  assert.equal(primitive.rvi, undefined)
})

test('Basic and Bearer Authorization are not read as oneM2M tokens', () => {
  const { primitive } = decodeHttpRequest(message({ headers: { 'X-M2M-Origin': 'C', 'X-M2M-RI': 'r', Authorization: 'Bearer abc.def' } }))
  assert.equal(primitive.tkns, undefined)
})

test('a server mounted under a root path strips it first', () => {
  const { primitive } = decodeHttpRequest(message({ path: '/onem2m/~/in-cse/cse-in' }), { rootPath: '/onem2m' })
  assert.equal(primitive.to, '/in-cse/cse-in')
  assert.throws(() => decodeHttpRequest(message({ path: '/other/x' }), { rootPath: '/onem2m' }), { code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000 })
})

// Each malformed-input class, with the error code and rsc it must produce.
const CREATE_HEADERS = { 'X-M2M-Origin': 'Cae1', 'X-M2M-RI': 'r-1', 'Content-Type': 'application/json;ty=2' }
const MALFORMED: readonly { name: string; input: HttpRequestMessage; code: string; rsc: number; says: RegExp }[] = [
  { name: 'bad JSON', input: message({ method: 'POST', headers: CREATE_HEADERS, bodyText: '{"m2m:ae": ' }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /not valid JSON/ },
  { name: 'body not UTF-8', input: { ...message({ method: 'POST', headers: CREATE_HEADERS }), body: new Uint8Array([0x7b, 0xff, 0x7d]) }, code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /UTF-8/ },
  { name: 'unknown method (no oneM2M op)', input: message({ method: 'PATCH' }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /PATCH/ },
  { name: 'missing X-M2M-RI', input: message({ headers: { 'X-M2M-Origin': 'Cae1' } }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /X-M2M-RI/ },
  { name: 'missing From outside AE registration', input: message({ headers: { 'X-M2M-RI': 'r' } }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /fr is mandatory/ },
  { name: 'missing Content in CREATE', input: message({ method: 'POST', headers: CREATE_HEADERS }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /pc is mandatory/ },
  { name: 'body on DELETE', input: message({ method: 'DELETE', headers: { ...CREATE_HEADERS, 'Content-Type': 'application/json' }, bodyText: '{}' }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /DELETE request carries no body/ },
  { name: 'wrong type (rcn not a number)', input: message({ path: '/cse-in?rcn=all' }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /rcn/ },
  { name: 'out of range (rcn 11)', input: message({ path: '/cse-in?rcn=11' }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /rcn must be an integer in 0..10/ },
  { name: 'repeated single-valued query field', input: message({ path: '/cse-in?rcn=1&rcn=2' }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /more than once/ },
  { name: 'fc in CREATE', input: message({ method: 'POST', path: '/cse-in?lim=3', headers: CREATE_HEADERS, bodyText: '{"m2m:ae":{}}' }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /fc is not allowed in a CREATE/ },
  { name: 'bad timestamp header', input: message({ headers: { 'X-M2M-Origin': 'C', 'X-M2M-RI': 'r', 'X-M2M-OT': '2025-01-01' } }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /ot .* timestamp/ },
  { name: 'bad path form (no leading slash)', input: message({ path: 'cse-in' }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /start with/ },
  { name: 'bad path form (empty segment)', input: message({ path: '/cse-in//ae1' }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /empty path segment/ },
  { name: 'bad path form (/~ names nothing)', input: message({ path: '/~/' }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /names no resource/ },
  { name: 'bad path form (absolute without CSE-ID)', input: message({ path: '/_/sp.example.com' }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /SP-ID and a CSE-ID/ },
  { name: 'bad path form (encoded slash)', input: message({ path: '/cse-in/a%2Fb' }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /encodes/ },
  { name: 'bad percent-encoding', input: message({ path: '/cse-in/a%zz' }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /percent-encoding/ },
  { name: 'bad ty in Content-Type', input: message({ method: 'POST', headers: { ...CREATE_HEADERS, 'Content-Type': 'application/json;ty=ae' }, bodyText: '{}' }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /ty 'ae'/ },
  { name: 'ty on PUT', input: message({ method: 'PUT', headers: CREATE_HEADERS, bodyText: '{}' }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /only on POST/ },
  { name: 'repeated X-M2M-RI', input: message({ headers: { 'X-M2M-Origin': 'C', 'X-M2M-RI': ['a', 'b'] } }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /appears 2 times/ },
  { name: 'atrl outside RETRIEVE', input: message({ method: 'DELETE', path: '/cse-in?atrl=rr' }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /atrl/ },
  { name: 'RTU without rt', input: message({ headers: { 'X-M2M-Origin': 'C', 'X-M2M-RI': 'r', 'X-M2M-RTU': 'http://a/b' } }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /X-M2M-RTU/ },
  { name: 'too deep JSON', input: message({ method: 'POST', headers: CREATE_HEADERS, bodyText: '['.repeat(40) + ']'.repeat(40) }), code: 'M2MSEC_ONEM2M_TOO_LARGE', rsc: 4000, says: /depth/ },
  { name: 'too large body', input: { ...message({ method: 'POST', headers: CREATE_HEADERS }), body: new Uint8Array(DEFAULT_LIMITS.maxBodyBytes + 1) }, code: 'M2MSEC_ONEM2M_TOO_LARGE', rsc: 4000, says: /bytes, limit/ },
  { name: 'too many headers', input: message({ headers: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`x-h${i}`, 'v'])) }), code: 'M2MSEC_ONEM2M_TOO_LARGE', rsc: 4000, says: /header fields/ },
  { name: 'too long header value', input: message({ headers: { 'X-M2M-Origin': 'C', 'X-M2M-RI': 'r'.repeat(9000) } }), code: 'M2MSEC_ONEM2M_TOO_LARGE', rsc: 4000, says: /x-m2m-ri is 9000 characters/ },
  { name: 'too long identifier', input: message({ headers: { 'X-M2M-Origin': 'C'.repeat(1025), 'X-M2M-RI': 'r' } }), code: 'M2MSEC_ONEM2M_TOO_LARGE', rsc: 4000, says: /fr is 1025 characters/ },
  { name: 'too long request target', input: message({ path: '/' + 'a'.repeat(9000) }), code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, says: /request target is 9001 characters/ },
  { name: 'too many query fields', input: message({ path: '/cse-in?' + Array.from({ length: 101 }, (_, i) => `a${i}=1`).join('&') }), code: 'M2MSEC_ONEM2M_TOO_LARGE', rsc: 4000, says: /101 fields/ },
  { name: 'unsupported media type (XML)', input: message({ method: 'POST', headers: { ...CREATE_HEADERS, 'Content-Type': 'application/xml;ty=2' }, bodyText: '<m2m:ae/>' }), code: 'M2MSEC_ONEM2M_UNSUPPORTED_MEDIA_TYPE', rsc: 4015, says: /application\/xml/ },
  { name: 'unsupported charset', input: message({ method: 'POST', headers: { ...CREATE_HEADERS, 'Content-Type': 'application/json;ty=2;charset=latin1' }, bodyText: '{}' }), code: 'M2MSEC_ONEM2M_UNSUPPORTED_MEDIA_TYPE', rsc: 4015, says: /charset/ },
  { name: 'body without Content-Type', input: message({ method: 'PUT', bodyText: '{}' }), code: 'M2MSEC_ONEM2M_UNSUPPORTED_MEDIA_TYPE', rsc: 4015, says: /without Content-Type/ },
  { name: 'no acceptable response type', input: message({ headers: { 'X-M2M-Origin': 'C', 'X-M2M-RI': 'r', Accept: 'application/xml, application/json;q=0' } }), code: 'M2MSEC_ONEM2M_NOT_ACCEPTABLE', rsc: 5207, says: /Accept/ },
  { name: 'unsupported release version', input: message({ headers: { 'X-M2M-Origin': 'C', 'X-M2M-RI': 'r', 'X-M2M-RVI': '9' } }), code: 'M2MSEC_ONEM2M_RELEASE_VERSION_NOT_SUPPORTED', rsc: 4001, says: /'9'/ },
]

for (const c of MALFORMED) {
  test(`malformed input class '${c.name}' → ${c.code} (rsc ${c.rsc})`, () => {
    assert.throws(() => decodeHttpRequest(c.input), (error: unknown) => {
      assert.ok(error instanceof OneM2mError, c.name)
      assert.equal(error.code, c.code, c.name)
      assert.equal(error.rsc, c.rsc, c.name)
      assert.match(error.message, c.says, c.name)
      assert.ok(error.message.length < 200, `${c.name}: message must not echo the input`)
      return true
    })
  })
}

test('a huge malformed value is never echoed whole in the message', () => {
  const path = '/cse-in?' + 'x'.repeat(5000)
  assert.throws(() => decodeHttpRequest(message({ path })), (error: unknown) => error instanceof OneM2mError && error.message.length < 200)
})

test('the encoder refuses what the binding cannot carry', () => {
  const base = { op: 2 as const, to: 'cse-in', fr: 'C', rqi: 'r' }
  assert.throws(() => encodeHttpRequest({ ...base, rt: { rtv: 2, nu: ['http://a/?x&y'] } }), { code: 'M2MSEC_ONEM2M_MALFORMED', kind: 'internal' })
  assert.throws(() => encodeHttpRequest({ ...base, pc: { 'm2m:ae': {} } }), { code: 'M2MSEC_ONEM2M_MALFORMED', kind: 'internal' })
  assert.throws(() => encodeHttpRequest({ ...base, to: '~/x' }), { code: 'M2MSEC_ONEM2M_MALFORMED' })
})
