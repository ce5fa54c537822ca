// TS-0003 8.8.2.7–8.8.2.10 MAF Key Registration, Retrieval, Update and De-Registration over a
// real SQLite store (mef-maf-interface.md §3.6/§3.7/§4.1/§4.5/§4.6): Kc/KcID from
// EXPORTER-oneM2M-Connection of the session carrying the CREATE (10.3.1), Key Identifier
// hex(KcID)@MAF-FQDN (10.3.5, OQ-12), SUIDs 32–35, tgis cardinality, MAF-assigned lifetime, and
// Key Retrieval only by a listed Target (with clid = IdA or 11-<KmID>, OQ-20/OQ-33).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { EXPORTER_LABEL_CONNECTION } from '../../../../../src/core/index.js'
import { OPERATION } from '../../../../../src/onem2m/index.js'
import { createClientRegistration } from '../../../../../src/services/maf/procedures/client-registration.js'
import { deregisterKey } from '../../../../../src/services/maf/procedures/key-deregistration.js'
import { registerKey } from '../../../../../src/services/maf/procedures/key-registration.js'
import { retrieveKey } from '../../../../../src/services/maf/procedures/key-retrieval.js'
import { updateKeyRegistration } from '../../../../../src/services/maf/procedures/key-update.js'
import type { MafPeer } from '../../../../../src/services/maf/context.js'
import {
  ADFQ, ALL_KEYS, DAY, KC_HEX, KC_ID_HEX, KC_LIFETIME_MS, SUPPLIED_KEY_HEX, addKmClient, assertNoKey, assertNoKeyOnDisk, create, fakeSession,
  mafRequest, openTestMaf, primitive, refusedUnchanged, timestampIn, type FakeSession, type TestMaf,
} from '../maf-fixtures.js'

const IDA = '//sp.example.com/Sdevice01'
const IDB = '//sp.example.com/CSE-B01'
const OTHER = '//sp.example.com/CSE-B02'

function skrOf(reply: { response: { pc?: unknown } }): Record<string, unknown> {
  return (reply.response.pc as Record<string, Record<string, unknown>>)['sec:skr'] as Record<string, unknown>
}

interface World {
  readonly maf: TestMaf
  readonly a: MafPeer
  readonly b: MafPeer
  readonly other: MafPeer
}

async function world(t: Parameters<typeof openTestMaf>[0], options: { registerA?: boolean; boundA?: boolean } = {}): Promise<World> {
  const maf = await openTestMaf(t)
  const a = await addKmClient(maf, 'km-a@maf.example.com', options.boundA === false ? undefined : IDA)
  const b = await addKmClient(maf, 'km-b@maf.example.com', IDB)
  const other = await addKmClient(maf, 'km-c@maf.example.com', OTHER)
  if (options.registerA !== false) {
    await createClientRegistration(mafRequest(maf, create('maf', 32002, { 'sec:macr': { et: timestampIn(maf, 30 * DAY), adfq: ADFQ } }), a), maf.deps)
  }
  return { maf, a, b, other }
}

function skr(maf: TestMaf, members: Record<string, unknown> = {}): unknown {
  return { 'sec:skr': { et: timestampIn(maf, DAY), adfq: ADFQ, suid: 32, tgis: [IDB], ...members } }
}

function register(w: World, pc: unknown, session: FakeSession = fakeSession(), peer = w.a) {
  return registerKey(mafRequest(w.maf, create('maf', 32006, pc), peer, session), w.maf.deps)
}

function retrieve(w: World, peer: MafPeer, rel = KC_ID_HEX) {
  return retrieveKey(rel)(mafRequest(w.maf, primitive(OPERATION.RETRIEVE, `maf/${rel}`), peer), w.maf.deps)
}

