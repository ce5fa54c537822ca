// The MAF-client SDK's pure parts (TS-0003 8.8.2.2, 8.8.2.3, 10.3.5; frameworks.md OQ-7, OQ-20,
// OQ-29, OQ-33): the device's PSK towards a MAF equals the MEF-side derivation, the default `fr`,
// and which Key Identifiers a session may use.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SecretBytes, deriveEnrolmentTargetKey, fromHex, toHex } from '../../../../src/core/index.js'
import { defaultMafOriginator, mafKeyFromEnrolment, mafRelativeKeyIdOf, type MafSession } from '../../../../src/client/maf/index.js'

const KE = new SecretBytes(fromHex('E1E1E1E1A5A5A5A5000102030405060708090A0B0C0D0E0F1011121314155A5A'))

test('OQ-29: the device key for the MAF is deriveEnrolmentTargetKey(Ke, {MAF FQDN, SUID 21}) in both modes', () => {
  for (const mode of ['usage-constrained', 'seed-000'] as const) {
    const own = mafKeyFromEnrolment(KE, 'MAF.example.com', mode)
    assert.equal(toHex(own.reveal()), toHex(deriveEnrolmentTargetKey(KE, { targetId: 'maf.example.com', suid: 21 }, mode).reveal()), mode)
    assert.equal(own.length, 32)
  }
  assert.notEqual(toHex(mafKeyFromEnrolment(KE, 'maf.example.com', 'usage-constrained').reveal()), toHex(mafKeyFromEnrolment(KE, 'maf2.example.com', 'usage-constrained').reveal()))
  assert.throws(() => mafKeyFromEnrolment(KE, 'not a fqdn', 'usage-constrained'), { code: 'M2MSEC_ID_INVALID' })
})

test('OQ-20/OQ-33/OQ-7: the default originator of a PSK session is 11-<KmID>, or 11-<KeID> before a KmID exists', () => {
  const key = new SecretBytes(new Uint8Array(32))
  assert.equal(defaultMafOriginator({ kind: 'psk', identity: 'km-1@maf.example.com', key }), '11-km-1@maf.example.com')
  assert.equal(defaultMafOriginator({ kind: 'psk', identity: '9a8b7c6d5e4f30211203f4e5d6c7b8a9@MEF.example.com', key }), '11-9A8B7C6D5E4F30211203F4E5D6C7B8A9@mef.example.com')
  assert.throws(() => defaultMafOriginator({ kind: 'psk', identity: 'no-at-sign', key }), { code: 'M2MSEC_CLIENT_INPUT_INVALID' })
})

test('10.3.5: a Key Identifier is used only with the MAF it names; its hex RelativeKeyID is upper-cased (OQ-2)', () => {
  const session = { fqdn: 'maf.example.com' } as MafSession
  assert.equal(mafRelativeKeyIdOf(session, '9f1c00112233445566778899aabbccdd@MAF.example.com'), '9F1C00112233445566778899AABBCCDD')
  assert.throws(() => mafRelativeKeyIdOf(session, '9F1C00112233445566778899AABBCCDD@other.example.com'), { code: 'M2MSEC_CLIENT_INPUT_INVALID' })
  assert.throws(() => mafRelativeKeyIdOf(session, 'not-an-identifier'), { code: 'M2MSEC_CLIENT_INPUT_INVALID' })
})
