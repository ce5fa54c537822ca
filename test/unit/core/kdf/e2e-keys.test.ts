import { test } from 'node:test'
import assert from 'node:assert/strict'
import { hkdfSync } from 'node:crypto'
import fc from 'fast-check'
import { ascii, fromHex, toHex } from '../../../../src/core/bytes.js'
import { SecretBytes } from '../../../../src/core/secret.js'
import {
  E2E_LABELS,
  deriveE2eKeys,
  deriveE2eMasterKey,
  deriveSessionESPrimKey,
  expandWithLabels,
} from '../../../../src/core/kdf/e2e-keys.js'
import { RFC5869 } from '../../../vectors/rfc5869-hkdf.js'
import { E2E_VECTORS as E, SESSION_ESPRIM_VECTOR as S } from '../../../vectors/ts0003-key-derivation.js'

assert.ok(RFC5869.length > 0)
for (const v of RFC5869) {
  test(v.source, () => {
    const prk = deriveE2eMasterKey(fromHex(v.salt), new SecretBytes(fromHex(v.IKM)))
    assert.equal(toHex(prk.reveal()), v.PRK, `${v.source}: PRK`)
    const blocks = Math.ceil(v.L / 32)
    const okm = expandWithLabels(prk, Array.from({ length: blocks }, () => fromHex(v.info)))
    const joined = toHex(Buffer.concat(okm.map((b) => b.reveal()))).slice(0, v.L * 2)
    assert.equal(joined, v.OKM, `${v.source}: OKM`)
  })
}

test(E.source, () => {
  const master = deriveE2eMasterKey(fromHex(E.salt), new SecretBytes(fromHex(E.kpsa)))
  assert.equal(toHex(master.reveal()), E.master, E.source)
  const keys = deriveE2eKeys(master)
  assert.equal(toHex(keys.msgAuth.reveal()), E.msgAuth, `${E.source}: Ke2e_msg_auth`)
  assert.equal(toHex(keys.msgConf.reveal()), E.msgConf, `${E.source}: Ke2e_msg_conf`)
  assert.equal(toHex(keys.attAuth.reveal()), E.attAuth, `${E.source}: Ke2e_att_auth`)
  assert.equal(toHex(keys.attConf.reveal()), E.attConf, `${E.source}: Ke2e_att_conf`)
})

test('T(1) equals Node HKDF with the message-authentication label (independent implementation)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 1, maxLength: 48 }), (salt, kpsa) => {
      const viaNode = new Uint8Array(hkdfSync('sha256', kpsa, salt, ascii(E2E_LABELS.msgAuth), 32))
      const ours = deriveE2eKeys(deriveE2eMasterKey(salt, new SecretBytes(kpsa))).msgAuth.reveal()
      assert.equal(toHex(ours), toHex(viaNode))
    }),
  )
})

test('a changed salt or Kpsa bit changes every E2E key', () => {
  const base = deriveE2eKeys(deriveE2eMasterKey(fromHex(E.salt), new SecretBytes(fromHex(E.kpsa))))
  const flipped = fromHex(E.kpsa)
  flipped[0]! ^= 0x01
  const other = deriveE2eKeys(deriveE2eMasterKey(fromHex(E.salt), new SecretBytes(flipped)))
  for (const name of ['msgAuth', 'msgConf', 'attAuth', 'attConf'] as const) {
    assert.notEqual(toHex(other[name].reveal()), toHex(base[name].reveal()), name)
  }
})

test('expansion rejects zero or more than 255 labels; master rejects an empty Kpsa', () => {
  const prk = new SecretBytes(new Uint8Array(32))
  assert.throws(() => expandWithLabels(prk, []), { code: 'M2MSEC_INPUT_INVALID' })
  assert.throws(() => expandWithLabels(prk, Array.from({ length: 256 }, () => new Uint8Array(1))), { code: 'M2MSEC_INPUT_INVALID' })
  assert.throws(() => deriveE2eMasterKey(new Uint8Array(4), new SecretBytes(new Uint8Array(0))), { code: 'M2MSEC_KEY_INVALID' })
})

test(S.source, () => {
  const key = deriveSessionESPrimKey(new SecretBytes(fromHex(S.pairwiseESPrimKey)), fromHex(S.receiverESPrimRandObject), fromHex(S.originatorESPrimRandObject))
  assert.equal(toHex(key.reveal()), S.sessionESPrimKey, S.source)
  // Receiver first, then originator: swapping them must give another key.
  const swapped = deriveSessionESPrimKey(new SecretBytes(fromHex(S.pairwiseESPrimKey)), fromHex(S.originatorESPrimRandObject), fromHex(S.receiverESPrimRandObject))
  assert.notEqual(toHex(swapped.reveal()), S.sessionESPrimKey)
})

test('sessionESPrimKey rejects an empty key or rand object', () => {
  const rand = new Uint8Array(16)
  assert.throws(() => deriveSessionESPrimKey(new SecretBytes(new Uint8Array(0)), rand, rand), { code: 'M2MSEC_KEY_INVALID' })
  assert.throws(() => deriveSessionESPrimKey(new SecretBytes(new Uint8Array(32)), new Uint8Array(0), rand), { code: 'M2MSEC_INPUT_INVALID' })
  assert.throws(() => deriveSessionESPrimKey(new SecretBytes(new Uint8Array(32)), rand, new Uint8Array(0)), { code: 'M2MSEC_INPUT_INVALID' })
})
