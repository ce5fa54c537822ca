// TS-0003 8.3.5.2.7 MEF Key Registration (tables 8.3.5.2.7-1/-2) over a real SQLite store, as
// mapped in mef-maf-interface.md §3.6/§4.1/§4.5/§4.6 (CREATE `mef`, ty 32006).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import { toHex } from '../../../../../src/core/index.js'
import { OPERATION } from '../../../../../src/onem2m/index.js'
import type { JsonObject } from '../../../../../src/onem2m/index.js'
import { registerKey } from '../../../../../src/services/mef/procedures/key-registration.js'
import {
  ADFQ, KC_HEX, KC_ID_HEX, MEF_FQDN, SUPPLIED_KEY_HEX, addEnrolee, assertNoKey, assertNoKeyOnDisk, auditEvents,
  dumpState, expectRefusal, fakeSession, mefRequest, openTestMef, primitive, targetPeer, timestampIn,
} from './key-fixtures.js'
import type { EnroleePeer, FakeSession, TestMef } from './key-fixtures.js'
import type { MefPeer } from '../../../../../src/services/mef/context.js'

const DAY = 24 * 3600_000
const SOURCE = '//sp.example.com/mn-cse1/Csensor01'
const REGISTRAR = '//sp.example.com/in-cse'
const KEYS = [KC_HEX, SUPPLIED_KEY_HEX]

function skr(mef: TestMef, members: Record<string, unknown>): JsonObject {
  return { 'sec:skr': { et: timestampIn(mef, DAY), adfq: ADFQ, suid: 22, tgis: [REGISTRAR], ...members } } as JsonObject
}

function bodyOf(reply: { response: { pc?: unknown } }): Record<string, unknown> {
  return (reply.response.pc as Record<string, Record<string, unknown>>)['sec:skr'] as Record<string, unknown>
}

async function setup(t: TestContext, maxLifetime?: number): Promise<{ mef: TestMef; source: EnroleePeer }> {
  const mef = await openTestMef(t, maxLifetime)
  const source = await addEnrolee(mef, { clientId: SOURCE })
  return { mef, source }
}

async function register(mef: TestMef, peer: MefPeer, pc: unknown, session: FakeSession = fakeSession()) {
  return registerKey(mefRequest(mef, primitive(OPERATION.CREATE, 'mef', pc), peer, session), mef.deps)
}

/** Runs a request that must be refused with `rsc`; checks nothing but one audit event changed. */
async function refusedUnchanged(mef: TestMef, peer: MefPeer, pc: unknown, rsc: number, what: string, session = fakeSession()) {
  const before = dumpState(mef)
  const auditBefore = (await auditEvents(mef)).length
  const error = await expectRefusal(() => register(mef, peer, pc, session), rsc, what)
  assert.deepEqual(dumpState(mef), before, `${what}: stored state unchanged`)
  const audit = await auditEvents(mef)
  assert.equal(audit.length, auditBefore + 1, `${what}: one audit event`)
  const last = audit.at(-1)
  assert.equal(last?.outcome, `refused:${rsc}`, what)
  assert.equal(last?.actor, 'mef', what)
  assert.equal(last?.action, 'mef.key-registration', what)
  assert.equal(last?.subject.rsc, rsc, what)
  assertNoKey(error, KEYS, `${what}: error`)
  assertNoKey(audit, KEYS, `${what}: audit log`)
  return error
}

test('8.3.5.2.7: without Key Value the key is Kc of EXPORTER-oneM2M-Connection (OQ-11) and RelativeKeyID = hex(KcID) (OQ-12)', async (t) => {
  const { mef, source } = await setup(t)
  const session = fakeSession()
  const et = timestampIn(mef, 2 * DAY)
  const reply = await register(mef, source, skr(mef, { et, lbl: ['site:berlin'] }), session)

  assert.deepEqual(session.exports, [{ label: 'EXPORTER-oneM2M-Connection', length: 48 }])
  assert.equal(reply.response.rsc, 2001)
  assert.equal(reply.createdResourceId, `mef/${KC_ID_HEX}`)
  const body = bodyOf(reply)
  // Table 8.3.5.2.7-2: RelativeKeyID, expirationTime, Source MEF Client ID, labels, adminFQDN, SUID, targetIDs.
  assert.equal(body.rkid, KC_ID_HEX)
  assert.equal(body.rn, KC_ID_HEX)
  assert.equal(body.et, et)
  assert.equal(body.clid, SOURCE)
  assert.deepEqual(body.lbl, ['site:berlin'])
  assert.equal(body.adfq, ADFQ)
  assert.equal(body.suid, 22)
  assert.deepEqual(body.tgis, [REGISTRAR])
  assert.equal(body.kyv, undefined, 'the Source never gets the key back')
  assertNoKey(reply, KEYS, 'CREATE response')

  const stored = await mef.store.transaction((tx) => tx.keyRegistrations.find(MEF_FQDN, KC_ID_HEX, mef.now))
  assert.ok(stored)
  assert.equal(toHex(stored.key.reveal()), KC_HEX, 'the MEF stores exactly the exported Kc')
  assert.equal(stored.keyIdentifier, `${KC_ID_HEX}@${MEF_FQDN}`, 'Key Identifier = RelativeKeyID@MEF-FQDN (OQ-21)')
  assert.equal(stored.expiresAt.getTime(), mef.now.getTime() + 2 * DAY)

  const audit = await auditEvents(mef)
  const event = audit.at(-1)
  assert.equal(event?.outcome, 'ok')
  assert.equal(event?.action, 'mef.key-registration')
  assert.equal(event?.subject.relativeKeyId, KC_ID_HEX)
  assert.equal(event?.subject.keyOrigin, 'exported')
  assertNoKey(audit, KEYS, 'audit log')
  assertNoKeyOnDisk(mef, KEYS)
})

