import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { p256 } from '@noble/curves/nist.js'
import { SecretBytes } from '../../../../src/core/secret.js'
import {
  ECCSI_SIGNATURE_LENGTH,
  G_BYTES,
  P,
  Q,
  drawScalar,
  invertModQ,
  isScalarInRange,
  modQ,
  randomScalar,
  readSecretScalar,
  scalarToBytes,
} from '../../../../src/core/eccsi/params.js'
import { toHex } from '../../../../src/core/bytes.js'

test('spec/crypto.md §9.1: P-256 parameters p, q, G and the 129-octet signature length', () => {
  assert.equal(P.toString(16).toUpperCase(), 'FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF')
  assert.equal(Q.toString(16).toUpperCase(), 'FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551')
  assert.equal(
    toHex(G_BYTES),
    '04' +
      '6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296' +
      '4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5',
  )
  assert.equal(ECCSI_SIGNATURE_LENGTH, 129)
})

test('randomScalar stays in [1, q-1]', () => {
  for (let i = 0; i < 64; i++) assert.ok(isScalarInRange(randomScalar()))
})

test('scalar range bounds: 0 and q are out, 1 and q-1 are in', () => {
  assert.equal(isScalarInRange(0n), false)
  assert.equal(isScalarInRange(Q), false)
  assert.equal(isScalarInRange(1n), true)
  assert.equal(isScalarInRange(Q - 1n), true)
})

test('drawScalar refuses an injected scalar outside [1, q-1]', () => {
  for (const bad of [0n, Q, Q + 1n, -1n]) {
    assert.throws(() => drawScalar({ randomScalar: () => bad }), { code: 'M2MSEC_INPUT_INVALID' })
  }
  assert.equal(drawScalar({ randomScalar: () => 7n }), 7n)
})

test('invertModQ agrees with noble Fn.inv and gives x·x⁻¹ ≡ 1 (property)', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 1n, max: Q - 1n }), (x) => {
      const inv = invertModQ(x)
      assert.equal(modQ(x * inv), 1n)
      assert.equal(inv, p256.Point.Fn.inv(x))
    }),
    { numRuns: 200 },
  )
})

test('modQ maps negatives into [0, q)', () => {
  assert.equal(modQ(-1n), Q - 1n)
  assert.equal(modQ(Q), 0n)
})

test('readSecretScalar rejects wrong length, zero and q with the given code', () => {
  const code = 'M2MSEC_KEY_INVALID'
  assert.throws(() => readSecretScalar(new SecretBytes(new Uint8Array(31).fill(1)), 'KSAK', code), { code })
  assert.throws(() => readSecretScalar(new SecretBytes(new Uint8Array(32)), 'KSAK', code), { code })
  assert.throws(() => readSecretScalar(new SecretBytes(scalarToBytes(Q)), 'KSAK', code), { code })
  assert.equal(readSecretScalar(new SecretBytes(scalarToBytes(Q - 1n)), 'KSAK', code), Q - 1n)
})

test('readSecretScalar errors never carry the key bytes', () => {
  const key = new Uint8Array(33).fill(0xab)
  assert.throws(
    () => readSecretScalar(new SecretBytes(key), 'SSK', 'M2MSEC_ECCSI_SSK_INVALID'),
    (error: Error) => !error.message.toUpperCase().includes('ABAB'),
  )
})
