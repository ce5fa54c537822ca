import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { fromHex, toHex } from '../../../src/core/bytes.js'
import { SecretBytes } from '../../../src/core/secret.js'
import { unwrapKey, wrapKey } from '../../../src/core/key-wrap.js'
import { RFC3394 } from '../../vectors/rfc3394-key-wrap.js'

const secret = (hex: string): SecretBytes => new SecretBytes(fromHex(hex))

assert.ok(RFC3394.length === 6, 'every §4 vector is listed')
for (const v of RFC3394) {
  test(v.source, () => {
    assert.equal(toHex(wrapKey(secret(v.KEK), secret(v.KeyData))), v.Ciphertext, v.source)
    assert.equal(toHex(unwrapKey(secret(v.KEK), fromHex(v.Ciphertext)).reveal()), v.KeyData, v.source)
    // One flipped bit anywhere — in the integrity block or in the data — fails the check.
    for (const index of [0, 8, fromHex(v.Ciphertext).length - 1]) {
      const bad = fromHex(v.Ciphertext)
      bad[index]! ^= 0x01
      assert.throws(() => unwrapKey(secret(v.KEK), bad), { code: 'M2MSEC_KEYWRAP_INTEGRITY' }, `${v.source}: byte ${index}`)
    }
    const wrongKek = fromHex(v.KEK)
    wrongKek[wrongKek.length - 1]! ^= 0x80
    assert.throws(() => unwrapKey(new SecretBytes(wrongKek), fromHex(v.Ciphertext)), { code: 'M2MSEC_KEYWRAP_INTEGRITY' }, v.source)
  })
}

test('wrap/unwrap round-trips any multiple-of-8 key of 16+ bytes under any KEK size (property)', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(16, 24, 32).chain((kekLength) => fc.uint8Array({ minLength: kekLength, maxLength: kekLength })),
      fc.integer({ min: 2, max: 16 }).chain((blocks) => fc.uint8Array({ minLength: blocks * 8, maxLength: blocks * 8 })),
      (kek, data) => {
        const wrapped = wrapKey(new SecretBytes(kek), new SecretBytes(data))
        assert.equal(wrapped.length, data.length + 8)
        assert.equal(toHex(unwrapKey(new SecretBytes(kek), wrapped).reveal()), toHex(data))
      },
    ),
  )
})

test('seed 004 shape: a 32-byte root credential under a 256-bit KEK wraps to 40 bytes (OQ-23)', () => {
  const kek = new SecretBytes(new Uint8Array(32).fill(7))
  assert.equal(wrapKey(kek, new SecretBytes(new Uint8Array(32).fill(9))).length, 40)
})

test('bad sizes are refused before any cipher runs', () => {
  const kek = secret(RFC3394[5].KEK)
  for (const length of [0, 8, 15, 17, 20]) {
    assert.throws(() => wrapKey(kek, new SecretBytes(new Uint8Array(length))), { code: 'M2MSEC_INPUT_INVALID' }, `key data ${length}`)
  }
  for (const length of [0, 16, 23, 25, 41]) {
    assert.throws(() => unwrapKey(kek, new Uint8Array(length)), { code: 'M2MSEC_INPUT_INVALID' }, `wrapped ${length}`)
  }
  for (const length of [0, 8, 20, 31, 33, 64]) {
    assert.throws(() => wrapKey(new SecretBytes(new Uint8Array(length)), secret(RFC3394[0].KeyData)), { code: 'M2MSEC_KEY_INVALID' }, `KEK ${length}`)
  }
})

test('a truncated wrap fails the integrity check', () => {
  const v = RFC3394[5]
  const truncated = fromHex(v.Ciphertext).slice(0, 32)
  assert.throws(() => unwrapKey(secret(v.KEK), truncated), { code: 'M2MSEC_KEYWRAP_INTEGRITY' })
})

test('the integrity error carries no key material', () => {
  const v = RFC3394[5]
  const bad = fromHex(v.Ciphertext)
  bad[3]! ^= 0xff
  try {
    unwrapKey(secret(v.KEK), bad)
    assert.fail('expected an integrity error')
  } catch (error) {
    const text = `${String(error)} ${JSON.stringify(error)}`.toUpperCase()
    assert.ok(!text.includes(v.KEK.slice(0, 16)) && !text.includes(v.KeyData.slice(0, 16)), text)
  }
})
