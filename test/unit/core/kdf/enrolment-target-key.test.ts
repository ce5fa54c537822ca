import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fromHex, toHex } from '../../../../src/core/bytes.js'
import { SecretBytes } from '../../../../src/core/secret.js'
import { deriveEnrolmentTargetKey, enrolmentTargetDerivationId } from '../../../../src/core/kdf/enrolment-target-key.js'
import { KE_DERIVATION_VECTORS as V, KE_E1 } from '../../../vectors/ts0003-key-derivation.js'

const ke = (): SecretBytes => new SecretBytes(fromHex(KE_E1))
const row = (suid: number) => V.usageConstrained.find((v) => v.suid === suid)!

test('usage-constrained mode: a MAF target gets crypto.md §4.1 row 3 (SUID 21, its FQDN)', () => {
  const key = deriveEnrolmentTargetKey(ke(), { targetId: 'maf.example.com', suid: 21 }, 'usage-constrained')
  assert.equal(toHex(key.reveal()), row(21).output, row(21).source)
})

test('usage-constrained mode: a Registrar //m2m.example.com/CSE-B01 gets row 5 via its default public domain name', () => {
  assert.equal(enrolmentTargetDerivationId({ targetId: '//m2m.example.com/CSE-B01', suid: 22 }), 'cse-b01.m2m.example.com')
  const key = deriveEnrolmentTargetKey(ke(), { targetId: '//m2m.example.com/CSE-B01', suid: 22 }, 'usage-constrained')
  assert.equal(toHex(key.reveal()), row(22).output, row(22).source)
})

test('a configured derivationId replaces the default (and is lower-cased as an FQDN)', () => {
  const configured = deriveEnrolmentTargetKey(ke(), { targetId: '//m2m.example.com/CSE-B01', suid: 22, derivationId: 'CSE-B01.m2m.example.com' }, 'usage-constrained')
  assert.equal(toHex(configured.reveal()), row(22).output)
})

test('seed-000 mode: SUID 21 is Km(Ke, MAF-ID) and SUID 22 is Kpsa(Ke, absolute Enrolee-B-ID)', () => {
  assert.equal(toHex(deriveEnrolmentTargetKey(ke(), { targetId: 'maf.example.com', suid: 21 }, 'seed-000').reveal()), V.km.output, V.km.source)
  assert.equal(toHex(deriveEnrolmentTargetKey(ke(), { targetId: V.kpsa.enroleeBId, suid: 22 }, 'seed-000').reveal()), V.kpsa.output, V.kpsa.source)
})

test('targets without a default, and SUIDs a mode cannot derive, are refused', () => {
  assert.throws(() => deriveEnrolmentTargetKey(ke(), { targetId: '//m2m.example.com/CSE-B01/Cae1', suid: 22 }, 'usage-constrained'), { code: 'M2MSEC_ID_INVALID' })
  assert.throws(() => deriveEnrolmentTargetKey(ke(), { targetId: '/CSE-B01', suid: 22 }, 'usage-constrained'), { code: 'M2MSEC_ID_INVALID' })
  assert.throws(() => deriveEnrolmentTargetKey(ke(), { targetId: 'maf.example.com', suid: 32 }, 'usage-constrained'), { code: 'M2MSEC_INPUT_INVALID' })
  assert.throws(() => deriveEnrolmentTargetKey(ke(), { targetId: 'maf.example.com', suid: 23 }, 'seed-000'), { code: 'M2MSEC_INPUT_INVALID' })
  assert.throws(() => deriveEnrolmentTargetKey(ke(), { targetId: '/CSE-B01', suid: 22 }, 'seed-000'), { code: 'M2MSEC_ID_INVALID' })
})
