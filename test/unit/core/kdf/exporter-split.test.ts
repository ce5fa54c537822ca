import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { inspect } from 'node:util'
import { fromHex, toHex } from '../../../../src/core/bytes.js'
import {
  EXPORTER_LABEL_BOOTSTRAP,
  EXPORTER_LABEL_CONNECTION,
  EXPORTER_LABEL_ESCERTKE,
  connectionKeyFromExport,
  enrolmentKeyFromExport,
  pairwiseE2EKeyFromExport,
  rootCredentialWrapKeyFromExport,
  splitExport,
} from '../../../../src/core/kdf/exporter-split.js'
import { EXPORT_VECTORS } from '../../../vectors/ts0003-key-derivation.js'
import { rfc5705Export } from '../../../support/tls12-prf.js'

test('labels are the TS-0003 §10.3.1 strings byte for byte (crypto.md §2.2 label hex)', () => {
  assert.equal(toHex(Buffer.from(EXPORTER_LABEL_BOOTSTRAP, 'latin1')), '4558504F525445522D6F6E654D324D2D426F6F747374726170')
  assert.equal(toHex(Buffer.from(EXPORTER_LABEL_CONNECTION, 'latin1')), '4558504F525445522D6F6E654D324D2D436F6E6E656374696F6E')
  assert.equal(EXPORTER_LABEL_ESCERTKE, 'EXPORTER-oneM2M-ESCertKE')
})

assert.ok(EXPORT_VECTORS.length > 0)
for (const v of EXPORT_VECTORS) {
  test(v.source, () => {
    // The export itself, recomputed from the session secrets with an independent TLS 1.2 PRF.
    const exported = rfc5705Export(fromHex(v.masterSecret), v.label, fromHex(v.clientRandom), fromHex(v.serverRandom), 48)
    assert.equal(toHex(exported), v.export, v.source)
    const split = v.label === EXPORTER_LABEL_BOOTSTRAP ? enrolmentKeyFromExport(exported) : connectionKeyFromExport(exported)
    const [id, key] = 'ke' in split ? [split.relativeKeId, split.ke] : [split.kcId, split.kc]
    assert.equal(toHex(id), v.keyId, v.source)
    assert.equal(toHex(key.reveal()), v.key, v.source)
  })
}

test('pairwiseE2EKey uses the same 16/32 split as Ke and Kc', () => {
  const material = fromHex(EXPORT_VECTORS[0].export)
  const { pairwiseE2EKeyId, pairwiseE2EKey } = pairwiseE2EKeyFromExport(material)
  assert.equal(toHex(pairwiseE2EKeyId), EXPORT_VECTORS[0].keyId)
  assert.equal(toHex(pairwiseE2EKey.reveal()), EXPORT_VECTORS[0].key)
})

test('an export that is not 48 bytes is rejected, never padded or cut', () => {
  for (const length of [0, 16, 32, 47, 49, 64]) {
    assert.throws(() => splitExport(new Uint8Array(length)), { code: 'M2MSEC_INPUT_INVALID' }, `length ${length}`)
  }
  assert.throws(() => rootCredentialWrapKeyFromExport(new Uint8Array(48)), { code: 'M2MSEC_INPUT_INVALID' })
})

test('split copies: wiping the key leaves the caller buffer and the identifier intact', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 48, maxLength: 48 }), (material) => {
      const before = toHex(material)
      const { keyId, key } = splitExport(material)
      assert.equal(toHex(keyId) + toHex(key.reveal()), before)
      key.wipe()
      assert.equal(toHex(material), before)
      assert.equal(toHex(keyId), before.slice(0, 32))
    }),
  )
})

test('the split key never renders its bytes', () => {
  const { key } = splitExport(fromHex(EXPORT_VECTORS[0].export))
  const rendered = [String(key), JSON.stringify({ key }), inspect(key)].join(' ')
  assert.ok(!rendered.toUpperCase().includes(EXPORT_VECTORS[0].key.slice(0, 16)), rendered)
})
