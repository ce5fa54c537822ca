// The KekProvider seam (issue 4 "an interface for a PKCS#11-held KEK"): a keyring wrapped by a
// provider unwraps only with that provider's key and label.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKek } from '../../../../src/store/custody/kek-source.js'
import { createSoftwareKekProvider, unwrapKeyring, wrapKeyring } from '../../../../src/store/custody/kek-provider.js'
import { addKek } from '../../../../src/store/custody/keyring.js'
import { assertNoSecretIn } from './secret-forms.js'

test('a keyring wrapped by a software provider unwraps to the same KEKs', async () => {
  const a = generateKek()
  const ring = addKek({ activeKekId: a.id, keks: [a] }, generateKek())
  const wrapper = generateKek()
  const provider = createSoftwareKekProvider(wrapper)
  const doc = await wrapKeyring(provider, ring)
  assertNoSecretIn(JSON.stringify(doc), [...ring.keks.map((k) => k.key.reveal()), wrapper.key.reveal()], 'wrapped keyring')
  const back = await unwrapKeyring(provider, doc)
  assert.equal(back.activeKekId, ring.activeKekId)
  back.keks.forEach((k, i) => assert.ok(k.key.equals(ring.keks[i]!.key)))
  await provider.close()
})

test('a wrapped keyring refuses another provider, a swapped label and a missing active KEK', async () => {
  const a = generateKek()
  const b = generateKek()
  const provider = createSoftwareKekProvider(generateKek())
  const doc = await wrapKeyring(provider, { activeKekId: a.id, keks: [a, b] })
  await assert.rejects(unwrapKeyring(createSoftwareKekProvider(generateKek()), doc), { code: 'M2MSEC_STORE_KEK_INVALID' })
  const swapped = { ...doc, keks: [{ id: doc.keks[0]!.id, wrapped: doc.keks[1]!.wrapped }] }
  await assert.rejects(unwrapKeyring(provider, swapped), { code: 'M2MSEC_STORE_SEAL_INVALID' })
  await assert.rejects(unwrapKeyring(provider, { ...doc, active: 'ABCDEF0123456789' }), { code: 'M2MSEC_STORE_KEK_INVALID' })
})
