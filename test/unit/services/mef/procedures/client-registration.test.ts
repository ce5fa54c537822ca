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

test('§4.5 CREATE refusals change nothing: 4000 malformed / past et, 4105 duplicate on one session, 4103 Target, 4106 revoked, 4108 wrong ty', async (t) => {
  const { mef, peer } = await setUp(t)
  await expectRefusal(() => call(mef, OPERATION.CREATE, 'mef', peer, { 'sec:mecr': { et: timestampIn(mef, 1000) } }), 4000, 'adfq is mandatory')
  await expectRefusal(() => call(mef, OPERATION.CREATE, 'mef', peer, { 'sec:mecr': { et: timestampIn(mef, -1000), adfq: ADFQ } }), 4000, 'et in the past')
  await expectRefusal(() => call(mef, OPERATION.CREATE, 'mef', peer, { 'sec:mecr': { et: timestampIn(mef, 1000), adfq: ADFQ, clid: 'x' } }), 4000, 'clid is not client-settable')
  await expectRefusal(() => call(mef, OPERATION.CREATE, 'mef', targetPeer('cse-b01.sp.example.com', ['//sp.example.com/CSE-B01']), regBody(mef)), 4103, 'a Target registers nothing')
  const before = dumpState(mef)
  const session = fakeSession()
  assert.equal((await call(mef, OPERATION.CREATE, 'mef', peer, regBody(mef), session)).response.rsc, 2001)
  const afterFirst = dumpState(mef)
  await expectRefusal(() => call(mef, OPERATION.CREATE, 'mef', peer, regBody(mef), session), 4105, 'same client and adfq on the same session')
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

// Re-enrolment and clean-up (issue 5 follow-up; docs/decisions.md "re-enrolment supersedes").
const DAY = 86_400_000
/** Two distinct session exports: RelativeKeID (16 bytes) ‖ Ke (32 bytes). */
const EXPORT_1 = `A1A1A1A1B2B2B2B2C3C3C3C3D4D4D4D4${'1E'.repeat(32)}`
const EXPORT_2 = `E5E5E5E5F6F6F6F60707070718181818${'2E'.repeat(32)}`
const keIdOf = (hex: string) => `${hex.slice(0, 32)}@${MEF_FQDN}`

function regIdOf(reply: { response: { pc?: unknown } }): string {
  return String((reply.response.pc as Record<string, Record<string, unknown>>)['sec:mecr']!.ri)
}

/** A key registration (supplied Key Value) made by `peer` under its registration for ADFQ. */
async function addKey(mef: TestMef, peer: MefPeer, lifetimeMs = DAY / 2): Promise<string> {
  const kyv = Buffer.from(KC_HEX, 'hex').toString('base64')
  const pc = { 'sec:skr': { et: timestampIn(mef, lifetimeMs), adfq: ADFQ, suid: 22, tgis: ['//sp.example.com/CSE-B01'], kyv } }
  const p = primitive(OPERATION.CREATE, 'mef', pc, { ty: 32006 })
  const reply = await dispatch(mefRequest(mef, p, peer), mef.deps, routeTo('mef', MEF_FQDN))
  assert.equal(reply.response.rsc, 2001, 'key registered')
  return String(reply.createdResourceId)
}

const liveKeIds = async (mef: TestMef, enroleeRef: string) =>
  (await mef.store.transaction((tx) => tx.enrolments.listByEnrolee(enroleeRef, mef.now))).map((e) => e.keId)
const keysOf = async (mef: TestMef, clientId: string) =>
  mef.store.transaction((tx) => tx.keyRegistrations.listBySource(MEF_FQDN, clientId, mef.now))

test('re-enrolment: a CREATE on a new session supersedes the live (client, adfq) registration, its keys and the old Ke, in one event', async (t) => {
  const { mef, peer } = await setUp(t)
  const first = await call(mef, OPERATION.CREATE, 'mef', peer, regBody(mef), fakeSession(EXPORT_1))
  const oldRegId = regIdOf(first)
  await addKey(mef, peer)
  assert.equal((await keysOf(mef, CLIENT)).length, 1)
  assert.deepEqual(await liveKeIds(mef, peer.enroleeRef), [keIdOf(EXPORT_1)])

  const session2 = fakeSession(EXPORT_2)
  const second = await call(mef, OPERATION.CREATE, 'mef', peer, regBody(mef), session2)
  assert.equal(second.response.rsc, 2001, 'the device that lost its credential file gets a fresh registration')
  const newRegId = regIdOf(second)
  assert.notEqual(newRegId, oldRegId)
  assert.deepEqual(session2.exports, [{ label: 'EXPORTER-oneM2M-Bootstrap', length: 48 }], 'a fresh Ke from the new session')
  assert.deepEqual(await liveKeIds(mef, peer.enroleeRef), [keIdOf(EXPORT_2)], 'the old Ke is ended, the new one stored')
  assert.equal(await mef.store.transaction((tx) => tx.enrolments.find(keIdOf(EXPORT_1), mef.now)), undefined, 'a stolen old Ke no longer resolves')
  assert.equal(await mef.store.transaction((tx) => tx.clientRegistrations.get(oldRegId, mef.now)), undefined)
  await expectRefusal(() => call(mef, OPERATION.RETRIEVE, `mef/${oldRegId}/cmd`, peer), 4004, 'the old command child is gone')
  assert.deepEqual(await keysOf(mef, CLIENT), [], 'key registrations made under the old registration are gone')
  assert.equal((await call(mef, OPERATION.RETRIEVE, `mef/${newRegId}/cmd`, peer)).response.rsc, 2000)

  const events = (await auditEvents(mef)).filter((e) => e.action === 'mef.client-registration')
  assert.deepEqual(events.map((e) => e.outcome), ['ok', 'superseded'])
  assert.deepEqual(
    { ...events[1]!.subject },
    {
      regId: newRegId, supersededRegId: oldRegId, clientId: CLIENT, credentialId: peer.credentialId, adminFqdn: ADFQ,
      keId: keIdOf(EXPORT_2), endedKeIds: [keIdOf(EXPORT_1)], deletedKeyRegistrations: 1,
    },
  )

  // The same session again: another adfq reuses its Ke and supersedes nothing; the same adfq is a duplicate.
  const third = await call(mef, OPERATION.CREATE, 'mef', peer, regBody(mef, 'other.example.com'), session2)
  assert.equal(third.response.rsc, 2001)
  assert.equal(session2.exports.length, 1, 'no second export on the same session')
  assert.deepEqual(await liveKeIds(mef, peer.enroleeRef), [keIdOf(EXPORT_2)])
  const settled = dumpState(mef)
  await expectRefusal(() => call(mef, OPERATION.CREATE, 'mef', peer, regBody(mef), session2), 4105, 'same adfq on the same session')
  assert.deepEqual(dumpState(mef), settled, 'a refused duplicate changes nothing')
  assert.equal((await auditEvents(mef)).filter((e) => e.outcome === 'superseded').length, 1)
  assertNoKeyOnDisk(mef, [EXPORT_1.slice(32), EXPORT_2.slice(32), KC_HEX])
})

test('re-enrolment after the registration expired (row not yet purged) supersedes it instead of colliding', async (t) => {
  const { mef, peer } = await setUp(t)
  const shortBody = { 'sec:mecr': { et: timestampIn(mef, 60_000), adfq: ADFQ } }
  const oldRegId = regIdOf(await call(mef, OPERATION.CREATE, 'mef', peer, shortBody, fakeSession(EXPORT_1)))
  mef.now = new Date(mef.now.getTime() + 120_000)
  const reply = await call(mef, OPERATION.CREATE, 'mef', peer, regBody(mef), fakeSession(EXPORT_2))
  assert.equal(reply.response.rsc, 2001)
  const superseded = (await auditEvents(mef)).find((e) => e.outcome === 'superseded')
  assert.equal(superseded?.subject.supersededRegId, oldRegId)
  assert.equal(await mef.store.transaction((tx) => tx.clientRegistrations.get(oldRegId, new Date(0))), undefined, 'the expired row is removed')
})

test('a supersession that fails part-way changes nothing: old registration, key and Ke survive', async (t) => {
  const { mef, peer } = await setUp(t)
  await call(mef, OPERATION.CREATE, 'mef', peer, regBody(mef), fakeSession(EXPORT_1))
  await addKey(mef, peer)
  const before = dumpState(mef)
  // A new session whose export repeats an issued RelativeKeID: the enrolment insert fails after
  // the old registration and its keys were already deleted inside the transaction.
  await assert.rejects(call(mef, OPERATION.CREATE, 'mef', peer, regBody(mef), fakeSession(EXPORT_1)), { code: 'M2MSEC_STORE_CONFLICT' })
  assert.deepEqual(dumpState(mef), before, 'rolled back as one transaction')
  assert.deepEqual(await liveKeIds(mef, peer.enroleeRef), [keIdOf(EXPORT_1)])
})

test('8.3.5.2.6: de-registration deletes the key registrations made under it in the same transaction', async (t) => {
  const { mef, peer } = await setUp(t)
  const regId = regIdOf(await call(mef, OPERATION.CREATE, 'mef', peer, regBody(mef), fakeSession(EXPORT_1)))
  await addKey(mef, peer)
  await addKey(mef, peer)
  assert.equal((await keysOf(mef, CLIENT)).length, 2)
  assert.equal((await call(mef, OPERATION.DELETE, `mef/${regId}`, peer)).response.rsc, 2002)
  assert.deepEqual(await keysOf(mef, CLIENT), [])
  const event = (await auditEvents(mef)).find((e) => e.action === 'mef.client-deregistration')
  assert.equal(event?.subject.deletedKeyRegistrations, 2)
  // A refused de-registration (another client) deletes no key.
  const other = await addEnrolee(mef, { clientId: '//sp.example.com/Sdev02', registrationLifetimeMs: undefined })
  const regId2 = regIdOf(await call(mef, OPERATION.CREATE, 'mef', peer, regBody(mef), fakeSession(EXPORT_2)))
  await addKey(mef, peer)
  const before = dumpState(mef)
  await expectRefusal(() => call(mef, OPERATION.DELETE, `mef/${regId2}`, other), 4103, 'creator only')
  assert.deepEqual(dumpState(mef), before)
})

test('8.3.5.2.5: a shorter et caps the expiry of the registration\'s keys; a longer et leaves them', async (t) => {
  const { mef, peer } = await setUp(t)
  const regId = regIdOf(await call(mef, OPERATION.CREATE, 'mef', peer, regBody(mef), fakeSession(EXPORT_1)))
  await addKey(mef, peer, DAY / 2)
  await addKey(mef, peer, DAY / 8)
  const expiries = async () => (await keysOf(mef, CLIENT)).map((k) => k.expiresAt.getTime()).sort()
  assert.deepEqual(await expiries(), [mef.now.getTime() + DAY / 8, mef.now.getTime() + DAY / 2].sort())
  await call(mef, OPERATION.UPDATE, `mef/${regId}`, peer, { 'sec:mecr': { et: timestampIn(mef, DAY / 4) } })
  assert.deepEqual(await expiries(), [mef.now.getTime() + DAY / 8, mef.now.getTime() + DAY / 4].sort(), 'only the key outliving the registration is capped')
  const update = (await auditEvents(mef)).find((e) => e.action === 'mef.client-registration-update')
  assert.equal(update?.subject.cappedKeyRegistrations, 1)
  await call(mef, OPERATION.UPDATE, `mef/${regId}`, peer, { 'sec:mecr': { et: timestampIn(mef, 2 * DAY) } })
  assert.deepEqual(await expiries(), [mef.now.getTime() + DAY / 8, mef.now.getTime() + DAY / 4].sort(), 'a longer et does not stretch keys')
  // Labels alone leave keys untouched.
  await call(mef, OPERATION.UPDATE, `mef/${regId}`, peer, { 'sec:mecr': { lbl: ['x'] } })
  assert.equal((await keysOf(mef, CLIENT)).length, 2)
})
