// fetchCredentials (TS-0003 8.3.2.1 "Use of Remotely Provisioned Credential" f; frameworks.md
// §10.5 e; mef-maf-interface.md §6): the rows this file adds — 4102 for a SUID the MEF's mode
// does not derive (23 in seed-000 mode, D-3) and 5000 when the configured Target ID admits no
// derivation (OQ-4/OQ-5) — each answered with `{"sec:fcr": {"stat": false, …}}`, no key, and no
// stored state but the audit event; beside them the granted case the refusals differ from.
// Also 4103 for a peer that is not an Enrolment Target (coverage 000-14: an enrolee's own PSK
// session) and for a Target asking with a SUID it was not granted (coverage 003-02, D-89).
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { SecretBytes, deriveEnrolmentTargetKey, fromHex, type TargetKeyMode } from '../../../../../src/core/index.js'
import { OPERATION } from '../../../../../src/onem2m/index.js'
import { fetchCredentials } from '../../../../../src/services/mef/procedures/fetch-credentials.js'
import type { MefDeps, MefPeer } from '../../../../../src/services/mef/context.js'
import {
  MEF_FQDN, assertNoKey, auditEvents, dumpState, mefRequest, openTestMef, primitive, targetPeer, type TestMef,
} from './key-fixtures.js'

const KE_HEX = '4B454B454B454B454B454B454B454B454B454B454B454B454B454B454B454B45'
const KE_ID = `0123456789ABCDEF0123456789ABCDEF@${MEF_FQDN}`
const REGISTRAR = '//sp.example.com/CSE-B01'

/** An enrolee granting `grant` to the Target, enrolled under KE_ID; deps in `mode`. */
async function setUp(t: TestContext, mode: TargetKeyMode, grant: { targetId: string; suid: number }): Promise<{ mef: TestMef; deps: MefDeps; enroleeRef: string }> {
  const mef = await openTestMef(t)
  const enroleeRef = await mef.store.transaction(async (tx) => {
    const enrolee = await tx.enrolees.create({
      credential: { kind: 'psk', kpmId: 'kpm-fc@mef.example.com', kpm: new SecretBytes(new Uint8Array(32).fill(0x5a)) },
      enroleeId: '//sp.example.com/Sdev01', enrolmentLifetimeMs: 86_400_000, targets: [grant],
    })
    await tx.enrolments.create({ keId: KE_ID, enroleeRef: enrolee.enroleeRef, ke: new SecretBytes(fromHex(KE_HEX)), expiresAt: new Date(mef.now.getTime() + 86_400_000) })
    return enrolee.enroleeRef
  })
  return { mef, deps: { ...mef.deps, config: { ...mef.deps.config, targetKeyMode: mode } }, enroleeRef }
}

async function fetch(mef: TestMef, deps: MefDeps, targetId: string, suid: number, peer: MefPeer = targetPeer('cse-b01.sp.example.com', [targetId])) {
  const p = primitive(OPERATION.RETRIEVE, `fetchCredentials/${KE_ID}/${suid}`, undefined, { fr: targetId })
  return fetchCredentials(mefRequest(mef, p, peer), deps, { keId: KE_ID, suid })
}

/** The refusal row: rsc, a `stat: false` body without `cred`, nothing stored, one audit event with `reason`. */
async function assertRefusedRow(mef: TestMef, run: () => ReturnType<typeof fetch>, rsc: number, reason: string): Promise<void> {
  const before = dumpState(mef)
  const eventsBefore = (await auditEvents(mef)).length
  const reply = await run()
  assert.equal(reply.response.rsc, rsc, reason)
  const fcr = (reply.response.pc as Record<string, Record<string, unknown>>)['sec:fcr']!
  assert.equal(fcr.stat, false, `${reason}: stat false`)
  assert.equal(fcr.cred, undefined, `${reason}: no key`)
  assert.equal(typeof fcr.errs, 'string')
  assert.deepEqual(dumpState(mef), before, `${reason}: nothing stored`)
  const events = await auditEvents(mef)
  assert.equal(events.length, eventsBefore + 1, `${reason}: one audit event`)
  assert.equal(events.at(-1)!.outcome, `refused:${reason}`)
  assertNoKey(reply, [KE_HEX], reason)
}

