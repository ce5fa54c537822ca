// Enrolment Key generation at the MEF (TS-0003 10.3.1, 10.3.4; frameworks.md §10.3; Enrolment
// Expiry 10.7, OQ-28), the per-session memory of it (one session, one Ke), and the ending of
// earlier enrolments at re-enrolment (docs/decisions.md, issue 5).
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { SecretBytes, fromHex } from '../../../../src/core/index.js'
import {
  endPriorEnrolments, enrolFromSession, markSessionEnrolled, registeredOnSession, sessionEnrolment,
} from '../../../../src/services/mef/enrolment.js'
import type { MefSession } from '../../../../src/services/mef/context.js'
import type { EnroleeRecord } from '../../../../src/store/index.js'
import { MEF_FQDN, assertNoKey, assertNoKeyOnDisk, auditEvents, dumpState, fakeSession, openTestMef, type TestMef } from './procedures/key-fixtures.js'

const RELATIVE = '5A17E0D1C2B3A4958677685940312A1B'
const KE_HEX = 'E1E2E3E4E5E6E7E8E9EAEBECEDEEEFF0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF01'
const LIFETIME_MS = 7 * 86_400_000

async function enrolee(mef: TestMef, kpmId = 'kpm-en01@mef.example.com'): Promise<EnroleeRecord> {
  return mef.store.transaction((tx) => tx.enrolees.create({
    credential: { kind: 'psk', kpmId, kpm: new SecretBytes(fromHex('0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C4B5A69788796A5B4C3D2E1F0')) },
    enroleeId: '//sp.example.com/Sdev01', enrolmentLifetimeMs: LIFETIME_MS, targets: [],
  }))
}

async function setUp(t: TestContext) {
  const mef = await openTestMef(t)
  return { mef, record: await enrolee(mef) }
}

test('10.3.1 / 10.3.4: Ke = export[16..48] stored sealed under KeID = hex(export[0..16])@MEF-FQDN, expiry now + Enrolment Expiry', async (t) => {
  const { mef, record } = await setUp(t)
  let material: SecretBytes | undefined
  const base = fakeSession(RELATIVE + KE_HEX)
  const session: MefSession = { exportKeyingMaterial: (label, length) => (material = base.exportKeyingMaterial(label, length)) }
  const result = await mef.store.transaction((tx) => enrolFromSession(tx, mef.deps, session, record, mef.now))
  assert.deepEqual(base.exports, [{ label: 'EXPORTER-oneM2M-Bootstrap', length: 48 }])
  assert.equal(result.keId, `${RELATIVE}@${MEF_FQDN}`)
  assert.equal(result.expiresAt.getTime(), mef.now.getTime() + LIFETIME_MS)
  assert.ok(material !== undefined && material.reveal().every((b) => b === 0), 'the export is wiped after use')
  const stored = await mef.store.transaction((tx) => tx.enrolments.find(result.keId, mef.now))
  assert.equal(Buffer.from(stored!.ke.reveal()).toString('hex').toUpperCase(), KE_HEX)
  assert.equal(stored!.enroleeRef, record.enroleeRef)
  assert.equal(await mef.store.transaction((tx) => tx.enrolments.find(result.keId, result.expiresAt)), undefined, 'gone at its Enrolment Expiry')
  const event = (await auditEvents(mef)).find((e) => e.action === 'mef.enrolment')
  assert.deepEqual({ ...event!.subject }, {
    keId: result.keId, enroleeRef: record.enroleeRef, credentialIdentity: record.credentialIdentity, expiresAt: result.expiresAt.toISOString(),
  })
  assert.equal(event!.outcome, 'ok')
  assertNoKey(await auditEvents(mef), [KE_HEX], 'audit log')
  assertNoKeyOnDisk(mef, [KE_HEX])
})

test('OQ-35: a RelativeKeID issued before is M2MSEC_STORE_CONFLICT and the transaction stores nothing', async (t) => {
  const { mef, record } = await setUp(t)
  await mef.store.transaction((tx) => enrolFromSession(tx, mef.deps, fakeSession(RELATIVE + KE_HEX), record, mef.now))
  const before = dumpState(mef)
  const events = (await auditEvents(mef)).length
  await assert.rejects(
    mef.store.transaction((tx) => enrolFromSession(tx, mef.deps, fakeSession(RELATIVE + 'AB'.repeat(32)), record, mef.now)),
    { code: 'M2MSEC_STORE_CONFLICT' },
  )
  assert.deepEqual(dumpState(mef), before)
  assert.equal((await auditEvents(mef)).length, events, 'no enrolment event for a rolled-back enrolment')
})

test('one session, one Ke: the first enrolment marked on a session is kept; registrations made on it are remembered per session', () => {
  const s1 = fakeSession()
  const s2 = fakeSession()
  const first = { keId: `${RELATIVE}@${MEF_FQDN}`, expiresAt: new Date(1) }
  assert.equal(sessionEnrolment(s1), undefined)
  markSessionEnrolled(s1, first, 'ecrAAAAAAAAAAAAAAAA1')
  markSessionEnrolled(s1, { keId: `${'00'.repeat(16)}@${MEF_FQDN}`, expiresAt: new Date(2) }, 'ecrAAAAAAAAAAAAAAAA2')
  assert.equal(sessionEnrolment(s1), first)
  assert.ok(registeredOnSession(s1, 'ecrAAAAAAAAAAAAAAAA1'))
  assert.ok(registeredOnSession(s1, 'ecrAAAAAAAAAAAAAAAA2'))
  assert.equal(registeredOnSession(s1, 'ecrAAAAAAAAAAAAAAAA3'), false)
  assert.equal(sessionEnrolment(s2), undefined, 'another session knows nothing of it')
  assert.equal(registeredOnSession(s2, 'ecrAAAAAAAAAAAAAAAA1'), false)
})

test('re-enrolment: endPriorEnrolments deletes the enrolee\'s other live enrolments, keeps the given KeID and other enrolees\' ones', async (t) => {
  const { mef, record } = await setUp(t)
  const other = await enrolee(mef, 'kpm-en02@mef.example.com')
  const make = (ref: string, relative: string) => mef.store.transaction((tx) => tx.enrolments.create({
    keId: `${relative}@${MEF_FQDN}`, enroleeRef: ref, ke: new SecretBytes(fromHex(KE_HEX)), expiresAt: new Date(mef.now.getTime() + LIFETIME_MS),
  }))
  const old1 = await make(record.enroleeRef, '11'.repeat(16))
  const old2 = await make(record.enroleeRef, '22'.repeat(16))
  const current = await make(record.enroleeRef, 'AA'.repeat(16))
  const foreign = await make(other.enroleeRef, '33'.repeat(16))
  // The KeID to keep may arrive in another spelling (lower-case hex): still the same enrolment (OQ-2).
  const ended = await mef.store.transaction((tx) => endPriorEnrolments(tx, record.enroleeRef, current.keId.toLowerCase(), mef.now))
  assert.deepEqual(ended.sort(), [old1.keId, old2.keId].sort())
  const live = await mef.store.transaction(async (tx) => ({
    mine: (await tx.enrolments.listByEnrolee(record.enroleeRef, mef.now)).map((e) => e.keId),
    theirs: (await tx.enrolments.listByEnrolee(other.enroleeRef, mef.now)).map((e) => e.keId),
  }))
  assert.deepEqual(live, { mine: [current.keId], theirs: [foreign.keId] })
  assert.deepEqual(await mef.store.transaction((tx) => endPriorEnrolments(tx, record.enroleeRef, current.keId, mef.now)), [], 'nothing left to end')
})
