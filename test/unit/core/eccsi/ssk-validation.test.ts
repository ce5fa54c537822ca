import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fromHex, i2osp, toHex } from '../../../../src/core/bytes.js'
import { SecretBytes } from '../../../../src/core/secret.js'
import { validateSigningKey } from '../../../../src/core/eccsi/ssk-validation.js'
import { Q } from '../../../../src/core/eccsi/params.js'
import { RFC6507_APPENDIX_A as A, RFC6507_APPENDIX_A_INTERMEDIATES as I } from '../../../vectors/rfc6507-eccsi.js'

const kpak = fromHex(A.KPAK)
const id = fromHex(A.ID)
const pvt = fromHex(A.PVT)

test(`${A.source}: the published SSK validates (§5.1.2), giving HS and Y = [SSK]G`, () => {
  const result = validateSigningKey(kpak, id, new SecretBytes(fromHex(A.SSK)), pvt)
  assert.equal(toHex(result.hs), A.HS, A.source)
  assert.equal(toHex(result.publicKey), I.Y, I.source)
})

test(`${A.source}: a flipped SSK bit, SSK 0 or q, or a wrong ID fail with M2MSEC_ECCSI_SSK_INVALID`, () => {
  const flipped = fromHex(A.SSK)
  flipped[31]! ^= 0x01
  const code = 'M2MSEC_ECCSI_SSK_INVALID'
  assert.throws(() => validateSigningKey(kpak, id, new SecretBytes(flipped), pvt), { code }, A.source)
  assert.throws(() => validateSigningKey(kpak, id, new SecretBytes(new Uint8Array(32)), pvt), { code })
  assert.throws(() => validateSigningKey(kpak, id, new SecretBytes(i2osp(Q, 32)), pvt), { code })
  assert.throws(() => validateSigningKey(kpak, id, new SecretBytes(fromHex(A.SSK).subarray(1)), pvt), { code })
  const otherId = fromHex(A.ID)
  otherId[0]! ^= 0x01
  assert.throws(() => validateSigningKey(kpak, otherId, new SecretBytes(fromHex(A.SSK)), pvt), { code })
})

test(`${A.source}: PVT or KPAK off the curve or not uncompressed fail with M2MSEC_ECCSI_POINT_INVALID`, () => {
  const ssk = new SecretBytes(fromHex(A.SSK))
  const code = 'M2MSEC_ECCSI_POINT_INVALID'
  const badPvt = fromHex(A.PVT)
  badPvt[10]! ^= 0x01
  assert.throws(() => validateSigningKey(kpak, id, ssk, badPvt), { code }, A.source)
  const badKpak = fromHex(A.KPAK)
  badKpak[40]! ^= 0x01
  assert.throws(() => validateSigningKey(badKpak, id, ssk, pvt), { code }, A.source)
  assert.throws(() => validateSigningKey(kpak, id, ssk, pvt.subarray(0, 33)), { code })
  const prefixed = fromHex(A.PVT)
  prefixed[0] = 0x07
  assert.throws(() => validateSigningKey(kpak, id, ssk, prefixed), { code })
})

test('an SSK failure message does not contain the SSK', () => {
  const flipped = fromHex(A.SSK)
  flipped[31]! ^= 0x01
  assert.throws(
    () => validateSigningKey(kpak, id, new SecretBytes(flipped), pvt),
    (error: Error) => !error.message.toUpperCase().includes(toHex(flipped).slice(0, 16)),
  )
})