test('8.8.2.7: without Key Value, Kc is EXPORTER-oneM2M-Connection of the session and RelativeKeyID = hex(KcID) (OQ-12); no kyv in the answer', async (t) => {
  const w = await world(t)
  const session = fakeSession()
  const reply = await register(w, skr(w.maf), session)
  assert.equal(reply.response.rsc, 2001)
  assert.deepEqual(session.exports, [{ label: EXPORTER_LABEL_CONNECTION, length: 48 }])
  const body = skrOf(reply)
  assert.equal(body.rkid, KC_ID_HEX)
  assert.equal(body.clid, IDA)
  assert.deepEqual(body.tgis, [IDB])
  assert.equal(body.suid, 32)
  assert.equal(body.kyv, undefined)
  assert.equal(reply.createdResourceId, `maf/${KC_ID_HEX}`)
  assertNoKey(reply, ALL_KEYS, 'registration response')
  assertNoKeyOnDisk(w.maf, ALL_KEYS)
})

test('8.8.2.7: the MAF assigns the lifetime (at most kcLifetimeMs)', async (t) => {
  const w = await world(t)
  const body = skrOf(await register(w, skr(w.maf, { et: timestampIn(w.maf, 20 * DAY) })))
  assert.equal(body.et, timestampIn(w.maf, KC_LIFETIME_MS))
})

test('8.8.2.7 refusals (§4.5): 4102 SUID outside 32–35; 4000 tgis cardinality, relative ID, duplicates, missing; 4000 short kyv; 4103 unregistered Source; 4105 same session twice', async (t) => {
  const w = await world(t)
  for (const suid of [12, 21, 22, 31, 36]) await refusedUnchanged(w.maf, () => register(w, skr(w.maf, { suid })), 4102, `SUID ${suid}`)
  await refusedUnchanged(w.maf, () => register(w, skr(w.maf, { tgis: [IDB, OTHER] })), 4000, 'SAEF with two targets')
  await refusedUnchanged(w.maf, () => register(w, skr(w.maf, { suid: 33, tgis: [] })), 4000, 'ESPrim with no target')
  await refusedUnchanged(w.maf, () => register(w, skr(w.maf, { suid: 34, tgis: [] })), 4000, 'ESData with no target')
  await refusedUnchanged(w.maf, () => register(w, skr(w.maf, { suid: 34, tgis: [IDB, IDB] })), 4000, 'duplicate target')
  await refusedUnchanged(w.maf, () => register(w, skr(w.maf, { tgis: ['CSE-B01'] })), 4000, 'relative target')
  await refusedUnchanged(w.maf, () => register(w, { 'sec:skr': { et: timestampIn(w.maf, DAY), adfq: ADFQ, suid: 32 } }), 4000, 'no tgis')
  await refusedUnchanged(w.maf, () => register(w, skr(w.maf, { kyv: Buffer.alloc(16, 7).toString('base64') })), 4000, '16-byte kyv')
  await refusedUnchanged(w.maf, () => register(w, skr(w.maf, { adfq: 'other.example.com' })), 4103, 'no registration for adfq')
  await refusedUnchanged(w.maf, () => register(w, skr(w.maf), fakeSession(), w.b), 4103, 'B has no registration')
  await register(w, skr(w.maf))
  await refusedUnchanged(w.maf, () => register(w, skr(w.maf)), 4105, 'RelativeKeyID issued before')
})

test('8.8.2.7: a self-generated 32-byte Key Value gets a fresh RelativeKeyID and is handed to the Target unchanged', async (t) => {
  const w = await world(t)
  const session = fakeSession()
  const body = skrOf(await register(w, skr(w.maf, { kyv: Buffer.from(SUPPLIED_KEY_HEX, 'hex').toString('base64') }), session))
  assert.equal(session.exports.length, 0)
  assert.match(String(body.rkid), /^[0-9A-F]{32}$/)
  assert.notEqual(body.rkid, KC_ID_HEX)
  const got = skrOf(await retrieve(w, w.b, String(body.rkid)))
  assert.equal(Buffer.from(String(got.kyv), 'base64').toString('hex').toUpperCase(), SUPPLIED_KEY_HEX)
})

