// updateEnrolee and deleteEnrolee of the MEF operator (frameworks.md §10.1 MEF instruction config;
// issue 8 PATCH/DELETE /v1/enrolees): an update is re-validated as an add would be and never
// touches the Kpm; a refused update changes nothing; delete takes the Kpm and the enrolments with
// it and frees the KpmID; each write is one audit event naming the actor given.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addEnrolee, deleteEnrolee, showEnrolee, updateEnrolee } from '../../../../../src/services/mef/operator/index.js'
import { freshKpmHex, NOW, openTestStore } from './operator-fixtures.js'

const KPM_ID = '000000000000000000000000000000E1@mef.example.com'

async function auditOf(store: Awaited<ReturnType<typeof openTestStore>>['store']): Promise<{ actor: string; action: string; subject: unknown }[]> {
  return [...await store.transaction((tx) => tx.audit.list({ afterSeq: 0, limit: 100 }))]
}

test('updateEnrolee changes expiry, targets and Enrolee-ID, keeps the Kpm, and names the actor in its audit event', async (t) => {
  const { store } = await openTestStore(t)
  const kpm = freshKpmHex()
  const added = await addEnrolee(store, { kpmId: KPM_ID, kpm, enrolmentExpiry: '30d', enroleeId: '//sp.example.com/Sdev1', targets: ['21:maf.example.com'] }, NOW)
  const updated = await updateEnrolee(store, KPM_ID, { enrolmentExpiry: '2d', targets: ['22://sp.example.com/CSE-B01:lifetime=1d'], enroleeId: null }, NOW, { actor: 'admin:token' })
  assert.deepEqual([updated.enroleeRef, updated.enrolmentExpiry, updated.enroleeId], [added.enroleeRef, '2d', undefined])
  assert.deepEqual(updated.targets, [{ targetId: '//sp.example.com/CSE-B01', suid: 22, keyLifetimeMs: 86_400_000 }])
  const psk = await store.reader.findPskByIdentity('mef', KPM_ID, NOW)
  assert.ok(psk.ok)
  assert.equal(Buffer.from(psk.credential.key.reveal()).toString('hex'), kpm, 'the stand-in Kpm of the validation never replaces the sealed one')
  const events = await auditOf(store)
  assert.deepEqual(events.map((e) => [e.actor, e.action]), [['operator', 'enrolee.add'], ['admin:token', 'enrolee.update']])
  assert.deepEqual((events[1]?.subject as { fields: string[] }).fields, ['enrolmentExpiry', 'targets', 'enroleeId'])
})

test('a refused update names the field and changes nothing; an empty update and an unknown enrolee are refused', async (t) => {
  const { store } = await openTestStore(t)
  await addEnrolee(store, { kpmId: KPM_ID, kpm: freshKpmHex(), enrolmentExpiry: '30d', targets: ['21:maf.example.com'] }, NOW)
  const before = await showEnrolee(store, KPM_ID, NOW)
  await assert.rejects(updateEnrolee(store, KPM_ID, { enrolmentExpiry: 'soon' }, NOW), { code: 'M2MSEC_ENROLEE_INVALID', field: 'enrolmentExpiry' })
  await assert.rejects(updateEnrolee(store, KPM_ID, { targets: ['21:'] }, NOW), { code: 'M2MSEC_ENROLEE_INVALID', field: 'targets[0]' })
  await assert.rejects(updateEnrolee(store, KPM_ID, { enroleeId: 'not-absolute' }, NOW), { code: 'M2MSEC_ENROLEE_INVALID', field: 'enroleeId' })
  await assert.rejects(updateEnrolee(store, KPM_ID, {}, NOW), { code: 'M2MSEC_ENROLEE_INVALID', field: 'update' })
  await assert.rejects(updateEnrolee(store, 'enrNOPE', { enrolmentExpiry: '1d' }, NOW), { code: 'M2MSEC_ENROLEE_NOT_FOUND' })
  assert.deepEqual(await showEnrolee(store, KPM_ID, NOW), before)
  assert.equal((await auditOf(store)).length, 1)
})

test('deleteEnrolee removes the enrolee, its Kpm and its enrolments, frees the KpmID, and audits with the actor', async (t) => {
  const { store } = await openTestStore(t)
  const added = await addEnrolee(store, { kpmId: KPM_ID, kpm: freshKpmHex(), enrolmentExpiry: '30d' }, NOW)
  const result = await deleteEnrolee(store, added.enroleeRef, NOW, { actor: 'admin:urn:m2msec:operator:dev' })
  assert.equal(result.enrolee.enroleeRef, added.enroleeRef)
  assert.deepEqual(result.deletedKeIds, [])
  await assert.rejects(showEnrolee(store, KPM_ID, NOW), { code: 'M2MSEC_ENROLEE_NOT_FOUND' })
  const psk = await store.reader.findPskByIdentity('mef', KPM_ID, NOW)
  assert.ok(!psk.ok)
  await assert.rejects(deleteEnrolee(store, added.enroleeRef, NOW), { code: 'M2MSEC_ENROLEE_NOT_FOUND' })
  const again = await addEnrolee(store, { kpmId: KPM_ID, kpm: freshKpmHex(), enrolmentExpiry: '1d' }, NOW)
  assert.notEqual(again.enroleeRef, added.enroleeRef)
  assert.deepEqual((await auditOf(store)).map((e) => [e.actor, e.action]), [['operator', 'enrolee.add'], ['admin:urn:m2msec:operator:dev', 'enrolee.delete'], ['operator', 'enrolee.add']])
})
