// The MEF's key registration policy (TS-0003 8.3.5.2.7 step 3, 8.3.5.2.9 step 2; mef-maf-interface.md
// §3.7, §4.5, §4.6) and the `<symmKeyReg>` addressing of §3.9, as pure functions.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { relativeKeyIdOf } from '../../../../../src/services/mef/procedures/key-resource.js'
import {
  KEY_VALUE_LENGTH, MEF_KEY_SUIDS, checkKeyValueLength, checkServedSuid, checkTargetIds, grantExpiry, isAuthorisedTarget, isSource,
} from '../../../../../src/services/mef/procedures/key-rules.js'
import type { MefPeer } from '../../../../../src/services/mef/context.js'

const REGISTRAR = '//sp.example.com/in-cse'

test('mef-maf-interface.md §4.6: the MEF serves SUIDs 21–25 and answers every other value with 4102', () => {
  assert.deepEqual([...MEF_KEY_SUIDS], [21, 22, 23, 24, 25])
  fc.assert(fc.property(fc.integer({ min: 0, max: 99 }), (suid) => {
    if (suid >= 21 && suid <= 25) checkServedSuid(suid)
    else assert.throws(() => checkServedSuid(suid), { rsc: 4102 })
  }))
})

test('TS-0003 8.3.5.2.7 step 3: exactly one target for SUIDs 21/22/23, one or more for 24/25, else 4000', () => {
  const ids = fc.array(fc.constantFrom(REGISTRAR, '//sp.example.com/S1', '//sp.example.com/in-cse/Cae1', '//x.example.org/cse2'), { maxLength: 4 })
    .map((list) => [...new Set(list)])
  fc.assert(fc.property(fc.constantFrom(22, 23, 24, 25), ids, (suid, list) => {
    const ok = suid <= 23 ? list.length === 1 : list.length >= 1
    if (ok) assert.deepEqual(checkTargetIds(suid, list), list)
    else assert.throws(() => checkTargetIds(suid, list), { rsc: 4000, code: 'M2MSEC_ONEM2M_MALFORMED' })
  }))
  assert.throws(() => checkTargetIds(22, undefined), { rsc: 4000 }, 'no MEF-created list')
  assert.deepEqual(checkTargetIds(21, ['MAF.Example.COM']), ['maf.example.com'], 'SUID 21: a MAF FQDN, lower-cased')
  for (const bad of ['/in-cse', 'in-cse', 'Cae01', '//SP.example.com/in-cse', '//sp.example.com', 'maf.example.com']) {
    assert.throws(() => checkTargetIds(22, [bad]), { rsc: 4000 }, bad)
  }
  for (const bad of [REGISTRAR, '-maf.example.com', 'maf..example.com']) assert.throws(() => checkTargetIds(21, [bad]), { rsc: 4000 }, bad)
  assert.throws(() => checkTargetIds(21, ['maf.example.com', 'MAF.example.com']), { rsc: 4000 }, 'one MAF, two spellings')
})

test('Key Value: exactly 32 bytes (OQ-13)', () => {
  assert.equal(KEY_VALUE_LENGTH, 32)
  checkKeyValueLength(32)
  for (const n of [0, 1, 16, 31, 33, 64]) assert.throws(() => checkKeyValueLength(n), { rsc: 4000 }, String(n))
})

test('grantExpiry: never later than any bound, always in the future, whole seconds; a past proposal is 4000', () => {
  const now = new Date(Date.UTC(2026, 0, 1))
  const offset = fc.integer({ min: -10_000_000, max: 10_000_000_000 })
  fc.assert(fc.property(offset, offset, offset, (p, l, r) => {
    const proposed = new Date(now.getTime() + p)
    const bounds = { now, lifetimeLimit: new Date(now.getTime() + l), registrationExpiry: new Date(now.getTime() + r) }
    const min = Math.min(proposed.getTime(), bounds.lifetimeLimit.getTime(), bounds.registrationExpiry.getTime())
    if (p <= 0 || Math.floor(min / 1000) * 1000 <= now.getTime()) {
      assert.throws(() => grantExpiry(proposed, bounds), { rsc: 4000 })
      return
    }
    const granted = grantExpiry(proposed, bounds).getTime()
    assert.ok(granted <= min && granted > now.getTime() && granted % 1000 === 0 && min - granted < 1000)
  }))
})

test('who is Source and who is an authorised Target (§3.7; 8.3.5.2.8 step 3)', () => {
  const enrolee: MefPeer = { kind: 'enrolee', enroleeRef: 'enr1', credentialId: '10-kpm1', clientId: '//sp.example.com/S1', framework: 'psk' }
  const maf: MefPeer = { kind: 'target', fqdn: 'maf.example.com', originatorIds: [] }
  const cse: MefPeer = { kind: 'target', fqdn: 'in-cse.sp.example.com', originatorIds: [REGISTRAR] }
  assert.ok(isSource(enrolee, '//sp.example.com/S1'))
  assert.ok(!isSource(enrolee, '//sp.example.com/S2'))
  assert.ok(!isSource(maf, 'maf.example.com'), 'a Target is never a Source')
  assert.ok(isAuthorisedTarget(enrolee, ['//sp.example.com/S1']))
  assert.ok(!isAuthorisedTarget(enrolee, ['//sp.example.com/s1']), 'oneM2M IDs compare byte-exact')
  assert.ok(isAuthorisedTarget(maf, ['MAF.example.com']), 'FQDNs compare case-insensitively')
  assert.ok(isAuthorisedTarget(cse, [REGISTRAR]))
  assert.ok(!isAuthorisedTarget(cse, ['//sp.example.com/in-cse2', 'maf.example.com']))
})

test('§3.9: `mef/<RelativeKeyID>` and `//<MEF-FQDN>/mef/<RelativeKeyID>` address a key; anything else is 4004', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.boolean(), (bytes, lower) => {
    const hex = Buffer.from(bytes).toString('hex')
    const sent = lower ? hex : hex.toUpperCase()
    assert.equal(relativeKeyIdOf(`mef/${sent}`, 'mef.example.com'), hex.toUpperCase())
    assert.equal(relativeKeyIdOf(`//MEF.example.com/mef/${sent}`, 'mef.example.com'), hex.toUpperCase())
    assert.throws(() => relativeKeyIdOf(`mef/${sent.slice(1)}`, 'mef.example.com'), { rsc: 4004 })
    assert.throws(() => relativeKeyIdOf(`mef/${sent}0`, 'mef.example.com'), { rsc: 4004 })
  }))
  const id = 'C0FFEE00112233445566778899AABBCC'
  for (const to of [`maf/${id}`, `/mef/${id}`, `//other.example.com/mef/${id}`, `mef/${id}/cmd`, 'mef', `mef/${id.replace('C', 'G')}`]) {
    assert.throws(() => relativeKeyIdOf(to, 'mef.example.com'), { rsc: 4004 }, to)
  }
  for (const to of [`mef/${id}#kyv`, '', 'mef//x']) assert.throws(() => relativeKeyIdOf(to, 'mef.example.com'), { rsc: 4000 }, to)
})
