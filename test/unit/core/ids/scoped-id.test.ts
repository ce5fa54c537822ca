import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { parseScopedId } from '../../../../src/core/ids/scoped-id.js'
import { B_TID, KE_ID } from '../../../vectors/onem2m-identifiers.js'

const ID_INVALID = { code: 'M2MSEC_ID_INVALID' }
const ALL = ['hex', 'rel', 'b-tid'] as const

test('crypto.md §3 notes (OQ-2, OQ-34): relative part classified as hex, B-TID or REL', () => {
  assert.deepEqual(parseScopedId(KE_ID[0].KeID.toLowerCase(), 'x', ALL), {
    text: KE_ID[0].KeID, relative: KE_ID[0].RelativeKeID, fqdn: 'mef.example.com', kind: 'hex',
  })
  assert.equal(parseScopedId(B_TID[0].B_TID, 'x', ALL).kind, 'b-tid')
  assert.equal(parseScopedId('My.Key_1-a@X.com', 'x', ALL).text, 'My.Key_1-a@x.com')
  assert.equal(parseScopedId('My.Key_1-a@X.com', 'x', ALL).kind, 'rel')
  // 31 or 33 hex digits are a REL, kept as given
  assert.equal(parseScopedId('abcdef0123456789abcdef012345678@m.com', 'x', ALL).kind, 'rel')
})

test('scoped-id refusals name the identifier and throw M2MSEC_ID_INVALID', () => {
  assert.throws(() => parseScopedId('abc@m.com', 'KeID', ['hex', 'b-tid']), (e: unknown) =>
    e instanceof Error && 'code' in e && e.code === 'M2MSEC_ID_INVALID' && e.message.startsWith('KeID '))
  assert.throws(() => parseScopedId('a+b@m.com', 'Key Identifier', ['hex', 'rel']), ID_INVALID)
  assert.throws(() => parseScopedId('', 'x', ALL), ID_INVALID)
})

test('property: parse is idempotent on its own output', () => {
  fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/), fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,10}\.[A-Za-z]{2,5}$/), (rel, fqdn) => {
    const once = parseScopedId(`${rel}@${fqdn}`, 'x', ALL)
    assert.deepEqual(parseScopedId(once.text, 'x', ALL), once)
  }))
})
