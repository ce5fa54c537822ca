import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SecretBytes } from '../../../src/core/secret.js'
import { readIbcCredRequest, readIbcCredResponse, writeIbcCredRequest, writeIbcCredResponse } from '../../../src/onem2m/ibc-credential.js'

test('mef-maf-interface.md §6a: requests hold exactly one of eid and id1', () => {
  assert.deepEqual(readIbcCredRequest(writeIbcCredRequest({ eid: '//sp.example.com/S1' })), { eid: '//sp.example.com/S1' })
  assert.deepEqual(readIbcCredRequest(writeIbcCredRequest({ id1: 'mef.example.com@AB@20250101T000000' })), { id1: 'mef.example.com@AB@20250101T000000' })
  assert.throws(() => readIbcCredRequest({ 'sec:ibcc': {} }), { code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, message: /exactly one/ })
  assert.throws(() => readIbcCredRequest({ 'sec:ibcc': { eid: 'a', id1: 'b' } }), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /exactly one/ })
  assert.throws(() => readIbcCredRequest({ 'sec:ibcc': { eid: 'a', ssk: '00' } }), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /ssk is not allowed/ })
})

test('mef-maf-interface.md §6a: responses are upper-case hex; SSK comes back as SecretBytes; lengths are checked', () => {
  const point = new Uint8Array(65).fill(0xab)
  point[0] = 0x04
  const ssk = new Uint8Array(32).fill(0x11)
  const json = writeIbcCredResponse({ id2: 'mef.example.com@41@20250101T000000', ssk: new SecretBytes(ssk), pvt: point, kpak: point })
  const body = json['sec:ibcc'] as Record<string, string>
  assert.equal(body['pvt'], '04' + 'AB'.repeat(64))
  const back = readIbcCredResponse(json)
  assert.deepEqual(back.ssk.reveal(), ssk)
  assert.deepEqual(back.pvt, point)
  assert.throws(() => readIbcCredResponse({ 'sec:ibcc': { ...body, ssk: '11'.repeat(31) } }), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /ssk must be 64 hex digits/ })
  assert.throws(() => readIbcCredResponse({ 'sec:ibcc': { ...body, kpak: 'ZZ'.repeat(65) } }), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /kpak must be 130 hex digits/ })
})
