// MEF Client Registration / Configuration Retrieval / Update / De-Registration (TS-0003
// 8.3.5.2.3–6) and Client Command Retrieve/Update (8.3.9.2–3) with every error row of
// mef-maf-interface.md §4.5 that applies; enrolment at the first CREATE of a session (10.3.1).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { OPERATION } from '../../../../../src/onem2m/index.js'
import { dispatch, routeTo } from '../../../../../src/services/mef/router.js'
import type { MefPeer } from '../../../../../src/services/mef/context.js'
import {
  ADFQ, KC_HEX, KC_ID_HEX, MEF_FQDN, addEnrolee, assertNoKeyOnDisk, auditEvents, dumpState, expectRefusal, fakeSession, mefRequest, openTestMef,
  primitive, targetPeer, timestampIn, type TestMef,
} from './key-fixtures.js'

const CLIENT = '//sp.example.com/Sdev01'

function call(mef: TestMef, op: number, to: string, peer: MefPeer, pc?: unknown, session = fakeSession()) {
  const p = primitive(op as 1, to, pc, op === OPERATION.CREATE ? { ty: 32004 } : {})
  return dispatch(mefRequest(mef, p, peer, session), mef.deps, routeTo(to, MEF_FQDN))
}

const regBody = (mef: TestMef, adfq = ADFQ) => ({ 'sec:mecr': { et: timestampIn(mef, 86_400_000), adfq } })

async function setUp(t: Parameters<typeof openTestMef>[0]) {
  const mef = await openTestMef(t)
  const peer = await addEnrolee(mef, { clientId: CLIENT, registrationLifetimeMs: undefined })
  return { mef, peer }
}

test('8.3.5.2.3: CREATE registers, enrols the session (KeID = hex(export[0..16])@MEF) and names the command child', async (t) => {
  const { mef, peer } = await setUp(t)
  const session = fakeSession()
  const reply = await call(mef, OPERATION.CREATE, 'mef', peer, regBody(mef), session)
  assert.equal(reply.response.rsc, 2001)
  const reg = (reply.response.pc as Record<string, Record<string, unknown>>)['sec:mecr']!
  assert.equal(reg.clid, CLIENT)
  assert.equal(reg.adfq, ADFQ)
  assert.match(String(reg.ri), /^ecr[A-Z0-9]{16}$/)
  assert.deepEqual(reg.ch, [{ nm: 'cmd', typ: 32005, val: `mef/${String(reg.ri)}/cmd` }])
  assert.equal(reply.createdResourceId, `mef/${String(reg.ri)}`)
  assert.deepEqual(session.exports, [{ label: 'EXPORTER-oneM2M-Bootstrap', length: 48 }])
  const keIds = await mef.store.transaction((tx) => tx.enrolments.listByEnrolee(peer.enroleeRef, mef.now))
  assert.deepEqual(keIds.map((e) => e.keId), [`${KC_ID_HEX}@${MEF_FQDN}`])
  assert.equal(keIds[0]!.expiresAt.getTime(), mef.now.getTime() + 365 * 24 * 3600_000, 'Enrolment Expiry from the enrolee record')
  // A second registration on the same session reuses the session's Ke: no second export, no second row.
  assert.equal((await call(mef, OPERATION.CREATE, 'mef', peer, regBody(mef, 'other.example.com'), session)).response.rsc, 2001)
  assert.equal(session.exports.length, 1)
  assert.equal((await mef.store.transaction((tx) => tx.enrolments.listByEnrolee(peer.enroleeRef, mef.now))).length, 1)
  assert.ok((await auditEvents(mef)).some((e) => e.action === 'mef.enrolment' && e.subject.keId === `${KC_ID_HEX}@${MEF_FQDN}`))
  assertNoKeyOnDisk(mef, [KC_HEX])
})

test('§4.5 CREATE refusals change nothing: 4000 malformed / past et, 4105 duplicate, 4103 Target, 4106 revoked, 4108 wrong ty', async (t) => {
  const { mef, peer } = await setUp(t)
  await expectRefusal(() => call(mef, OPERATION.CREATE, 'mef', peer, { 'sec:mecr': { et: timestampIn(mef, 1000) } }), 4000, 'adfq is mandatory')
  await expectRefusal(() => call(mef, OPERATION.CREATE, 'mef', peer, { 'sec:mecr': { et: timestampIn(mef, -1000), adfq: ADFQ } }), 4000, 'et in the past')
  await expectRefusal(() => call(mef, OPERATION.CREATE, 'mef', peer, { 'sec:mecr': { et: timestampIn(mef, 1000), adfq: ADFQ, clid: 'x' } }), 4000, 'clid is not client-settable')
  await expectRefusal(() => call(mef, OPERATION.CREATE, 'mef', targetPeer('cse-b01.sp.example.com', ['//sp.example.com/CSE-B01']), regBody(mef)), 4103, 'a Target registers nothing')
  const before = dumpState(mef)
  assert.equal((await call(mef, OPERATION.CREATE, 'mef', peer, regBody(mef))).response.rsc, 2001)
  const afterFirst = dumpState(mef)
  await expectRefusal(() => call(mef, OPERATION.CREATE, 'mef', peer, regBody(mef)), 4105, 'same client and adfq')
  assert.deepEqual(dumpState(mef), afterFirst, 'a refused duplicate stores no second enrolment')
  assert.notDeepEqual(before, afterFirst)
  await mef.store.transaction((tx) => tx.enrolees.setStatus(peer.enroleeRef, 'revoked'))
  const revoked = dumpState(mef)
  await expectRefusal(() => call(mef, OPERATION.CREATE, 'mef', peer, regBody(mef, 'third.example.com')), 4106, 'revoked after the handshake')
  assert.deepEqual(dumpState(mef), revoked)
  const p = primitive(OPERATION.CREATE, 'mef', regBody(mef), { ty: 2 })
  await expectRefusal(() => dispatch(mefRequest(mef, p, peer), mef.deps, routeTo('mef', MEF_FQDN)), 4108, 'ty 2 under <MEFBase>')
})

