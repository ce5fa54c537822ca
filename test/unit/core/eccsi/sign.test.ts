import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { fromHex, toHex } from '../../../../src/core/bytes.js'
import { SecretBytes } from '../../../../src/core/secret.js'
import { createEccsiSigner, signEccsi } from '../../../../src/core/eccsi/sign.js'
import { generateKmsMasterKey, issueSigningKey } from '../../../../src/core/eccsi/kms.js'
import { verifyEccsi } from '../../../../src/core/eccsi/verify.js'
import { verifyEccsiReference } from '../../../../src/core/eccsi/verify-reference.js'
import { RFC6507_APPENDIX_A as A, RFC6507_APPENDIX_A_INTERMEDIATES as I } from '../../../vectors/rfc6507-eccsi.js'

const vectorKey = () => ({
  id: fromHex(A.ID),
  ssk: new SecretBytes(fromHex(A.SSK)),
  pvt: fromHex(A.PVT),
  kpak: fromHex(A.KPAK),
})
const fixedJ = { randomScalar: () => BigInt('0x' + A.j) }

test(`${A.source}: signing M with j gives the published r, s and signature`, () => {
  const signature = signEccsi(fromHex(A.M), vectorKey(), fixedJ)
  assert.equal(signature.length, 129)
  assert.equal(toHex(signature.subarray(0, 32)), A.r, A.source)
  assert.equal(toHex(signature.subarray(32, 64)), A.s, A.source)
  assert.equal(toHex(signature.subarray(64)), A.PVT, A.source)
  assert.equal(toHex(signature), A.Signature, A.source)
})

test(`${I.source}: the signer's public key is Y`, () => {
  assert.equal(toHex(createEccsiSigner(vectorKey()).publicKey), I.Y, I.source)
})

test(`${A.source}: a signer refuses an SSK that does not validate (M2MSEC_ECCSI_SSK_INVALID)`, () => {
  const ssk = fromHex(A.SSK)
  ssk[0]! ^= 0x01
  assert.throws(() => createEccsiSigner({ ...vectorKey(), ssk: new SecretBytes(ssk) }), { code: 'M2MSEC_ECCSI_SSK_INVALID' })
  const pvt = fromHex(A.PVT)
  pvt[64]! ^= 0x01
  assert.throws(() => createEccsiSigner({ ...vectorKey(), pvt }), { code: 'M2MSEC_ECCSI_POINT_INVALID' })
})

test('random j: two signatures of one message differ and both verify', () => {
  const signer = createEccsiSigner(vectorKey())
  const m = fromHex(A.M)
  const a = signer.sign(m)
  const b = signer.sign(m)
  assert.notEqual(toHex(a), toHex(b))
  for (const sig of [a, b]) {
    assert.deepEqual(verifyEccsi(m, sig, vectorKey()), { ok: true })
    assert.deepEqual(verifyEccsiReference(m, sig, vectorKey()), { ok: true })
  }
})

test('the signer keeps its own copy of PVT: mutating the caller buffer does not change signatures', () => {
  const key = vectorKey()
  const signer = createEccsiSigner(key)
  key.pvt.fill(0)
  assert.equal(toHex(signer.sign(fromHex(A.M)).subarray(64)), A.PVT)
})

test('sign then verify succeeds for random identities and messages (property)', () => {
  const master = generateKmsMasterKey()
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 48 }), fc.uint8Array({ maxLength: 256 }), (id, message) => {
      const issued = issueSigningKey(master.ksak, master.kpak, id)
      const signer = createEccsiSigner({ id, ssk: issued.ssk, pvt: issued.pvt, kpak: master.kpak })
      const signature = signer.sign(message)
      assert.deepEqual(verifyEccsi(message, signature, { id, kpak: master.kpak }), { ok: true })
    }),
    { numRuns: 20 },
  )
})
