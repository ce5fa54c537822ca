// MEF Key Registration / Retrieval / Registration Update / De-Registration, device side (TS-0003
// §8.3.5.2.7–§8.3.5.2.10; mef-maf-interface.md §3.6, §4.1, OQ-11/OQ-12/OQ-21), against the fake MEF.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { connectionKeyFromExport, EXPORTER_LABEL_CONNECTION, SecretBytes, toHex } from '../../../src/core/index.js'
import { RSC } from '../../../src/onem2m/index.js'
import { exportKeyingMaterial } from '../../../src/transport/index.js'
import {
  ClientError, deregisterMefKey, openMefSession, registerMefKey, retrieveMefKey, updateMefKeyRegistration, type MefSession,
} from '../../../src/client/index.js'
import { startFakeMef, type FakeMefOptions } from '../../support/fake-mef.js'

const FQDN = 'mef.m2msec.example'
const SOURCE = '//sp.example.com/Csource'
const TARGET = '//sp.example.com/CSE-B01'
const KPM_S = new SecretBytes(new Uint8Array(32).fill(1))
const KPM_T = new SecretBytes(new Uint8Array(32).fill(2))

async function setup(t: TestContext, extra: Partial<FakeMefOptions> = {}) {
  const mef = await startFakeMef(t, {
    fqdn: FQDN, psk: new Map([['source', { kpm: KPM_S, clientId: SOURCE }], ['target', { kpm: KPM_T, clientId: TARGET }]]), ...extra,
  })
  const open = async (id: 'source' | 'target', originator: string): Promise<MefSession> => {
    const session = await openMefSession({ mefUrl: mef.url, mefFqdn: FQDN, credential: { kind: 'psk', kpmId: id, kpm: id === 'source' ? KPM_S : KPM_T }, originator })
    t.after(() => session.close())
    return session
  }
  return { mef, source: await open('source', SOURCE), target: await open('target', TARGET) }
}

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise
    return undefined
  } catch (error) {
    return error instanceof ClientError ? `${error.code}${error.rsc === undefined ? '' : `/${error.rsc}`}` : String(error)
  }
}

test('Key Registration without kyv: the CREATE travels on the session whose Connection export is the key (OQ-11, OQ-12)', async (t) => {
  const { mef, source, target } = await setup(t)
  const now = new Date('2030-05-06T07:08:09Z')
  const registered = await registerMefKey(source, { adminFqdn: 'sp.example.com', suid: 22, targetIds: [TARGET], lifetimeMs: 3_600_000 }, now)
  const [create] = mef.requests
  assert.deepEqual(
    { op: create!.primitive.op, to: create!.primitive.to, ty: create!.primitive.ty, fr: create!.primitive.fr, pc: create!.primitive.pc },
    { op: 1, to: 'mef', ty: 32006, fr: SOURCE, pc: { 'sec:skr': { et: '20300506T080809', adfq: 'sp.example.com', suid: 22, tgis: [TARGET] } } },
  )
  // The MEF exported from the socket the CREATE arrived on; that socket is the source session's peer.
  const arrival = connectionKeyFromExport(exportKeyingMaterial(create!.socket, EXPORTER_LABEL_CONNECTION, 48).reveal())
  assert.ok(registered.key.equals(arrival.kc), 'device key = Connection export of the arrival session')
  const other = connectionKeyFromExport(target.exportKeyingMaterial(EXPORTER_LABEL_CONNECTION, 48).reveal())
  assert.ok(!registered.key.equals(other.kc), 'another session exports another key')
  assert.equal(registered.relativeKeyId, toHex(arrival.kcId))
  assert.equal(registered.keyIdentifier, `${toHex(arrival.kcId)}@${FQDN}`)
  assert.equal(registered.exported, true)
  assert.deepEqual(registered.targetIds, [TARGET])
  assert.equal(registered.sourceClientId, SOURCE)

  const retrieved = await retrieveMefKey(target, registered.keyIdentifier)
  assert.ok(retrieved.key.equals(registered.key), 'the Target gets the same key')
  assert.equal(retrieved.sourceClientId, SOURCE)
  assert.equal(retrieved.suid, 22)
  const get = mef.requests.at(-1)!.primitive
  assert.deepEqual({ op: get.op, to: get.to, fr: get.fr, pc: get.pc }, { op: 2, to: `mef/${registered.relativeKeyId}`, fr: TARGET, pc: undefined })

  const changes = await updateMefKeyRegistration(source, registered.keyIdentifier, { labels: ['x'], targetIds: [TARGET, '//sp.example.com/Cother'] })
  assert.deepEqual(changes, { labels: ['x'], targetIds: [TARGET, '//sp.example.com/Cother'] })
  const put = mef.requests.at(-1)!.primitive
  assert.deepEqual({ op: put.op, to: put.to, fr: put.fr, pc: put.pc }, { op: 3, to: `mef/${registered.relativeKeyId}`, fr: SOURCE, pc: { 'sec:skr': { lbl: ['x'], tgis: [TARGET, '//sp.example.com/Cother'] } } })
  await deregisterMefKey(source, registered.relativeKeyId.toLowerCase())
  const del = mef.requests.at(-1)!.primitive
  assert.deepEqual({ op: del.op, to: del.to, fr: del.fr }, { op: 4, to: `mef/${registered.relativeKeyId}`, fr: SOURCE })
  assert.equal(await code(retrieveMefKey(target, registered.keyIdentifier)), 'M2MSEC_CLIENT_REFUSED/4004')
})