test('8.8.2.8: only the listed Target gets kyv with et, suid, clid (IdA) — no tgis; the Source reads it without kyv; others 4103', async (t) => {
  const w = await world(t)
  await register(w, skr(w.maf))
  const got = skrOf(await retrieve(w, w.b))
  assert.equal(Buffer.from(String(got.kyv), 'base64').toString('hex').toUpperCase(), KC_HEX)
  assert.equal(got.clid, IDA)
  assert.equal(got.suid, 32)
  assert.equal(got.tgis, undefined)
  assert.equal(got.et, timestampIn(w.maf, DAY))
  const own = skrOf(await retrieve(w, w.a))
  assert.equal(own.kyv, undefined)
  await refusedUnchanged(w.maf, () => retrieve(w, w.other), 4103, 'not a Target')
})

test('8.8.2.8: when the MAF knows no IdA, the Target receives the Credential-ID 11-<KmID> as Source MAF Client ID (OQ-20, OQ-33)', async (t) => {
  const w = await world(t, { boundA: false })
  await register(w, skr(w.maf))
  assert.equal(skrOf(await retrieve(w, w.b)).clid, '11-km-a@maf.example.com')
})

test('8.8.2.8: an expired Kc is refused with 4004, as is an unknown RelativeKeyID', async (t) => {
  const w = await world(t)
  await register(w, skr(w.maf))
  await refusedUnchanged(w.maf, () => retrieve(w, w.b, '00000000000000000000000000000000'), 4004, 'unknown')
  w.maf.now = new Date(w.maf.now.getTime() + DAY)
  await refusedUnchanged(w.maf, () => retrieve(w, w.b), 4004, 'expired at its expiry instant')
})

test('8.8.2.9 Key Registration Update: only the requested attributes come back; 4000 empty or bad tgis; 4103 not the Source; 4004 unknown', async (t) => {
  const w = await world(t)
  await register(w, skr(w.maf))
  const update = (peer: MafPeer, pc: unknown, rel = KC_ID_HEX) => updateKeyRegistration(rel)(mafRequest(w.maf, primitive(OPERATION.UPDATE, `maf/${rel}`, pc), peer), w.maf.deps)
  const reply = await update(w.a, { 'sec:skr': { tgis: [OTHER] } })
  assert.equal(reply.response.rsc, 2004)
  assert.deepEqual(skrOf(reply), { tgis: [OTHER] })
  await refusedUnchanged(w.maf, () => retrieve(w, w.b), 4103, 'B was removed from the list')
  assert.ok(skrOf(await retrieve(w, w.other)).kyv)
  const et = await update(w.a, { 'sec:skr': { et: timestampIn(w.maf, 10 * DAY), lbl: ['x'] } })
  assert.deepEqual(skrOf(et), { et: timestampIn(w.maf, KC_LIFETIME_MS), lbl: ['x'] })
  await refusedUnchanged(w.maf, () => update(w.a, { 'sec:skr': {} }), 4000, 'empty')
  await refusedUnchanged(w.maf, () => update(w.a, { 'sec:skr': { tgis: [IDB, OTHER] } }), 4000, 'two targets for SAEF')
  await refusedUnchanged(w.maf, () => update(w.a, { 'sec:skr': { suid: 33 } }), 4000, 'suid is not updatable')
  await refusedUnchanged(w.maf, () => update(w.other, { 'sec:skr': { lbl: [] } }), 4103, 'a Target is not the Source')
  await refusedUnchanged(w.maf, () => update(w.a, { 'sec:skr': { lbl: [] } }, 'AB'), 4004, 'unknown')
})

test('8.8.2.10 Key De-Registration: 2002 by the Source, 4103 by anyone else; the key is gone (4004) and its id is never reissued (4105)', async (t) => {
  const w = await world(t)
  await register(w, skr(w.maf))
  const del = (peer: MafPeer) => deregisterKey(KC_ID_HEX)(mafRequest(w.maf, primitive(OPERATION.DELETE, `maf/${KC_ID_HEX}`), peer), w.maf.deps)
  await refusedUnchanged(w.maf, () => del(w.b), 4103, 'Target deletes')
  assert.equal((await del(w.a)).response.rsc, 2002)
  await refusedUnchanged(w.maf, () => retrieve(w, w.b), 4004, 'deregistered')
  await refusedUnchanged(w.maf, () => del(w.a), 4004, 'twice')
  await refusedUnchanged(w.maf, () => register(w, skr(w.maf)), 4105, 'same export again')
})
