// TS-0003 8.8.2.3–8.8.2.6 MAF Client Registration, Configuration Retrieval, Update and
// De-Registration over a real SQLite store, as mapped in mef-maf-interface.md §3.4/§4.1/§4.5,
// with the KmID the MAF assigns for a remotely provisioned Km (OQ-7, OQ-29) and the Client ID
// rule of OQ-20/OQ-33.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { OPERATION } from '../../../../../src/onem2m/index.js'
import {
  createClientRegistration, deleteClientRegistration, retrieveClientRegistration, updateClientRegistration,
} from '../../../../../src/services/maf/procedures/client-registration.js'
import type { MafPeer } from '../../../../../src/services/maf/context.js'
import {
  ADFQ, ALL_KEYS, DAY, KM_REMOTE_HEX, REG_MAX_MS, addKeIdClient, addKmClient, assertNoKeyOnDisk, auditEvents, create, keyHexOf, mafRequest,
  openTestMaf, primitive, refusedUnchanged, resolvePeer, timestampIn, type TestMaf,
} from '../maf-fixtures.js'

const DEVICE = '//sp.example.com/Sdevice01'
const KE_ID = '1C2B16403482987C93BA591954C8B67C@mef.example.com'
const KM_ID = 'km-dev-01@maf.example.com'

function body(reply: { response: { pc?: unknown } }): Record<string, unknown> {
  return (reply.response.pc as Record<string, Record<string, unknown>>)['sec:macr'] as Record<string, unknown>
}

function macr(maf: TestMaf, members: Record<string, unknown> = {}): unknown {
  return { 'sec:macr': { et: timestampIn(maf, 10 * DAY), adfq: ADFQ, ...members } }
}

async function register(maf: TestMaf, peer: MafPeer, pc: unknown = macr(maf)) {
  return createClientRegistration(mafRequest(maf, create('maf', 32002, pc), peer), maf.deps)
}

test('8.8.2.3 with a pre-provisioned KmID bound to an AE-ID: 2001, clid = AE-ID (OQ-20), no assignedSymmKeyID', async (t) => {
  const maf = await openTestMaf(t)
  const peer = await addKmClient(maf, KM_ID, DEVICE)
  const reply = await register(maf, peer, macr(maf, { lbl: ['site:berlin'] }))
  assert.equal(reply.response.rsc, 2001)
  const reg = body(reply)
  assert.equal(reg.clid, DEVICE)
  assert.equal(reg.adfq, ADFQ)
  assert.deepEqual(reg.lbl, ['site:berlin'])
  assert.equal(reg.asid, undefined)
  assert.match(String(reg.ri), /^mcr[A-Z0-9]{16}$/)
  assert.equal(reply.createdResourceId, `maf/${String(reg.ri)}`)
})

test('8.8.2.3 with an unbound KmID: the Client ID is the Credential-ID 11-<KmID> (OQ-20, OQ-33)', async (t) => {
  const maf = await openTestMaf(t)
  const peer = await addKmClient(maf, KM_ID)
  assert.equal(body(await register(maf, peer)).clid, `11-${KM_ID}`)
})

test('8.8.2.3 on a KeID session: the MAF assigns a KmID; KmID and KeID then name the same Km and the same client (OQ-7, OQ-29)', async (t) => {
  const maf = await openTestMaf(t)
  const peer = await addKeIdClient(maf, KE_ID, DEVICE)
  const reg = body(await register(maf, peer))
  const kmId = String(reg.asid)
  assert.match(kmId, /^[0-9A-F]{32}@maf\.example\.com$/)
  assert.equal(reg.clid, DEVICE)
  assert.equal(await keyHexOf(maf, kmId), KM_REMOTE_HEX)
  assert.equal(await keyHexOf(maf, KE_ID), KM_REMOTE_HEX)
  const viaKmId = await resolvePeer(maf, kmId)
  const viaKeId = await resolvePeer(maf, KE_ID)
  assert.equal(viaKmId.clientId, DEVICE)
  assert.equal(viaKeId.clientId, DEVICE)
  assert.equal(viaKmId.credential, 'km-id')
  assert.ok(viaKmId.originatorIds.includes(`11-${kmId}`))
  assertNoKeyOnDisk(maf, ALL_KEYS)
})