test('Key Registration with a self-generated key sends kyv as base64 and keeps a copy', async (t) => {
  const { mef, source, target } = await setup(t)
  const key = new SecretBytes(new Uint8Array(32).map((_, i) => i))
  const registered = await registerMefKey(source, { adminFqdn: 'sp.example.com', suid: 23, targetIds: [TARGET] })
  assert.equal(registered.exported, true)
  const own = await registerMefKey(source, { adminFqdn: 'sp.example.com', suid: 23, targetIds: [TARGET], key })
  assert.equal(own.exported, false)
  assert.ok(own.key.equals(key))
  key.wipe()
  assert.ok(!own.key.equals(key), 'the result holds its own copy')
  const pc = mef.requests.at(-1)!.primitive.pc as { 'sec:skr': { kyv: string } }
  assert.equal(pc['sec:skr'].kyv, Buffer.from(new Uint8Array(32).map((_, i) => i)).toString('base64'))
  assert.ok((await retrieveMefKey(target, own.keyIdentifier)).key.equals(own.key))
})

test('the Target must be authorised (4103); only the Source may update or de-register (4103)', async (t) => {
  const { source, target } = await setup(t)
  const registered = await registerMefKey(source, { adminFqdn: 'sp.example.com', suid: 22, targetIds: ['//sp.example.com/Csomeone'] })
  assert.equal(await code(retrieveMefKey(target, registered.keyIdentifier)), 'M2MSEC_CLIENT_REFUSED/4103')
  assert.equal(await code(updateMefKeyRegistration(target, registered.keyIdentifier, { labels: ['x'] })), 'M2MSEC_CLIENT_REFUSED/4103')
  assert.equal(await code(deregisterMefKey(target, registered.keyIdentifier)), 'M2MSEC_CLIENT_REFUSED/4103')
})

test('bad input is refused before sending: SUID, key length, foreign MEF, malformed ids, empty update', async (t) => {
  const { mef, source } = await setup(t)
  const before = mef.requests.length
  const cases: Promise<unknown>[] = [
    registerMefKey(source, { adminFqdn: 'sp.example.com', suid: 20 }),
    registerMefKey(source, { adminFqdn: '', suid: 22 }),
    registerMefKey(source, { adminFqdn: 'sp.example.com', suid: 22, key: new SecretBytes(new Uint8Array(16)) }),
    retrieveMefKey(source, `${'A'.repeat(32)}@other.m2msec.example`),
    retrieveMefKey(source, 'bad/id'),
    retrieveMefKey(source, '@@'),
    updateMefKeyRegistration(source, 'A'.repeat(32), {}),
    deregisterMefKey(source, 'x y'),
  ]
  for (const c of cases) assert.equal(await code(c), 'M2MSEC_CLIENT_INPUT_INVALID')
  assert.equal(mef.requests.length, before)
})

test('an MEF whose RelativeKeyID is not this session\'s KcID, or that leaks kyv to the Source, is M2MSEC_CLIENT_RESPONSE_INVALID', async (t) => {
  const wrong = { rn: 'A'.repeat(32), rkid: 'A'.repeat(32), et: '20300101T000000', adfq: 'sp.example.com', suid: 22, tgis: [TARGET], clid: SOURCE }
  let body: object = { 'sec:skr': wrong }
  const { source, target } = await setup(t, { override: (r) => (r.op === 1 || r.op === 2 ? { response: { rsc: r.op === 1 ? RSC.CREATED : RSC.OK, rqi: r.rqi, pc: body as never } } : undefined) })
  assert.equal(await code(registerMefKey(source, { adminFqdn: 'sp.example.com', suid: 22, targetIds: [TARGET] })), 'M2MSEC_CLIENT_RESPONSE_INVALID')
  body = { 'sec:skr': { ...wrong, kyv: Buffer.alloc(32, 9).toString('base64') } }
  assert.equal(await code(registerMefKey(source, { adminFqdn: 'sp.example.com', suid: 22, key: new SecretBytes(new Uint8Array(32)) })), 'M2MSEC_CLIENT_RESPONSE_INVALID')
  body = { 'sec:skr': wrong }
  assert.equal(await code(retrieveMefKey(target, 'A'.repeat(32))), 'M2MSEC_CLIENT_RESPONSE_INVALID', 'Key Retrieval without kyv')
  body = { 'sec:skr': { ...wrong, kyv: Buffer.alloc(32, 9).toString('base64') } }
  assert.equal(await code(retrieveMefKey(target, 'B'.repeat(32))), 'M2MSEC_CLIENT_RESPONSE_INVALID', 'another RelativeKeyID')
  assert.ok((await retrieveMefKey(target, 'a'.repeat(32))).key.equals(new SecretBytes(new Uint8Array(32).fill(9))), 'hex RelativeKeyIDs compare case-insensitively (OQ-2)')
})