test('§10.5 e iii / D-3: SUID 23 in seed-000 mode is 4102 with stat false; a granted SUID 22 in that mode is served', async (t) => {
  const { mef, deps } = await setUp(t, 'seed-000', { targetId: REGISTRAR, suid: 23 })
  await assertRefusedRow(mef, () => fetch(mef, deps, REGISTRAR, 23), 4102, 'suid-not-served')
  // The contrast: the same enrolment, mode and Target with a SUID the mode derives.
  const { mef: mef2, deps: deps2 } = await setUp(t, 'seed-000', { targetId: REGISTRAR, suid: 22 })
  const granted = await fetch(mef2, deps2, REGISTRAR, 22)
  assert.equal(granted.response.rsc, 2000)
  const expected = deriveEnrolmentTargetKey(new SecretBytes(fromHex(KE_HEX)), { targetId: REGISTRAR, suid: 22 }, 'seed-000')
  const fcr = (granted.response.pc as Record<string, Record<string, unknown>>)['sec:fcr']!
  assert.equal(fcr.stat, true)
  assert.equal(fcr.cred, Buffer.from(expected.reveal()).toString('base64'))
})

test('§10.5 e iii / OQ-5: seed-000 Kpsa for a Target configured by FQDN cannot be derived: 5000 with stat false', async (t) => {
  const { mef, deps } = await setUp(t, 'seed-000', { targetId: 'cse-b01.sp.example.com', suid: 22 })
  await assertRefusedRow(mef, () => fetch(mef, deps, 'cse-b01.sp.example.com', 22), 5000, 'derivation-failed')
})

test('§10.5 e iii / OQ-4: a relative CSE-ID without Enrolment-Target-ID cannot be derived (usage-constrained): 5000', async (t) => {
  const { mef, deps } = await setUp(t, 'usage-constrained', { targetId: '/CSE-B01', suid: 22 })
  await assertRefusedRow(mef, () => fetch(mef, deps, '/CSE-B01', 22), 5000, 'derivation-failed')
})

test('8.3.2.1 f / coverage 000-14: fetchCredentials on an enrolee\'s own PSK session is 4103 with stat false, nothing stored', async (t) => {
  const { mef, deps, enroleeRef } = await setUp(t, 'usage-constrained', { targetId: REGISTRAR, suid: 22 })
  // The very enrolee behind KE_ID, authenticated by its Kpm: it holds Ke already, but it is no Target.
  const enrolee: MefPeer = { kind: 'enrolee', enroleeRef, credentialId: '10-kpm-fc@mef.example.com', clientId: '//sp.example.com/Sdev01', framework: 'psk' }
  await assertRefusedRow(mef, () => fetch(mef, deps, '//sp.example.com/Sdev01', 22, enrolee), 4103, 'not-a-target')
  // Claiming the granted Registrar's ID as originator does not make a PSK session a Target.
  await assertRefusedRow(mef, () => fetch(mef, deps, REGISTRAR, 22, enrolee), 4103, 'not-a-target')
  // The contrast: the Registrar on its certificate session is served.
  assert.equal((await fetch(mef, deps, REGISTRAR, 22)).response.rsc, 2000)
})

test('L 8.3.1.1 / coverage 003-02: a Target granted SUID 22 asking for SUID 21 or 23 gets 4103 with stat false and no key', async (t) => {
  const { mef, deps } = await setUp(t, 'usage-constrained', { targetId: REGISTRAR, suid: 22 })
  // SUID 23 is one the usage-constrained mode derives (contrast with the 4102 row): the grant, not the mode, refuses it.
  for (const suid of [21, 23]) await assertRefusedRow(mef, () => fetch(mef, deps, REGISTRAR, suid), 4103, 'target-not-authorised')
  const granted = await fetch(mef, deps, REGISTRAR, 22)
  assert.equal(granted.response.rsc, 2000)
  const expected = deriveEnrolmentTargetKey(new SecretBytes(fromHex(KE_HEX)), { targetId: REGISTRAR, suid: 22 }, 'usage-constrained')
  const fcr = (granted.response.pc as Record<string, Record<string, unknown>>)['sec:fcr']!
  assert.equal(fcr.cred, Buffer.from(expected.reveal()).toString('base64'))
  // The refused usages' keys differ from the granted one and none of them was handed out.
  for (const suid of [21, 23]) {
    const other = deriveEnrolmentTargetKey(new SecretBytes(fromHex(KE_HEX)), { targetId: REGISTRAR, suid }, 'usage-constrained')
    assert.notDeepEqual(other.reveal(), expected.reveal(), `SUID ${suid} names another key`)
  }
})
