import { test } from 'node:test'
import assert from 'node:assert/strict'
import { inspect } from 'node:util'
import { createCipheriv } from 'node:crypto'
import fc from 'fast-check'
import { fromHex, toHex } from '../../../../src/core/bytes.js'
import { SecretBytes } from '../../../../src/core/secret.js'
import { Milenage, computeOpc, type MilenageOutputs } from '../../../../src/core/milenage/milenage.js'
import { createKernel } from '../../../../src/core/milenage/kernel.js'
import { TS35208_MILENAGE, type MilenageTestSet } from '../../../vectors/ts35208-milenage.js'

const secret = (hex: string): SecretBytes => new SecretBytes(fromHex(hex))
const hex = (bytes: Uint8Array): string => toHex(bytes).toLowerCase()
const flip = (hexText: string, index: number, bit = 0x01): string => {
  const bytes = fromHex(hexText)
  bytes[index]! ^= bit
  return hex(bytes)
}

function outputsHex(out: MilenageOutputs): Record<string, string> {
  return {
    f1: hex(out.macA),
    f1star: hex(out.macS),
    f2: hex(out.res.reveal()),
    f3: hex(out.ck.reveal()),
    f4: hex(out.ik.reveal()),
    f5: hex(out.ak),
    f5star: hex(out.akStar),
  }
}

function expected(v: MilenageTestSet): Record<string, string> {
  return { f1: v.f1, f1star: v.f1star, f2: v.f2, f3: v.f3, f4: v.f4, f5: v.f5, f5star: v.f5star }
}

assert.ok(TS35208_MILENAGE.length === 6, 'test sets 1-6 are listed')
for (const v of TS35208_MILENAGE) {
  test(`${v.source}: OPc and f1, f1*, f2, f3, f4, f5, f5*`, () => {
    // The intermediate the document prints.
    assert.equal(hex(computeOpc(secret(v.K), secret(v.OP)).reveal()), v.OPc, `${v.source}: OPc`)
    const fromOp = new Milenage(secret(v.K), { op: secret(v.OP) })
    assert.equal(hex(fromOp.opc().reveal()), v.OPc, `${v.source}: OPc via OP`)

    const rand = fromHex(v.RAND)
    const sqn = fromHex(v.SQN)
    const amf = fromHex(v.AMF)
    // Each function on its own…
    assert.equal(hex(fromOp.f1(rand, sqn, amf)), v.f1, `${v.source}: f1`)
    assert.equal(hex(fromOp.f1Star(rand, sqn, amf)), v.f1star, `${v.source}: f1*`)
    const keys = fromOp.f2345(rand)
    assert.equal(hex(keys.res.reveal()), v.f2, `${v.source}: f2`)
    assert.equal(hex(keys.ck.reveal()), v.f3, `${v.source}: f3`)
    assert.equal(hex(keys.ik.reveal()), v.f4, `${v.source}: f4`)
    assert.equal(hex(keys.ak), v.f5, `${v.source}: f5`)
    assert.equal(hex(fromOp.f5Star(rand)), v.f5star, `${v.source}: f5*`)
    // …and all at once, from OP or from the OPc alone.
    assert.deepEqual(outputsHex(fromOp.compute(rand, sqn, amf)), expected(v), `${v.source}: compute (OP)`)
    const fromOpc = new Milenage(secret(v.K), { opc: secret(v.OPc) })
    assert.deepEqual(outputsHex(fromOpc.compute(rand, sqn, amf)), expected(v), `${v.source}: compute (OPc)`)
  })

  test(`${v.source}: one flipped bit in K, OP or RAND changes every output`, () => {
    const rand = fromHex(v.RAND)
    const sqn = fromHex(v.SQN)
    const amf = fromHex(v.AMF)
    const variants = {
      K: new Milenage(secret(flip(v.K, 15)), { op: secret(v.OP) }).compute(rand, sqn, amf),
      OP: new Milenage(secret(v.K), { op: secret(flip(v.OP, 0, 0x80)) }).compute(rand, sqn, amf),
      RAND: new Milenage(secret(v.K), { op: secret(v.OP) }).compute(fromHex(flip(v.RAND, 7)), sqn, amf),
    }
    for (const [what, out] of Object.entries(variants)) {
      const got = outputsHex(out)
      for (const [name, value] of Object.entries(expected(v))) {
        assert.notEqual(got[name], value, `${v.source}: ${name} unchanged after flipping ${what}`)
      }
    }
    // SQN and AMF enter f1/f1* only.
    const m = new Milenage(secret(v.K), { op: secret(v.OP) })
    assert.notEqual(hex(m.f1(rand, fromHex(flip(v.SQN, 5)), amf)), v.f1, `${v.source}: f1 after flipping SQN`)
    assert.notEqual(hex(m.f1Star(rand, sqn, fromHex(flip(v.AMF, 1)))), v.f1star, `${v.source}: f1* after flipping AMF`)
    assert.notEqual(hex(computeOpc(secret(flip(v.K, 0)), secret(v.OP)).reveal()), v.OPc, `${v.source}: OPc after flipping K`)
  })
}

