// Kpm acceptance for `enrolee add` / `import` (frameworks.md §10.1–10.2: the PPSK RSPF psk).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { SecretBytes } from '../../../../../src/core/index.js'
import { kpmWeakness, parseKpm } from '../../../../../src/services/mef/operator/kpm.js'

const GOOD = '8f3a19c2d47e0b6a5c91e2f4037d8b6a'

test('a random 16-byte Kpm is accepted as hex, hex: prefix, base64 and base64url', () => {
  const bytes = Buffer.from(GOOD, 'hex')
  for (const text of [GOOD, GOOD.toUpperCase(), `hex:${GOOD}`, bytes.toString('base64'), `base64:${bytes.toString('base64')}`, bytes.toString('base64url')]) {
    assert.deepEqual(Buffer.from(parseKpm(text).reveal()), bytes, text.length.toString())
  }
})

test('weak or malformed keys are refused with M2MSEC_ENROLEE_KPM_WEAK and no key text in the message', () => {
  const cases = [
    'ab'.repeat(16),                              // one byte repeated
    '0102'.repeat(8),                             // 2-byte pattern
    '000102030405060708090a0b0c0d0e0f',           // counting sequence
    Buffer.from('correct horse battery staple').toString('hex'), // text
    GOOD.slice(0, 30),                            // 15 bytes
    GOOD.repeat(5),                               // 80 bytes > 64
    'zz'.repeat(16),                              // not hex, not base64 alphabet
    `hex:${GOOD.slice(1)}`,                       // odd hex
    '',
    '0a1b0a1b0a1b2c2c0a1b0a1b0a1b2c2c',           // < 8 distinct values (period 8)
  ]
  for (const text of cases) {
    assert.throws(() => parseKpm(text), (e: Error & { code?: string; field?: string }) => {
      assert.equal(e.code, 'M2MSEC_ENROLEE_KPM_WEAK', text)
      assert.equal(e.field, 'kpm')
      if (text.length >= 8) assert.ok(!e.message.includes(text), 'message holds the key')
      return true
    })
  }
})

test('bytes given as SecretBytes are checked the same way', () => {
  assert.throws(() => parseKpm(new SecretBytes(new Uint8Array(16))), { code: 'M2MSEC_ENROLEE_KPM_WEAK' })
  assert.equal(parseKpm(new SecretBytes(Buffer.from(GOOD, 'hex'))).length, 16)
})

test('property: random 16–64 byte keys are accepted in both encodings and decode to themselves', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 64 }), (bytes) => {
    fc.pre(kpmWeakness(bytes) === undefined)
    const hex = Buffer.from(bytes).toString('hex')
    assert.deepEqual(Buffer.from(parseKpm(hex).reveal()), Buffer.from(bytes))
    assert.deepEqual(Buffer.from(parseKpm(`base64:${Buffer.from(bytes).toString('base64')}`).reveal()), Buffer.from(bytes))
  }))
  // fc.pre must not hide a broken check: random keys are almost never weak.
  let weak = 0
  for (let i = 0; i < 1000; i++) if (kpmWeakness(new Uint8Array(Buffer.from(crypto.getRandomValues(new Uint8Array(16))))) !== undefined) weak++
  assert.equal(weak, 0)
})
