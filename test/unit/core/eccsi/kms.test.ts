import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { fromHex, i2osp, toHex } from '../../../../src/core/bytes.js'
import { SecretBytes } from '../../../../src/core/secret.js'
import { generateKmsMasterKey, issueSigningKey } from '../../../../src/core/eccsi/kms.js'
import { validateSigningKey } from '../../../../src/core/eccsi/ssk-validation.js'
import { Q } from '../../../../src/core/eccsi/params.js'
import { RFC6507_APPENDIX_A as A } from '../../../vectors/rfc6507-eccsi.js'

const seamOf = (hex: string) => ({ randomScalar: () => BigInt('0x' + hex) })

test(`${A.source}: KSAK gives the published KPAK`, () => {
  const { ksak, kpak } = generateKmsMasterKey(seamOf(A.KSAK))
  assert.equal(toHex(kpak), A.KPAK, A.source)
  assert.equal(toHex(ksak.reveal()), toHex(i2osp(BigInt('0x' + A.KSAK), 32)), A.source)
})

test(`${A.source}: issue for ID with v gives the published PVT, HS and SSK`, () => {
  const ksak = new SecretBytes(i2osp(BigInt('0x' + A.KSAK), 32))
  const issued = issueSigningKey(ksak, fromHex(A.KPAK), fromHex(A.ID), seamOf(A.v))
  assert.equal(toHex(issued.pvt), A.PVT, A.source)
  assert.equal(toHex(issued.hs), A.HS, A.source)
  assert.equal(toHex(issued.ssk.reveal()), A.SSK, A.source)
})

test(`${A.source}: issue refuses a KPAK that is not [KSAK]G, a malformed KPAK and a bad KSAK`, () => {
  const ksak = new SecretBytes(i2osp(BigInt('0x' + A.KSAK), 32))
  const id = fromHex(A.ID)
  const otherKpak = fromHex(A.PVT) // a valid point, but not this KSAK's
  assert.throws(() => issueSigningKey(ksak, otherKpak, id), { code: 'M2MSEC_KEY_INVALID' }, A.source)
  const flipped = fromHex(A.KPAK)
  flipped[64]! ^= 0x01
  assert.throws(() => issueSigningKey(ksak, flipped, id), { code: 'M2MSEC_ECCSI_POINT_INVALID' }, A.source)
  assert.throws(() => issueSigningKey(ksak, fromHex(A.KPAK).subarray(0, 64), id), { code: 'M2MSEC_ECCSI_POINT_INVALID' })
  const shortKsak = new SecretBytes(i2osp(BigInt('0x' + A.KSAK), 31))
  assert.throws(() => issueSigningKey(shortKsak, fromHex(A.KPAK), id), { code: 'M2MSEC_KEY_INVALID' })
  const ksakQ = new SecretBytes(i2osp(Q, 32))
  assert.throws(() => issueSigningKey(ksakQ, fromHex(A.KPAK), id), { code: 'M2MSEC_KEY_INVALID' })
})

test('generateKmsMasterKey gives 32-byte KSAK and 65-byte KPAK, fresh each time', () => {
  const a = generateKmsMasterKey()
  const b = generateKmsMasterKey()
  assert.equal(a.ksak.length, 32)
  assert.equal(a.kpak.length, 65)
  assert.equal(a.kpak[0], 0x04)
  assert.notEqual(toHex(a.kpak), toHex(b.kpak))
  assert.equal(String(a.ksak), '[secret]')
})

test('issued keys validate for their ID and not for another (property)', () => {
  const master = generateKmsMasterKey()
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), fc.uint8Array({ minLength: 1, maxLength: 64 }), (id, other) => {
      const issued = issueSigningKey(master.ksak, master.kpak, id)
      assert.equal(issued.ssk.length, 32)
      assert.equal(toHex(validateSigningKey(master.kpak, id, issued.ssk, issued.pvt).hs), toHex(issued.hs))
      const otherId = Uint8Array.from([...id, ...other])
      assert.throws(() => validateSigningKey(master.kpak, otherId, issued.ssk, issued.pvt), {
        code: 'M2MSEC_ECCSI_SSK_INVALID',
      })
    }),
    { numRuns: 15 },
  )
})