test('Milenage rejects keys that are not 16 bytes with M2MSEC_KEY_INVALID', () => {
  const v = TS35208_MILENAGE[0]!
  const short = secret(v.K.slice(2))
  const long = secret(v.K + '00')
  assert.throws(() => new Milenage(short, { op: secret(v.OP) }), { code: 'M2MSEC_KEY_INVALID' })
  assert.throws(() => new Milenage(long, { opc: secret(v.OPc) }), { code: 'M2MSEC_KEY_INVALID' })
  assert.throws(() => new Milenage(secret(v.K), { op: secret(v.OP.slice(2)) }), { code: 'M2MSEC_KEY_INVALID' })
  assert.throws(() => new Milenage(secret(v.K), { opc: secret(v.OPc + '00') }), { code: 'M2MSEC_KEY_INVALID' })
  assert.throws(() => computeOpc(short, secret(v.OP)), { code: 'M2MSEC_KEY_INVALID' })
  assert.throws(() => computeOpc(secret(v.K), new SecretBytes(new Uint8Array(0))), { code: 'M2MSEC_KEY_INVALID' })
})

test('Milenage rejects RAND, SQN and AMF of the wrong length with M2MSEC_INPUT_INVALID', () => {
  const v = TS35208_MILENAGE[0]!
  const m = new Milenage(secret(v.K), { opc: secret(v.OPc) })
  const rand = fromHex(v.RAND)
  const sqn = fromHex(v.SQN)
  const amf = fromHex(v.AMF)
  const code = { code: 'M2MSEC_INPUT_INVALID' }
  assert.throws(() => m.f2345(rand.subarray(1)), code)
  assert.throws(() => m.f5Star(new Uint8Array(17)), code)
  assert.throws(() => m.f1(rand, sqn.subarray(1), amf), code)
  assert.throws(() => m.f1Star(rand, new Uint8Array(7), amf), code)
  assert.throws(() => m.compute(rand, sqn, amf.subarray(1)), code)
  assert.throws(() => m.compute(rand, sqn, new Uint8Array(3)), code)
})

test('Milenage never renders K, OPc or the derived keys', () => {
  const v = TS35208_MILENAGE[0]!
  const m = new Milenage(secret(v.K), { op: secret(v.OP) })
  const out = m.compute(fromHex(v.RAND), fromHex(v.SQN), fromHex(v.AMF))
  const rendered = [inspect(m, { showHidden: true }), JSON.stringify(out), inspect(out), String(out.ck)].join('\n').toLowerCase()
  for (const value of [v.K, v.OPc, v.f2, v.f3, v.f4]) {
    assert.ok(!rendered.includes(value), 'a secret value appears in the rendering')
  }
})

test('the reused AES-128-ECB kernel equals a fresh cipher per block (property)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.array(fc.uint8Array({ minLength: 16, maxLength: 16 }), { minLength: 1, maxLength: 5 }), (key, blocks) => {
      const e = createKernel(key)
      for (const block of blocks) {
        const fresh = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false)
        const want = Buffer.concat([fresh.update(block), fresh.final()])
        assert.equal(hex(e(block)), want.toString('hex'))
      }
    }),
    { numRuns: 50 },
  )
})
