import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import { ascii, fromHex, toHex, utf8Nfkc } from '../../../../src/core/bytes.js'
import { SecretBytes } from '../../../../src/core/secret.js'
import { gbaKdf, gbaKdfInput } from '../../../../src/core/gba/kdf.js'
import { TS33220_GBA } from '../../../vectors/ts33220-gba.js'

/** Reads S back from the end: each Li follows its Pi, so the last two octets give the last length. */
function splitS(s: Uint8Array, fcLength: number): Uint8Array[] {
  const params: Uint8Array[] = []
  let end = s.length
  while (end > fcLength) {
    const length = (s[end - 2]! << 8) | s[end - 1]!
    params.unshift(s.slice(end - 2 - length, end - 2))
    end -= 2 + length
  }
  assert.equal(end, fcLength, 'S has no stray octets')
  return params
}

assert.ok(TS33220_GBA.length > 0, 'GBA vectors are listed')
for (const v of TS33220_GBA) {
  test(`${v.source}: S and Ks_NAF from the B.2 KDF`, () => {
    const params = [ascii('gba-me'), fromHex(v.RAND), utf8Nfkc(v.IMPI), fromHex(v.NAF_Id)]
    assert.equal(toHex(gbaKdfInput(0x01, params)), v.S, `${v.source}: S`)
    assert.equal(toHex(gbaKdf(new SecretBytes(fromHex(v.Ks)), 0x01, params).reveal()), v.Ks_NAF, `${v.source}: Ks_NAF`)

    const flippedKey = fromHex(v.Ks)
    flippedKey[31]! ^= 0x01
    assert.notEqual(toHex(gbaKdf(new SecretBytes(flippedKey), 0x01, params).reveal()), v.Ks_NAF, `${v.source}: flipped Ks`)
    assert.notEqual(toHex(gbaKdf(new SecretBytes(fromHex(v.Ks)), 0x02, params).reveal()), v.Ks_NAF, `${v.source}: other FC`)
  })
}

test('TS 33.220 B.2: a parameter of 65535 bytes is encoded with L = FF FF, one of 65536 is rejected', () => {
  const s = gbaKdfInput(0x01, [new Uint8Array(0xffff)])
  assert.equal(toHex(s.subarray(-2)), 'FFFF')
  assert.throws(() => gbaKdfInput(0x01, [ascii('gba-me'), new Uint8Array(0x10000)]), { code: 'M2MSEC_INPUT_INVALID' })
  assert.throws(() => gbaKdf(new SecretBytes(new Uint8Array(32)), 0x01, [new Uint8Array(0x10000)]), { code: 'M2MSEC_INPUT_INVALID' })
})

test('TS 33.220 B.2: FC is one octet 00-FE or FF followed by one octet; anything else is rejected', () => {
  assert.equal(toHex(gbaKdfInput(0xfe, [new Uint8Array(0)]).subarray(0, 1)), 'FE')
  assert.equal(toHex(gbaKdfInput(0xff01, [new Uint8Array(0)]).subarray(0, 2)), 'FF01')
  for (const bad of [0xff, 0x100, 0xfeff, 0x10000, -1, 1.5, Number.NaN]) {
    assert.throws(() => gbaKdfInput(bad, [new Uint8Array(0)]), { code: 'M2MSEC_INPUT_INVALID' }, `FC ${bad}`)
  }
})

test('the KDF needs P0 and a non-empty key', () => {
  assert.throws(() => gbaKdfInput(0x01, []), { code: 'M2MSEC_INPUT_INVALID' })
  assert.throws(() => gbaKdf(new SecretBytes(new Uint8Array(0)), 0x01, [ascii('gba-me')]), { code: 'M2MSEC_KEY_INVALID' })
})

test('S splits back into its parameters and the KDF is HMAC-SHA-256 over S (property)', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.integer({ min: 0, max: 0xfe }), fc.integer({ min: 0xff00, max: 0xffff })),
      fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 6 }),
      fc.uint8Array({ minLength: 1, maxLength: 64 }),
      (fcValue, params, key) => {
        const s = gbaKdfInput(fcValue, params)
        const fcLength = fcValue > 0xff ? 2 : 1
        assert.deepEqual(splitS(s, fcLength).map(toHex), params.map(toHex))
        const want = createHmac('sha256', key).update(s).digest('hex').toUpperCase()
        assert.equal(toHex(gbaKdf(new SecretBytes(key), fcValue, params).reveal()), want)
      },
    ),
    { numRuns: 100 },
  )
})
