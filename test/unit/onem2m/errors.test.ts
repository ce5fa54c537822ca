import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CoreError, M2mSecError } from '../../../src/core/errors.js'
import type { ErrorKind } from '../../../src/core/errors.js'
import { OneM2mError, debugTextForError, kindForRsc, refused, rscForError, RSC_BY_KIND } from '../../../src/onem2m/errors.js'
import { errorResponse, requestContextOf } from '../../../src/onem2m/error-response.js'
import { RSC } from '../../../src/onem2m/response-status.js'

test('STYLE.md §4: each error kind maps to its default rsc (TS-0004 §6.6.3 names)', () => {
  const expected: Record<ErrorKind, number> = {
    'bad-input': RSC.BAD_REQUEST, unauthenticated: RSC.ORIGINATOR_NOT_AUTHENTICATED, forbidden: RSC.ORIGINATOR_HAS_NO_PRIVILEGE,
    'not-found': RSC.NOT_FOUND, conflict: RSC.CONFLICT, unavailable: RSC.INTERNAL_SERVER_ERROR, internal: RSC.INTERNAL_SERVER_ERROR,
  }
  assert.deepEqual(RSC_BY_KIND, expected)
  for (const [kind, rsc] of Object.entries(expected)) {
    assert.equal(rscForError(new M2mSecError('M2MSEC_X', kind as ErrorKind, 'm')), rsc, kind)
  }
  assert.equal(rscForError(new CoreError('M2MSEC_ID_INVALID', 'bad-input', 'm')), 4000)
})

test('a per-code override beats the kind default; a OneM2mError keeps its own rsc', () => {
  const e = new M2mSecError('M2MSEC_MAF_KEY_UNKNOWN', 'not-found', 'm')
  assert.equal(rscForError(e, { M2MSEC_MAF_KEY_UNKNOWN: 4103 }), 4103)
  assert.equal(rscForError(new OneM2mError('M2MSEC_ONEM2M_MALFORMED', 'bad-input', 'm', { rsc: 4108 })), 4108)
  assert.equal(rscForError(new Error('plain')), 5000)
  assert.equal(rscForError('string'), 5000)
})

test('refused() carries the exact rsc and a matching kind', () => {
  const cases: [number, ErrorKind][] = [[4107, 'unauthenticated'], [4106, 'unauthenticated'], [4103, 'forbidden'], [4126, 'forbidden'], [4004, 'not-found'], [4117, 'conflict'], [4005, 'bad-input'], [5001, 'internal']]
  for (const [rsc, kind] of cases) {
    const e = refused(rsc, 'no')
    assert.equal(e.code, 'M2MSEC_ONEM2M_REFUSED')
    assert.equal(e.rsc, rsc)
    assert.equal(e.kind, kind, String(rsc))
    assert.equal(kindForRsc(rsc), kind)
  }
})

test('error responses echo rqi/rvi and carry m2m:dbg; authentication and internal failures say nothing specific', () => {
  const r = errorResponse(new OneM2mError('M2MSEC_ONEM2M_MALFORMED', 'bad-input', 'rcn must be an integer'), { rqi: 'q1', rvi: '2a' })
  assert.deepEqual(r, { rsc: 4000, rqi: 'q1', rvi: '2a', pc: { 'm2m:dbg': 'rcn must be an integer' } })
  assert.equal(debugTextForError(new M2mSecError('M2MSEC_SAEF_UNKNOWN', 'unauthenticated', 'identity dev-1 unknown')), 'originator not authenticated')
  assert.equal(debugTextForError(new M2mSecError('M2MSEC_STORE_DOWN', 'internal', 'db at 10.0.0.1 down')), 'internal error')
  assert.equal(debugTextForError(new Error('secret path')), 'internal error')
  // Release 1 requester: no rvi in the answer; unsupported rvi: ours.
  assert.equal(errorResponse(new Error('x'), { rqi: 'q' }).rvi, undefined)
  assert.equal(errorResponse(new OneM2mError('M2MSEC_ONEM2M_RELEASE_VERSION_NOT_SUPPORTED', 'bad-input', 'm'), { rqi: 'q', rvi: '9' }).rvi, '3')
})

test('requestContextOf reads rqi/rvi from raw headers without throwing on junk', () => {
  assert.deepEqual(requestContextOf({ headers: { 'x-M2M-ri': 'abc', 'X-M2M-RVI': '3' } }), { rqi: 'abc', rvi: '3' })
  assert.deepEqual(requestContextOf({ headers: { 'X-M2M-RI': ['a', 'b'], 'X-M2M-RVI': 'x'.repeat(2000) } }), {})
})
