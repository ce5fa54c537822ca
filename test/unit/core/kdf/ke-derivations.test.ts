import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import { fromHex, toHex } from '../../../../src/core/bytes.js'
import { SecretBytes } from '../../../../src/core/secret.js'
import { deriveKm, deriveKpsa, deriveUsageConstrainedKey } from '../../../../src/core/kdf/ke-derivations.js'
import { KE_DERIVATION_VECTORS as V, KE_E1 } from '../../../vectors/ts0003-key-derivation.js'

const ke = (): SecretBytes => new SecretBytes(fromHex(KE_E1))

test(V.km.source, () => {
  assert.equal(toHex(deriveKm(ke(), V.km.mafId).reveal()), V.km.output, V.km.source)
})

test(V.kpsa.source, () => {
  assert.equal(toHex(deriveKpsa(ke(), V.kpsa.enroleeBId).reveal()), V.kpsa.output, V.kpsa.source)
})

assert.ok(V.usageConstrained.length > 0)
for (const v of V.usageConstrained) {
  test(v.source, () => {
    assert.equal(toHex(deriveUsageConstrainedKey(ke(), v.suid, v.target).reveal()), v.output, v.source)
    // The fetchCredentials path carries the SUID as a decimal string: same key.
    assert.equal(toHex(deriveUsageConstrainedKey(ke(), String(v.suid), v.target).reveal()), v.output, v.source)
  })
}

for (const v of V.negatives) {
  test(v.source, () => {
    assert.notEqual(toHex(deriveUsageConstrainedKey(ke(), v.suid, v.target).reveal()), v.wrongOutput, v.source)
  })
}

test(V.mixedCaseTarget.source, () => {
  const key = toHex(deriveUsageConstrainedKey(ke(), V.mixedCaseTarget.suid, V.mixedCaseTarget.target).reveal())
  // Used as given: both ends must hold the identical configured string (OQ-4).
  assert.ok(key.startsWith(V.mixedCaseTarget.outputPrefix), V.mixedCaseTarget.source)
})

test('identifiers enter after NFKC: a compatibility form derives the same key as its normal form', () => {
  // U+FB01 LATIN SMALL LIGATURE FI normalises to "fi" under NFKC.
  assert.equal(toHex(deriveKm(ke(), 'ma\uFB01.example.com').reveal()), toHex(deriveKm(ke(), 'mafi.example.com').reveal()))
  // Full-width digits in a CSE-ID normalise too.
  assert.equal(
    toHex(deriveKpsa(ke(), '//m2m.example.com/CSE-B\uFF10\uFF11').reveal()),
    toHex(deriveKpsa(ke(), '//m2m.example.com/CSE-B01').reveal()),
  )
})

test('label ‖ input is one HMAC message with no separator (property against a direct HMAC)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.stringMatching(/^[a-z0-9.-]{1,40}$/), (keBytes, id) => {
      const direct = createHmac('sha256', keBytes).update('oneM2M Enrolment Key to Master Credential derivation' + id).digest()
      assert.equal(toHex(deriveKm(new SecretBytes(keBytes), id).reveal()), toHex(direct))
    }),
  )
})

test('a Ke that is not 32 bytes is rejected with M2MSEC_KEY_INVALID', () => {
  for (const length of [0, 16, 31, 33, 48]) {
    const bad = new SecretBytes(new Uint8Array(length))
    assert.throws(() => deriveKm(bad, 'maf.example.com'), { code: 'M2MSEC_KEY_INVALID' })
    assert.throws(() => deriveKpsa(bad, '//m2m.example.com/CSE-B01'), { code: 'M2MSEC_KEY_INVALID' })
    assert.throws(() => deriveUsageConstrainedKey(bad, 21, 'maf.example.com'), { code: 'M2MSEC_KEY_INVALID' })
  }
})

test('empty identifiers and SUIDs outside 21..25 are rejected with M2MSEC_INPUT_INVALID', () => {
  assert.throws(() => deriveKm(ke(), ''), { code: 'M2MSEC_INPUT_INVALID' })
  assert.throws(() => deriveKpsa(ke(), ''), { code: 'M2MSEC_INPUT_INVALID' })
  assert.throws(() => deriveUsageConstrainedKey(ke(), 21, ''), { code: 'M2MSEC_INPUT_INVALID' })
  for (const suid of [0, 10, 12, 20, 26, 31, 32, 42, 100, -21, 21.5, '021', ' 21', '2l', '']) {
    assert.throws(() => deriveUsageConstrainedKey(ke(), suid as number, 'maf.example.com'), { code: 'M2MSEC_INPUT_INVALID' }, `SUID ${String(suid)}`)
  }
})

test('different SUIDs and targets give independent keys', () => {
  const a = toHex(deriveUsageConstrainedKey(ke(), 21, 'maf.example.com').reveal())
  const b = toHex(deriveUsageConstrainedKey(ke(), 22, 'maf.example.com').reveal())
  const c = toHex(deriveUsageConstrainedKey(ke(), 21, 'maf2.example.com').reveal())
  assert.equal(new Set([a, b, c]).size, 3)
})
