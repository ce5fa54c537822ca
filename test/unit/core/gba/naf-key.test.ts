import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fromHex, toHex } from '../../../../src/core/bytes.js'
import { SecretBytes } from '../../../../src/core/secret.js'
import { Milenage } from '../../../../src/core/milenage/milenage.js'
import { buildNafId, uaIdForTlsCipherSuite } from '../../../../src/core/gba/naf-id.js'
import { deriveKs, deriveKsExtNaf, deriveKsIntNaf, deriveKsNaf, type NafKeyInput } from '../../../../src/core/gba/naf-key.js'
import { TS33220_GBA } from '../../../vectors/ts33220-gba.js'
import { TS35208_MILENAGE } from '../../../vectors/ts35208-milenage.js'

const secret = (hex: string): SecretBytes => new SecretBytes(fromHex(hex))

assert.ok(TS33220_GBA.length > 0, 'GBA vectors are listed')
for (const v of TS33220_GBA) {
  const input = (): NafKeyInput => ({ ks: secret(v.Ks), rand: fromHex(v.RAND), impi: v.IMPI, nafId: buildNafId(v.NAF_FQDN) })

  test(`${v.source}: Ks = CK ‖ IK, Ks_NAF, Ks_ext_NAF and Ks_int_NAF`, () => {
    assert.equal(toHex(deriveKs(secret(v.CK), secret(v.IK)).reveal()), v.Ks, `${v.source}: Ks`)
    assert.equal(toHex(deriveKsNaf(input()).reveal()), v.Ks_NAF, `${v.source}: Ks_NAF`)
    assert.equal(toHex(deriveKsExtNaf(input()).reveal()), v.Ks_NAF, `${v.source}: Ks_ext_NAF uses "gba-me" too`)
    assert.equal(toHex(deriveKsIntNaf(input()).reveal()), v.Ks_int_NAF, `${v.source}: Ks_int_NAF`)
  })

  test(`${v.source}: from the TS 35.208 test set 1 subscriber through Milenage to Ks_NAF`, () => {
    const set = TS35208_MILENAGE[0]!
    const keys = new Milenage(secret(set.K), { op: secret(set.OP) }).f2345(fromHex(set.RAND))
    const ks = deriveKs(keys.ck, keys.ik)
    assert.equal(toHex(ks.reveal()), v.Ks, v.source)
    assert.equal(toHex(deriveKsNaf({ ...input(), ks }).reveal()), v.Ks_NAF, v.source)
  })

  test(`${v.source}: any change of Ks, RAND, IMPI, NAF FQDN or Ua id changes Ks_NAF`, () => {
    const flippedKs = fromHex(v.Ks)
    flippedKs[0]! ^= 0x01
    const flippedRand = fromHex(v.RAND)
    flippedRand[15]! ^= 0x80
    const variants: Record<string, NafKeyInput> = {
      Ks: { ...input(), ks: new SecretBytes(flippedKs) },
      RAND: { ...input(), rand: flippedRand },
      IMPI: { ...input(), impi: v.IMPI.replace('001010123456789', '001010123456788') },
      'NAF FQDN': { ...input(), nafId: buildNafId('cse.example.com') },
      'Ua id': { ...input(), nafId: buildNafId(v.NAF_FQDN, uaIdForTlsCipherSuite(0xc0a8)) },
    }
    for (const [what, changed] of Object.entries(variants)) {
      assert.notEqual(toHex(deriveKsNaf(changed).reveal()), v.Ks_NAF, `${v.source}: ${what}`)
      assert.notEqual(toHex(deriveKsIntNaf(changed).reveal()), v.Ks_int_NAF, `${v.source}: ${what} (gba-u)`)
    }
  })

  test(`${v.source}: wrong lengths and an empty IMPI are rejected with their codes`, () => {
    assert.throws(() => deriveKsNaf({ ...input(), ks: secret(v.Ks.slice(2)) }), { code: 'M2MSEC_KEY_INVALID' })
    assert.throws(() => deriveKsIntNaf({ ...input(), ks: secret(v.Ks + '00') }), { code: 'M2MSEC_KEY_INVALID' })
    assert.throws(() => deriveKsNaf({ ...input(), rand: fromHex(v.RAND).subarray(1) }), { code: 'M2MSEC_INPUT_INVALID' })
    assert.throws(() => deriveKsNaf({ ...input(), impi: '' }), { code: 'M2MSEC_INPUT_INVALID' })
    assert.throws(() => deriveKsNaf({ ...input(), impi: 'x'.repeat(0x10000) }), { code: 'M2MSEC_INPUT_INVALID' })
    assert.throws(() => deriveKs(secret(v.CK.slice(2)), secret(v.IK)), { code: 'M2MSEC_KEY_INVALID' })
    assert.throws(() => deriveKs(secret(v.CK), secret(v.IK + '00')), { code: 'M2MSEC_KEY_INVALID' })
  })
}