test('8.8.2.3 on a KeID session with no known Enrolee-ID: clid = 11-<assigned KmID>, and both credentials resolve to it (OQ-20)', async (t) => {
  const maf = await openTestMaf(t)
  const peer = await addKeIdClient(maf, KE_ID)
  assert.equal(peer.clientId, `11-${KE_ID}`, 'before assignment the KeID names the client (OQ-7)')
  const reg = body(await register(maf, peer))
  const kmId = String(reg.asid)
  assert.equal(reg.clid, `11-${kmId}`)
  assert.equal((await resolvePeer(maf, kmId)).clientId, `11-${kmId}`)
  assert.equal((await resolvePeer(maf, KE_ID)).clientId, `11-${kmId}`)
})

test('8.8.2.3: the registration never outlives the MEF-given Km lifetime, nor registrationMaxLifetimeMs', async (t) => {
  const maf = await openTestMaf(t)
  const keyPeer = await addKeIdClient(maf, KE_ID, DEVICE, 3 * DAY)
  const reg = body(await register(maf, keyPeer))
  assert.equal(reg.et, timestampIn(maf, 3 * DAY))
  const kmPeer = await addKmClient(maf, KM_ID)
  const long = body(await register(maf, kmPeer, macr(maf, { et: timestampIn(maf, 400 * DAY) })))
  assert.equal(long.et, timestampIn(maf, REG_MAX_MS))
})

test('8.8.2.3 refusals (§4.5): 4105 second registration for the same adfq; 4000 missing adfq, et in the past, unknown member', async (t) => {
  const maf = await openTestMaf(t)
  const peer = await addKmClient(maf, KM_ID, DEVICE)
  await register(maf, peer)
  await refusedUnchanged(maf, () => register(maf, peer), 4105, 'duplicate')
  await refusedUnchanged(maf, () => register(maf, peer, { 'sec:macr': { et: timestampIn(maf, DAY) } }), 4000, 'no adfq')
  await refusedUnchanged(maf, () => register(maf, peer, macr(maf, { et: timestampIn(maf, -DAY), adfq: 'other.example.com' })), 4000, 'past et')
  await refusedUnchanged(maf, () => register(maf, peer, macr(maf, { clid: 'x', adfq: 'other.example.com' })), 4000, 'not-present attribute')
})

test('8.8.2.3: a KeID whose Km expired since the handshake is 4106 and assigns nothing', async (t) => {
  const maf = await openTestMaf(t)
  const peer = await addKeIdClient(maf, KE_ID, DEVICE, DAY)
  maf.now = new Date(maf.now.getTime() + 2 * DAY)
  await refusedUnchanged(maf, () => register(maf, peer), 4106, 'expired KeID credential')
})

test('8.8.2.4 Configuration Retrieval: 4004 without a configuration, 2000 with the ccfg the stakeholder left', async (t) => {
  const maf = await openTestMaf(t)
  const peer = await addKmClient(maf, KM_ID, DEVICE)
  const regId = String(body(await register(maf, peer)).ri)
  const read = () => retrieveClientRegistration(mafRequest(maf, primitive(OPERATION.RETRIEVE, `maf/${regId}#ccfg`), peer), maf.deps, regId, 'ccfg')
  await refusedUnchanged(maf, read, 4004, 'no configuration')
  const cfg = { krc: [{ adfq: ADFQ, suid: 32, tgis: ['//sp.example.com/CSE-B01'] }], vsi: 'acme' }
  await maf.store.transaction((tx) => tx.clientRegistrations.update(regId, { clientCfg: cfg }, maf.now))
  const reply = await read()
  assert.equal(reply.response.rsc, 2000)
  assert.deepEqual(body(reply).ccfg, cfg)
  await refusedUnchanged(maf, () => retrieveClientRegistration(mafRequest(maf, primitive(OPERATION.RETRIEVE, `maf/${regId}`), peer), maf.deps, regId, 'et'), 4000, 'other attribute')
})

