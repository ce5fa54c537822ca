import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fromHex, toHex } from '../../../../src/core/bytes.js'
import { eccsiPublicKey } from '../../../../src/core/eccsi/identity-public-key.js'
import { multiplyBase } from '../../../../src/core/eccsi/point.js'
import { RFC6507_APPENDIX_A as A, RFC6507_APPENDIX_A_INTERMEDIATES as I } from '../../../vectors/rfc6507-eccsi.js'

test(`${I.source}: Y = KPAK + [HS]PVT, equal to [SSK]G`, () => {
  const y = eccsiPublicKey(fromHex(A.KPAK), fromHex(A.ID), fromHex(A.PVT))
  assert.equal(toHex(y), I.Y, I.source)
  assert.equal(toHex(multiplyBase(BigInt('0x' + A.SSK))), I.Y, I.source)
})

test(`${A.source}: eccsiPublicKey refuses a PVT off the curve with M2MSEC_ECCSI_POINT_INVALID`, () => {
  const pvt = fromHex(A.PVT)
  pvt[1]! ^= 0x80
  assert.throws(() => eccsiPublicKey(fromHex(A.KPAK), fromHex(A.ID), pvt), { code: 'M2MSEC_ECCSI_POINT_INVALID' })
})
