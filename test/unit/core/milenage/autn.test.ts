import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { fromHex, toHex } from '../../../../src/core/bytes.js'
import { SecretBytes } from '../../../../src/core/secret.js'
import { Milenage } from '../../../../src/core/milenage/milenage.js'
import {
  buildAutn,
  buildAuts,
  generateAuthenticationVector,
  verifyAutn,
  verifyAuts,
} from '../../../../src/core/milenage/autn.js'
import { OWN_AUTS, TS35208_MILENAGE } from '../../../vectors/ts35208-milenage.js'
import { RFC3310_DIGEST_AKA } from '../../../vectors/rfc3310-digest-aka.js'

const secret = (hex: string): SecretBytes => new SecretBytes(fromHex(hex))
const hex = (bytes: Uint8Array): string => toHex(bytes).toLowerCase()
const xorHex = (a: string, b: string): string => hex(fromHex(a).map((byte, i) => byte ^ fromHex(b)[i]!))
const bytes16 = fc.uint8Array({ minLength: 16, maxLength: 16 })
const bytes6 = fc.uint8Array({ minLength: 6, maxLength: 6 })
const bytes2 = fc.uint8Array({ minLength: 2, maxLength: 2 })

assert.ok(TS35208_MILENAGE.length > 0, 'test sets are listed')
for (const v of TS35208_MILENAGE) {
  test(`${v.source}: AUTN = (SQN ⊕ f5) ‖ AMF ‖ f1 and the USIM accepts it`, () => {
    const m = new Milenage(secret(v.K), { op: secret(v.OP) })
    const rand = fromHex(v.RAND)
    const want = xorHex(v.SQN, v.f5) + v.AMF + v.f1
    assert.equal(hex(buildAutn(fromHex(v.SQN), fromHex(v.f5), fromHex(v.AMF), fromHex(v.f1))), want, v.source)
    const vector = generateAuthenticationVector(m, rand, fromHex(v.SQN), fromHex(v.AMF))
    assert.equal(hex(vector.autn), want, `${v.source}: vector AUTN`)
    assert.equal(hex(vector.xres.reveal()), v.f2, `${v.source}: XRES`)

    const verdict = verifyAutn(m, rand, vector.autn)
    assert.ok(verdict.ok, `${v.source}: USIM refused a genuine AUTN`)
    assert.equal(hex(verdict.sqn), v.SQN, `${v.source}: recovered SQN`)
    assert.equal(hex(verdict.amf), v.AMF, `${v.source}: recovered AMF`)
    assert.equal(hex(verdict.res.reveal()), v.f2, `${v.source}: RES`)
    assert.equal(hex(verdict.ck.reveal()), v.f3, `${v.source}: CK`)
    assert.equal(hex(verdict.ik.reveal()), v.f4, `${v.source}: IK`)
  })

  test(`${v.source}: a flipped bit anywhere in AUTN, or the wrong K, is a MAC mismatch`, () => {
    const m = new Milenage(secret(v.K), { op: secret(v.OP) })
    const rand = fromHex(v.RAND)
    const autn = fromHex(xorHex(v.SQN, v.f5) + v.AMF + v.f1)
    for (let i = 0; i < autn.length; i++) {
      const bad = Uint8Array.from(autn)
      bad[i]! ^= 0x80
      const verdict = verifyAutn(m, rand, bad)
      assert.deepEqual({ ok: verdict.ok, reason: verdict.ok ? undefined : verdict.reason }, { ok: false, reason: 'mac-mismatch' }, `${v.source}: byte ${i}`)
    }
    const wrongK = fromHex(v.K)
    wrongK[0]! ^= 0x01
    assert.equal(verifyAutn(new Milenage(new SecretBytes(wrongK), { op: secret(v.OP) }), rand, autn).ok, false, `${v.source}: wrong K`)
  })
}

test(`${RFC3310_DIGEST_AKA[0].source}: AUTN of test set 1`, () => {
  const v = TS35208_MILENAGE[0]!
  const m = new Milenage(secret(v.K), { op: secret(v.OP) })
  const vector = generateAuthenticationVector(m, fromHex(v.RAND), fromHex(v.SQN), fromHex(v.AMF))
  assert.equal(toHex(vector.autn), RFC3310_DIGEST_AKA[0].AUTN)
})