test('8.3.5.2.7: a self-generated Key Value is stored as given under a fresh RelativeKeyID, without any export', async (t) => {
  const { mef, source } = await setup(t)
  const session = fakeSession()
  const kyv = Buffer.from(SUPPLIED_KEY_HEX, 'hex').toString('base64')
  const reply = await register(mef, source, skr(mef, { kyv }), session)
  assert.equal(reply.response.rsc, 2001)
  assert.deepEqual(session.exports, [], 'no export when the Source supplies the key')
  const rkid = bodyOf(reply).rkid as string
  assert.match(rkid, /^[0-9A-F]{32}$/)
  assert.notEqual(rkid, KC_ID_HEX)
  assert.equal(bodyOf(reply).kyv, undefined)
  assert.equal(bodyOf(reply).lbl, undefined, 'no labels requested, none returned')
  const stored = await mef.store.transaction((tx) => tx.keyRegistrations.find(MEF_FQDN, rkid, mef.now))
  assert.equal(toHex(stored?.key.reveal() ?? new Uint8Array()), SUPPLIED_KEY_HEX)
  assertNoKey(reply, KEYS, 'CREATE response')
  assertNoKey(await auditEvents(mef), KEYS, 'audit log')
  assertNoKeyOnDisk(mef, KEYS)
})

test('§4.6: every SUID the MEF serves (21–25) with its target list; SUID 21 names a MAF FQDN (stored lower-case)', async (t) => {
  const { mef, source } = await setup(t)
  const cases: { suid: number; tgis: string[]; stored: string[] }[] = [
    { suid: 21, tgis: ['MAF.Example.com'], stored: ['maf.example.com'] },
    { suid: 22, tgis: [REGISTRAR], stored: [REGISTRAR] },
    { suid: 23, tgis: ['//sp.example.com/in-cse/Cpeer'], stored: ['//sp.example.com/in-cse/Cpeer'] },
    { suid: 24, tgis: ['//sp.example.com/S8832', REGISTRAR], stored: ['//sp.example.com/S8832', REGISTRAR] },
    { suid: 25, tgis: ['//sp.example.com/S1', '//sp.example.com/S2', '//other.example.org/cse9'], stored: ['//sp.example.com/S1', '//sp.example.com/S2', '//other.example.org/cse9'] },
  ]
  assert.ok(cases.length > 0)
  for (const c of cases) {
    const kyv = Buffer.from(SUPPLIED_KEY_HEX, 'hex').toString('base64')
    const reply = await register(mef, source, skr(mef, { suid: c.suid, tgis: c.tgis, kyv }))
    assert.equal(reply.response.rsc, 2001, `SUID ${c.suid}`)
    assert.equal(bodyOf(reply).suid, c.suid)
    assert.deepEqual(bodyOf(reply).tgis, c.stored, `SUID ${c.suid}`)
  }
})

test('expirationTime: the MEF grants at most maxKeyLifetimeMs and never beyond the Source\'s MEF Client Registration', async (t) => {
  const { mef, source } = await setup(t, 5 * DAY)
  const far = await register(mef, source, skr(mef, { et: timestampIn(mef, 400 * DAY) }))
  assert.equal(bodyOf(far).et, timestampIn(mef, 5 * DAY), 'bounded by maxKeyLifetimeMs')

  const shortLived = await addEnrolee(mef, { clientId: '//sp.example.com/S-short', registrationLifetimeMs: 2 * DAY + 1500 })
  const bounded = await register(mef, shortLived, skr(mef, { et: timestampIn(mef, 4 * DAY) }), fakeSession('11'.repeat(16) + KC_HEX))
  assert.equal(bodyOf(bounded).et, timestampIn(mef, 2 * DAY + 1000), 'bounded by the registration, in whole seconds')
  const stored = await mef.store.transaction((tx) => tx.keyRegistrations.find(MEF_FQDN, '11'.repeat(16), mef.now))
  assert.equal(stored?.expiresAt.getTime(), mef.now.getTime() + 2 * DAY + 1000, 'stored expiry = the et sent back')
})