test('8.8.2.5 Registration Update: 2004 with only the changed attributes; 4000 without any; 4103 by another client; 4004 unknown', async (t) => {
  const maf = await openTestMaf(t)
  const peer = await addKmClient(maf, KM_ID, DEVICE)
  const other = await addKmClient(maf, 'km-other@maf.example.com', '//sp.example.com/Sother')
  const regId = String(body(await register(maf, peer)).ri)
  const update = (p: MafPeer, pc: unknown, id = regId) => updateClientRegistration(mafRequest(maf, primitive(OPERATION.UPDATE, `maf/${id}`, pc), p), maf.deps, id)
  const reply = await update(peer, { 'sec:macr': { lbl: ['a', 'b'] } })
  assert.equal(reply.response.rsc, 2004)
  assert.deepEqual(body(reply), { lbl: ['a', 'b'] })
  const et = await update(peer, { 'sec:macr': { et: timestampIn(maf, 20 * DAY) } })
  assert.deepEqual(body(et), { et: timestampIn(maf, 20 * DAY) })
  await refusedUnchanged(maf, () => update(peer, { 'sec:macr': {} }), 4000, 'empty update')
  await refusedUnchanged(maf, () => update(other, { 'sec:macr': { lbl: [] } }), 4103, 'another client')
  await refusedUnchanged(maf, () => update(peer, { 'sec:macr': { lbl: [] } }, 'mcrAAAAAAAAAAAAAAAA0'), 4004, 'unknown registration')
})

test('8.8.2.5 on a new KeID session of a known client: the MAF rolls Km and returns the new KmID as asid', async (t) => {
  const maf = await openTestMaf(t)
  const first = await addKeIdClient(maf, KE_ID, DEVICE)
  const reg = body(await register(maf, first))
  const second = await addKeIdClient(maf, '2C2B16403482987C93BA591954C8B67C@mef.example.com', DEVICE)
  const reply = await updateClientRegistration(mafRequest(maf, primitive(OPERATION.UPDATE, `maf/${String(reg.ri)}`, { 'sec:macr': { lbl: ['x'] } }), second), maf.deps, String(reg.ri))
  const asid = body(reply).asid
  assert.match(String(asid), /@maf\.example\.com$/)
  assert.notEqual(asid, reg.asid)
  assert.equal(await keyHexOf(maf, String(reg.asid)), undefined, 'the old KmID is gone')
  assert.equal((await resolvePeer(maf, String(asid))).clientId, DEVICE)
})

test('8.8.2.6 De-Registration: 2002; the assigned KmID and the keys registered under it go with it; then 4004', async (t) => {
  const maf = await openTestMaf(t)
  const peer = await addKeIdClient(maf, KE_ID, DEVICE)
  const reg = body(await register(maf, peer))
  const regId = String(reg.ri)
  const del = () => deleteClientRegistration(mafRequest(maf, primitive(OPERATION.DELETE, `maf/${regId}`), peer), maf.deps, regId)
  assert.equal((await del()).response.rsc, 2002)
  assert.equal(await keyHexOf(maf, String(reg.asid)), undefined)
  assert.equal(await keyHexOf(maf, KE_ID), KM_REMOTE_HEX, 'the KeID keeps naming the fetched Km')
  await refusedUnchanged(maf, del, 4004, 'deleted registration')
  const audit = await auditEvents(maf)
  assert.ok(audit.some((e) => e.action === 'maf.client-deregistration' && e.outcome === 'ok'))
})