test(`${OWN_AUTS.source}`, () => {
  const m = new Milenage(secret(OWN_AUTS.K), { op: secret(OWN_AUTS.OP) })
  const rand = fromHex(OWN_AUTS.RAND)
  const auts = buildAuts(m, rand, fromHex(OWN_AUTS.SQN_MS))
  assert.equal(toHex(auts), OWN_AUTS.AUTS, OWN_AUTS.source)
  const verdict = verifyAuts(m, rand, fromHex(OWN_AUTS.AUTS))
  assert.ok(verdict.ok, OWN_AUTS.source)
  assert.equal(hex(verdict.sqnMs), OWN_AUTS.SQN_MS, OWN_AUTS.source)
  for (const index of [0, 5, 6, 13]) {
    const bad = fromHex(OWN_AUTS.AUTS)
    bad[index]! ^= 0x01
    assert.equal(verifyAuts(m, rand, bad).ok, false, `${OWN_AUTS.source}: byte ${index}`)
  }
})

test('AUTN and AUTS of the wrong length are rejected with M2MSEC_INPUT_INVALID', () => {
  const v = TS35208_MILENAGE[0]!
  const m = new Milenage(secret(v.K), { opc: secret(v.OPc) })
  const rand = fromHex(v.RAND)
  const code = { code: 'M2MSEC_INPUT_INVALID' }
  assert.throws(() => verifyAutn(m, rand, new Uint8Array(15)), code)
  assert.throws(() => verifyAutn(m, rand, new Uint8Array(17)), code)
  assert.throws(() => verifyAutn(m, rand.subarray(1), new Uint8Array(16)), code)
  assert.throws(() => verifyAuts(m, rand, new Uint8Array(13)), code)
  assert.throws(() => buildAuts(m, rand, new Uint8Array(5)), code)
  assert.throws(() => buildAutn(new Uint8Array(6), new Uint8Array(5), new Uint8Array(2), new Uint8Array(8)), code)
  assert.throws(() => buildAutn(new Uint8Array(6), new Uint8Array(6), new Uint8Array(2), new Uint8Array(7)), code)
})

test('an AUTN built with f1/f5 always passes the USIM check and yields its SQN (property)', () => {
  fc.assert(
    fc.property(bytes16, bytes16, bytes16, bytes6, bytes2, (k, opc, rand, sqn, amf) => {
      const m = new Milenage(new SecretBytes(k), { opc: new SecretBytes(opc) })
      const vector = generateAuthenticationVector(m, rand, sqn, amf)
      const verdict = verifyAutn(m, rand, vector.autn)
      assert.ok(verdict.ok)
      assert.equal(hex(verdict.sqn), hex(sqn))
      assert.equal(hex(verdict.amf), hex(amf))
      assert.ok(verdict.res.equals(vector.xres) && verdict.ck.equals(vector.ck) && verdict.ik.equals(vector.ik))
    }),
    { numRuns: 100 },
  )
})

test('an AUTN with one flipped bit always fails the USIM check (property)', () => {
  fc.assert(
    fc.property(bytes16, bytes16, bytes16, bytes6, bytes2, fc.nat({ max: 127 }), (k, opc, rand, sqn, amf, bit) => {
      const m = new Milenage(new SecretBytes(k), { opc: new SecretBytes(opc) })
      const autn = generateAuthenticationVector(m, rand, sqn, amf).autn
      autn[bit >> 3]! ^= 1 << (bit & 7)
      const verdict = verifyAutn(m, rand, autn)
      assert.equal(verdict.ok, false)
      assert.equal(verdict.ok ? undefined : verdict.reason, 'mac-mismatch')
    }),
    { numRuns: 100 },
  )
})

test('AUTS round-trips SQN_MS and a flipped bit fails it (property)', () => {
  fc.assert(
    fc.property(bytes16, bytes16, bytes16, bytes6, fc.nat({ max: 111 }), (k, opc, rand, sqnMs, bit) => {
      const m = new Milenage(new SecretBytes(k), { opc: new SecretBytes(opc) })
      const auts = buildAuts(m, rand, sqnMs)
      const verdict = verifyAuts(m, rand, auts)
      assert.ok(verdict.ok)
      assert.equal(hex(verdict.sqnMs), hex(sqnMs))
      auts[bit >> 3]! ^= 1 << (bit & 7)
      assert.equal(verifyAuts(m, rand, auts).ok, false)
    }),
    { numRuns: 100 },
  )
})