test('Table 8.3.5.2.7-1 errors with 4000 BAD_REQUEST change nothing and leak no key', async (t) => {
  const { mef, source } = await setup(t)
  const kyv = Buffer.from(SUPPLIED_KEY_HEX, 'hex').toString('base64')
  const withoutMember = (name: string): JsonObject => {
    const body = { ...(skr(mef, {})['sec:skr'] as Record<string, unknown>) }
    delete body[name]
    return { 'sec:skr': body } as JsonObject
  }
  const cases: [string, unknown][] = [
    ['no Content', undefined],
    ['wrong root', { 'sec:mecr': { et: timestampIn(mef, DAY), adfq: ADFQ } }],
    ['expirationTime missing', withoutMember('et')],
    ['adminFQDN missing', withoutMember('adfq')],
    ['SUID missing', withoutMember('suid')],
    ['targetIDs missing (no MEF-created list)', withoutMember('tgis')],
    ['expirationTime malformed', skr(mef, { et: 'tomorrow' })],
    ['expirationTime in the past', skr(mef, { et: timestampIn(mef, -1000) })],
    ['expirationTime now', skr(mef, { et: timestampIn(mef, 0) })],
    ['adminFQDN not an FQDN', skr(mef, { adfq: 'not a host' })],
    ['labels not a list', skr(mef, { lbl: 'x' })],
    ['SUID not an integer', skr(mef, { suid: 'twenty-two' })],
    ['Key Value not base64', skr(mef, { kyv: `${kyv.slice(1)}!` })],
    ['Key Value of 16 bytes', skr(mef, { kyv: Buffer.from(SUPPLIED_KEY_HEX.slice(0, 32), 'hex').toString('base64') })],
    ['Key Value of 33 bytes', skr(mef, { kyv: Buffer.from(`${SUPPLIED_KEY_HEX}00`, 'hex').toString('base64') })],
    ['SUID 22 with two targets', skr(mef, { suid: 22, tgis: [REGISTRAR, '//sp.example.com/in-cse2'], kyv })],
    ['SUID 23 with no target', skr(mef, { suid: 23, tgis: [], kyv })],
    ['SUID 21 with two MAFs', skr(mef, { suid: 21, tgis: ['maf1.example.com', 'maf2.example.com'], kyv })],
    ['SUID 24 with an empty list', skr(mef, { suid: 24, tgis: [], kyv })],
    ['SUID 25 listing a target twice', skr(mef, { suid: 25, tgis: [REGISTRAR, REGISTRAR], kyv })],
    ['SUID 22 target is SP-relative', skr(mef, { tgis: ['/in-cse'], kyv })],
    ['SUID 22 target is an AE-ID-Stem', skr(mef, { tgis: ['Cae01'], kyv })],
    ['SUID 22 target is an FQDN', skr(mef, { tgis: ['in-cse.sp.example.com'], kyv })],
    ['SUID 21 target is a CSE-ID', skr(mef, { suid: 21, tgis: [REGISTRAR], kyv })],
    ['NP member rkid', skr(mef, { rkid: KC_ID_HEX })],
    ['NP member clid', skr(mef, { clid: SOURCE })],
  ]
  for (const [what, pc] of cases) {
    const session = fakeSession()
    await refusedUnchanged(mef, source, pc, 4000, what, session)
    assert.deepEqual(session.exports, [], `${what}: nothing exported for a refused request`)
  }
})

test('4102 CONTENTS_UNACCEPTABLE for a SUID this MEF does not serve (§4.5, §4.6)', async (t) => {
  const { mef, source } = await setup(t)
  for (const suid of [10, 12, 20, 26, 32, 35, 42]) await refusedUnchanged(mef, source, skr(mef, { suid }), 4102, `SUID ${suid}`)
})

