// TS-0003 8.3.5.2.9 MEF Key Registration Update (tables 8.3.5.2.9-1/-2) over a real SQLite store,
// as mapped in mef-maf-interface.md §3.7/§4.1/§4.5 (UPDATE `mef/<RelativeKeyID>`).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import { OPERATION } from '../../../../../src/onem2m/index.js'
import type { JsonObject } from '../../../../../src/onem2m/index.js'
import type { MefPeer } from '../../../../../src/services/mef/context.js'
import { registerKey } from '../../../../../src/services/mef/procedures/key-registration.js'
import { retrieveKey } from '../../../../../src/services/mef/procedures/key-retrieval.js'
import { updateKeyRegistration } from '../../../../../src/services/mef/procedures/key-update.js'
import {
  ADFQ, KC_HEX, KC_ID_HEX, MEF_FQDN, addEnrolee, assertNoKey, auditEvents, dumpState, expectRefusal, fakeSession, mefRequest, openTestMef,
  primitive, targetPeer, timestampIn,
} from './key-fixtures.js'
import type { EnroleePeer, TestMef } from './key-fixtures.js'

const DAY = 24 * 3600_000
const SOURCE = '//sp.example.com/mn-cse1/Csensor01'
const REGISTRAR = '//sp.example.com/in-cse'

async function setup(t: TestContext, options: { suid?: number; tgis?: string[]; maxLifetime?: number; lifetime?: number } = {}): Promise<{ mef: TestMef; source: EnroleePeer }> {
  const mef = await openTestMef(t, options.maxLifetime)
  const source = await addEnrolee(mef, { clientId: SOURCE })
  const pc = { 'sec:skr': { et: timestampIn(mef, options.lifetime ?? DAY), adfq: ADFQ, suid: options.suid ?? 22, tgis: options.tgis ?? [REGISTRAR], lbl: ['a'] } } as JsonObject
  assert.equal((await registerKey(mefRequest(mef, primitive(OPERATION.CREATE, 'mef', pc), source, fakeSession()), mef.deps)).response.rsc, 2001)
  return { mef, source }
}

function update(mef: TestMef, peer: MefPeer, members: Record<string, unknown> | undefined, to = `mef/${KC_ID_HEX}`) {
  const pc = members === undefined ? undefined : { 'sec:skr': members }
  return updateKeyRegistration(mefRequest(mef, primitive(OPERATION.UPDATE, to, pc), peer), mef.deps)
}

function bodyOf(reply: { response: { pc?: unknown } }): Record<string, unknown> {
  return (reply.response.pc as Record<string, Record<string, unknown>>)['sec:skr'] as Record<string, unknown>
}

async function stored(mef: TestMef) {
  return mef.store.transaction((tx) => tx.keyRegistrations.find(MEF_FQDN, KC_ID_HEX, mef.now))
}

async function refusedUnchanged(mef: TestMef, peer: MefPeer, members: Record<string, unknown> | undefined, rsc: number, what: string, to?: string) {
  const before = dumpState(mef)
  const auditBefore = (await auditEvents(mef)).length
  const error = await expectRefusal(() => update(mef, peer, members, to), rsc, what)
  assert.deepEqual(dumpState(mef), before, `${what}: stored state unchanged`)
  const audit = await auditEvents(mef)
  assert.equal(audit.length, auditBefore + 1, `${what}: audited`)
  assert.equal(audit.at(-1)?.action, 'mef.key-registration-update')
  assert.equal(audit.at(-1)?.outcome, `refused:${rsc}`)
  assert.equal(audit.at(-1)?.subject.rsc, rsc)
  assertNoKey(error, [KC_HEX], `${what}: error`)
}

test('Table 8.3.5.2.9-2: the response carries only the requested attributes, each as now in force', async (t) => {
  const { mef, source } = await setup(t)
  const et = timestampIn(mef, 2 * DAY)
  const etOnly = await update(mef, source, { et })
  assert.equal(etOnly.response.rsc, 2004)
  assert.deepEqual(bodyOf(etOnly), { et })
  assert.equal((await stored(mef))?.expiresAt.getTime(), mef.now.getTime() + 2 * DAY)

  assert.deepEqual(bodyOf(await update(mef, source, { lbl: ['b', 'c'] })), { lbl: ['b', 'c'] })
  assert.deepEqual((await stored(mef))?.labels, ['b', 'c'])
  assert.deepEqual(bodyOf(await update(mef, source, { lbl: [] })), { lbl: [] }, 'labels can be cleared')

  const registrar2 = '//sp.example.com/in-cse2'
  assert.deepEqual(bodyOf(await update(mef, source, { tgis: [registrar2] })), { tgis: [registrar2] })

  const all = await update(mef, source, { et: timestampIn(mef, 3 * DAY), lbl: ['d'], tgis: [REGISTRAR] })
  assert.deepEqual(bodyOf(all), { et: timestampIn(mef, 3 * DAY), lbl: ['d'], tgis: [REGISTRAR] })
  assertNoKey(all, [KC_HEX], 'UPDATE response')
  const audit = await auditEvents(mef)
  assert.equal(audit.at(-1)?.outcome, 'ok')
  assert.deepEqual(audit.at(-1)?.subject.changed, ['expiresAt', 'labels', 'targetIds'])
  assertNoKey(audit, [KC_HEX], 'audit log')
})

