import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { assertLength, concatBytes, fromHex, i2osp, os2ip, toBase64Url, toHex, utf8Nfkc } from '../../../src/core/bytes.js'

test('hex round-trips, is emitted upper-case and accepted in either case (OQ-2)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      const hex = toHex(bytes)
      assert.equal(hex, hex.toUpperCase())
      assert.deepEqual(fromHex(hex), bytes)
      assert.deepEqual(fromHex(hex.toLowerCase()), bytes)
    }),
  )
})

test('malformed hex is rejected with M2MSEC_INPUT_INVALID', () => {
  for (const bad of ['0', 'ABC', 'GG', '0x00', '00 11', 'zz', '１２']) {
    assert.throws(() => fromHex(bad), { code: 'M2MSEC_INPUT_INVALID' }, bad)
  }
})

test('I2OSP/OS2IP round-trip and refuse values that do not fit', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), (value) => {
      assert.equal(os2ip(i2osp(value, 32)), value)
    }),
  )
  assert.throws(() => i2osp(256n, 1), { code: 'M2MSEC_INPUT_INVALID' })
  assert.throws(() => i2osp(-1n, 4), { code: 'M2MSEC_INPUT_INVALID' })
  assert.equal(toHex(i2osp(0x0102n, 4)), '00000102')
})

test('base64url has no padding and uses the URL alphabet (RFC 4648 §5)', () => {
  assert.equal(toBase64Url(Uint8Array.of(0xfb, 0xff)), '-_8')
})

test('concat, NFKC and length checks', () => {
  assert.deepEqual(concatBytes(Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3)), Uint8Array.of(1, 2, 3))
  assert.equal(Buffer.from(utf8Nfkc('\uFB01')).toString('utf8'), 'fi')
  assert.throws(() => assertLength(new Uint8Array(3), 4, 'x'), { code: 'M2MSEC_INPUT_INVALID', message: 'x must be 4 bytes (got 3)' })
  assert.throws(() => assertLength(new Uint8Array(3), 4, 'k', true), { code: 'M2MSEC_KEY_INVALID' })
})