test('4103 ORIGINATOR_HAS_NO_PRIVILEGE: no MEF Client Registration for the adminFQDN, or a Target (8.3.5.2.7 pre-conditions)', async (t) => {
  const { mef, source } = await setup(t)
  const unregistered = await addEnrolee(mef, { clientId: '//sp.example.com/S-unreg', registrationLifetimeMs: undefined })
  await refusedUnchanged(mef, unregistered, skr(mef, {}), 4103, 'enrolee without MEF Client Registration')
  await refusedUnchanged(mef, source, skr(mef, { adfq: 'other-stakeholder.example.com' }), 4103, 'registered with another adminFQDN')
  await refusedUnchanged(mef, targetPeer('in-cse.sp.example.com', [REGISTRAR]), skr(mef, {}), 4103, 'an Enrolment Target')
  const expiring = await addEnrolee(mef, { clientId: '//sp.example.com/S-expiring', registrationLifetimeMs: 60_000 })
  mef.now = new Date(mef.now.getTime() + 120_000)
  await refusedUnchanged(mef, expiring, skr(mef, {}), 4103, 'MEF Client Registration expired')
})

test('4106 ORIGINATOR_NOT_AUTHENTICATED: an enrolee revoked after its handshake, or no enrolee record at all', async (t) => {
  const { mef, source } = await setup(t)
  const stranger: MefPeer = { ...source, enroleeRef: 'enrNOSUCHENROLEE00' }
  await refusedUnchanged(mef, stranger, skr(mef, {}), 4106, 'unknown enrolee record')
  const revoked = await addEnrolee(mef, { clientId: '//sp.example.com/S-revoked' })
  await mef.store.transaction((tx) => tx.enrolees.setStatus(revoked.enroleeRef, 'revoked'))
  await refusedUnchanged(mef, revoked, skr(mef, {}), 4106, 'revoked enrolee')
})

test('4105 CONFLICT: a RelativeKeyID is never silently changed — a second CREATE on the same session, or one equal to a RelativeKeID (OQ-12, OQ-35)', async (t) => {
  const { mef, source } = await setup(t)
  const session = fakeSession()
  assert.equal((await register(mef, source, skr(mef, {}), session)).response.rsc, 2001)
  await refusedUnchanged(mef, source, skr(mef, { lbl: ['again'] }), 4105, 'same export twice', session)

  const reusedHex = 'ABCDEF0123456789ABCDEF0123456789'
  await mef.store.transaction(async (tx) => {
    await tx.enrolments.create({ keId: `${reusedHex}@${MEF_FQDN}`, enroleeRef: source.enroleeRef, ke: fakeSession().exportKeyingMaterial('x', 48), expiresAt: new Date(mef.now.getTime() + DAY) })
  })
  const error = await refusedUnchanged(mef, source, skr(mef, {}), 4105, 'KcID equal to a live RelativeKeID', fakeSession(reusedHex + KC_HEX))
  assert.equal(error.code, 'M2MSEC_ONEM2M_REFUSED')

  // After de-registration the id stays issued (store/identifiers.ts): still 4105, never reused.
  await mef.store.transaction((tx) => tx.keyRegistrations.delete(MEF_FQDN, KC_ID_HEX))
  await refusedUnchanged(mef, source, skr(mef, {}), 4105, 'id of a deleted registration', fakeSession())
})

test('A 11.1 / coverage 001-06: one MEF, two adminFQDNs — a client registers keys under its own stakeholder only (4103 across)', async (t) => {
  const { mef, source } = await setup(t)
  const TRUST_ENABLER = 'trust-enabler.example.org'
  // A client of the delegated stakeholder Y, registered with the same MEF under Y's adminFQDN.
  const clientY = await addEnrolee(mef, { clientId: '//trust-enabler.example.org/Sdev-y', adminFqdn: TRUST_ENABLER })
  const kyv = Buffer.from(SUPPLIED_KEY_HEX, 'hex').toString('base64')
  const underY = { adfq: TRUST_ENABLER, tgis: ['//trust-enabler.example.org/in-cse'], kyv }

  const own = await register(mef, clientY, skr(mef, underY))
  assert.equal(own.response.rsc, 2001, 'Y under Y')
  assert.equal(bodyOf(own).adfq, TRUST_ENABLER)
  assert.equal(bodyOf(own).clid, '//trust-enabler.example.org/Sdev-y')

  await refusedUnchanged(mef, clientY, skr(mef, { kyv }), 4103, 'client of Y registering under X')
  await refusedUnchanged(mef, source, skr(mef, underY), 4103, 'client of X registering under Y')
  // The exported-key path is refused just the same, before any export.
  const session = fakeSession()
  await refusedUnchanged(mef, source, skr(mef, { adfq: TRUST_ENABLER }), 4103, 'client of X, exported key, under Y', session)
  assert.deepEqual(session.exports, [], 'nothing exported for a cross-stakeholder request')
  assert.equal((await register(mef, source, skr(mef, { kyv }))).response.rsc, 2001, 'X under X')
})