test('8.3.5.2.4–6: configuration retrieval 4004 without ccfg, update echoes only et, delete then 4004; 4103 for another client', async (t) => {
  const { mef, peer } = await setUp(t)
  const other = await addEnrolee(mef, { clientId: '//sp.example.com/Sdev02', registrationLifetimeMs: undefined })
  const created = await call(mef, OPERATION.CREATE, 'mef', peer, regBody(mef))
  const regId = String((created.response.pc as Record<string, Record<string, unknown>>)['sec:mecr']!.ri)
  await expectRefusal(() => call(mef, OPERATION.RETRIEVE, `mef/${regId}#ccfg`, peer), 4004, 'no client configuration')
  assert.equal((await call(mef, OPERATION.RETRIEVE, regId, peer)).response.rsc, 2000)
  await expectRefusal(() => call(mef, OPERATION.RETRIEVE, regId, other), 4103, 'creator only')
  await expectRefusal(() => call(mef, OPERATION.UPDATE, regId, peer, { 'sec:mecr': {} }), 4000, 'update needs et or lbl')
  await expectRefusal(() => call(mef, OPERATION.UPDATE, regId, peer, { 'sec:mecr': { adfq: 'x.example.com' } }), 4000, 'adfq is NP on update')
  const updated = await call(mef, OPERATION.UPDATE, regId, peer, { 'sec:mecr': { et: timestampIn(mef, 3_600_000) } })
  assert.equal(updated.response.rsc, 2004)
  assert.deepEqual(updated.response.pc, { 'sec:mecr': { et: timestampIn(mef, 3_600_000) } })
  await expectRefusal(() => call(mef, OPERATION.DELETE, regId, other), 4103, 'creator only')
  assert.equal((await call(mef, OPERATION.DELETE, `mef/${regId}`, peer)).response.rsc, 2002)
  await expectRefusal(() => call(mef, OPERATION.RETRIEVE, `mef/${regId}/cmd`, peer), 4004, 'gone after de-registration')
  await expectRefusal(() => call(mef, OPERATION.UPDATE, 'mef', peer, { 'sec:mefb': {} }), 4005, 'UPDATE of <MEFBase>')
  await expectRefusal(() => call(mef, OPERATION.DELETE, 'mef', peer), 4005, 'DELETE of <MEFBase>')
  assert.equal((await call(mef, OPERATION.RETRIEVE, 'mef', peer)).response.rsc, 2000)
})

test('8.3.9.2–3: the command child holds NO_MORE_COMMANDS; a report of the current cmid yields the next; 4000 / 4005', async (t) => {
  const { mef, peer } = await setUp(t)
  const created = await call(mef, OPERATION.CREATE, 'mef', peer, regBody(mef))
  const regId = String((created.response.pc as Record<string, Record<string, unknown>>)['sec:mecr']!.ri)
  const first = await call(mef, OPERATION.RETRIEVE, `${regId}/cmd`, peer)
  assert.deepEqual(first.response.pc, { 'sec:mecc': { cmid: '1', cmst: 10, cmdd: { ccid: 0, tgid: CLIENT, cmag: { nmca: { rtdu: 'PT24H' } } } } })
  const stale = await call(mef, OPERATION.UPDATE, `mef/${regId}/cmd`, peer, { 'sec:mecc': { cmid: '7', cmst: 20 } })
  assert.equal((stale.response.pc as Record<string, Record<string, unknown>>)['sec:mecc']!.cmid, '1', 'an unknown cmid is ignored (8.3.9.3 2b)')
  const next = await call(mef, OPERATION.UPDATE, `mef/${regId}/cmd`, peer, { 'sec:mecc': { cmid: 1, cmst: 20 } })
  assert.equal(next.response.rsc, 2004)
  assert.equal((next.response.pc as Record<string, Record<string, unknown>>)['sec:mecc']!.cmid, '2')
  await expectRefusal(() => call(mef, OPERATION.UPDATE, `mef/${regId}/cmd`, peer, { 'sec:mecc': { cmst: 20 } }), 4000, 'unparsable update (K9)')
  await expectRefusal(() => call(mef, OPERATION.DELETE, `mef/${regId}/cmd`, peer), 4005, 'DELETE of <mefClientCmd>')
})