test('a changed target list takes effect at once: the new Target retrieves, the old one gets 4103', async (t) => {
  const { mef, source } = await setup(t)
  const registrar2 = '//sp.example.com/in-cse2'
  await update(mef, source, { tgis: [registrar2] })
  const retrieve = (peer: MefPeer) => retrieveKey(mefRequest(mef, primitive(OPERATION.RETRIEVE, `mef/${KC_ID_HEX}`), peer), mef.deps)
  assert.equal((await retrieve(targetPeer('cse2.example.com', [registrar2]))).response.rsc, 2000)
  await expectRefusal(() => retrieve(targetPeer('cse.example.com', [REGISTRAR])), 4103, 'old Target')
})

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, '')
}

test('a new expirationTime is bounded by creation + maxKeyLifetimeMs (updates cannot stretch a key\'s life)', async (t) => {
  const { mef, source } = await setup(t, { maxLifetime: 10 * DAY, lifetime: 5 * DAY })
  const createdAt = mef.now
  mef.now = new Date(createdAt.getTime() + 4 * DAY)
  const reply = await update(mef, source, { et: timestampIn(mef, 100 * DAY) })
  assert.equal(bodyOf(reply).et, stamp(new Date(createdAt.getTime() + 10 * DAY)))
  assert.equal((await stored(mef))?.expiresAt.getTime(), createdAt.getTime() + 10 * DAY)
})

test('a new expirationTime never passes the Source\'s MEF Client Registration (90 days in the fixture)', async (t) => {
  const { mef, source } = await setup(t, { maxLifetime: 400 * DAY })
  const reply = await update(mef, source, { et: timestampIn(mef, 200 * DAY) })
  assert.equal(bodyOf(reply).et, timestampIn(mef, 90 * DAY))
})

test('4000 BAD_REQUEST: none of et/lbl/tgis, an NP member, wrong tgis for the SUID, et not in the future', async (t) => {
  const { mef, source } = await setup(t)
  const cases: [string, Record<string, unknown> | undefined][] = [
    ['no Content', undefined],
    ['none of the three', {}],
    ['SUID is NP on update', { suid: 23 }],
    ['adminFQDN is NP on update', { adfq: 'x.example.com' }],
    ['Key Value is NP on update', { kyv: Buffer.from(KC_HEX, 'hex').toString('base64') }],
    ['two targets for SUID 22', { tgis: [REGISTRAR, '//sp.example.com/in-cse2'] }],
    ['empty target list', { tgis: [] }],
    ['SP-relative target', { tgis: ['/in-cse'] }],
    ['et in the past', { et: timestampIn(mef, -1000) }],
    ['et malformed', { et: '2026-01-01' }],
    ['lbl not a list', { lbl: 'x' }],
  ]
  for (const [what, members] of cases) await refusedUnchanged(mef, source, members, 4000, what)
})

test('ESData (SUID 25) target lists may grow, but not to zero', async (t) => {
  const { mef, source } = await setup(t, { suid: 25, tgis: ['//sp.example.com/S1'] })
  assert.deepEqual(bodyOf(await update(mef, source, { tgis: ['//sp.example.com/S1', '//sp.example.com/S2'] })).tgis, ['//sp.example.com/S1', '//sp.example.com/S2'])
  await refusedUnchanged(mef, source, { tgis: [] }, 4000, 'empty ESData list')
})

test('4103: only the Source, still an active enrolee with its MEF Client Registration, may update', async (t) => {
  const { mef, source } = await setup(t)
  await refusedUnchanged(mef, targetPeer('in-cse.sp.example.com', [REGISTRAR]), { lbl: ['x'] }, 4103, 'the Target')
  const other = await addEnrolee(mef, { clientId: '//sp.example.com/S-other' })
  await refusedUnchanged(mef, other, { lbl: ['x'] }, 4103, 'another enrolee')
  await mef.store.transaction(async (tx) => {
    const reg = await tx.clientRegistrations.findByClient('mef', MEF_FQDN, SOURCE, ADFQ, mef.now)
    await tx.clientRegistrations.delete(reg?.regId ?? '')
  })
  await refusedUnchanged(mef, source, { lbl: ['x'] }, 4103, 'Source de-registered as MEF Client')
})

test('4106: a Source revoked after its handshake cannot update', async (t) => {
  const { mef, source } = await setup(t)
  await mef.store.transaction((tx) => tx.enrolees.setStatus(source.enroleeRef, 'revoked'))
  await refusedUnchanged(mef, source, { tgis: ['//sp.example.com/in-cse9'] }, 4106, 'revoked Source')
})

test('4004: unknown or expired key registration (8.3.5.2.9 pre-condition "not expired")', async (t) => {
  const { mef, source } = await setup(t)
  await refusedUnchanged(mef, source, { lbl: ['x'] }, 4004, 'unknown', `mef/${'F'.repeat(32)}`)
  mef.now = new Date(mef.now.getTime() + DAY + 1)
  await refusedUnchanged(mef, source, { et: timestampIn(mef, DAY) }, 4004, 'expired')
})
