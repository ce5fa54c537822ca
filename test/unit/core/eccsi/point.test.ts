import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { p256 } from '@noble/curves/nist.js'
import { fromHex, i2osp, toHex } from '../../../../src/core/bytes.js'
import { multiplyBase, parsePoint, tryParsePoint } from '../../../../src/core/eccsi/point.js'
import { P, Q } from '../../../../src/core/eccsi/params.js'
import { RFC6507_APPENDIX_A as A, RFC6507_APPENDIX_A_INTERMEDIATES as I } from '../../../vectors/rfc6507-eccsi.js'

test(`${I.source}: J = [j]G computed natively gives Jx = r and Jy`, () => {
  const j = multiplyBase(BigInt('0x' + A.j))
  assert.equal(toHex(j.subarray(1, 33)), I.Jx, I.source)
  assert.equal(toHex(j.subarray(33)), I.Jy, I.source)
  assert.equal(I.Jx, A.r, I.source)
})

test(`${A.source}: KPAK = [KSAK]G and PVT = [v]G natively`, () => {
  assert.equal(toHex(multiplyBase(BigInt('0x' + A.KSAK))), A.KPAK, A.source)
  assert.equal(toHex(multiplyBase(BigInt('0x' + A.v))), A.PVT, A.source)
})

test('multiplyBase (OpenSSL) equals noble [k]G for random k (property)', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 1n, max: Q - 1n }), (k) => {
      assert.equal(toHex(multiplyBase(k)), toHex(p256.Point.BASE.multiply(k).toBytes(false)))
    }),
    { numRuns: 30 },
  )
})

test(`${A.source}: the published PVT parses; altered encodings are refused`, () => {
  const pvt = fromHex(A.PVT)
  assert.ok(tryParsePoint(pvt), A.source)
  const offCurve = pvt.slice()
  offCurve[64]! ^= 0x01
  assert.equal(tryParsePoint(offCurve), undefined, 'flipped y bit')
  const hybrid = pvt.slice()
  hybrid[0] = 0x06
  assert.equal(tryParsePoint(hybrid), undefined, 'prefix 06')
  assert.equal(tryParsePoint(pvt.subarray(0, 64)), undefined, 'truncated')
  const compressed = p256.Point.fromBytes(pvt).toBytes(true)
  assert.equal(tryParsePoint(compressed), undefined, 'compressed form')
  const xTooBig = new Uint8Array(65)
  xTooBig[0] = 0x04
  xTooBig.set(i2osp(P, 32), 1)
  assert.equal(tryParsePoint(xTooBig), undefined, 'x = p')
  const infinity = new Uint8Array(65)
  infinity[0] = 0x04
  assert.equal(tryParsePoint(infinity), undefined, '(0, 0)')
})

test('parsePoint throws M2MSEC_ECCSI_POINT_INVALID naming the input', () => {
  assert.throws(() => parsePoint(new Uint8Array(65), 'KPAK'), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'M2MSEC_ECCSI_POINT_INVALID')
    assert.match(error.message, /KPAK/)
    return true
  })
})
