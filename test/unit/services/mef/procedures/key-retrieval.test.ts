// TS-0003 8.3.5.2.8 MEF Key Retrieval (tables 8.3.5.2.8-1/-2) over a real SQLite store, as mapped
// in mef-maf-interface.md §3.7/§4.1/§4.5 (RETRIEVE `mef/<RelativeKeyID>`).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import { OPERATION } from '../../../../../src/onem2m/index.js'
import type { JsonObject } from '../../../../../src/onem2m/index.js'
import type { MefPeer } from '../../../../../src/services/mef/context.js'
import { registerKey } from '../../../../../src/services/mef/procedures/key-registration.js'
import { retrieveKey } from '../../../../../src/services/mef/procedures/key-retrieval.js'
import {
  ADFQ, KC_HEX, KC_ID_HEX, MEF_FQDN, addEnrolee, assertNoKey, auditEvents, dumpState, expectRefusal, fakeSession, mefRequest, openTestMef,
  primitive, targetPeer, timestampIn,
} from './key-fixtures.js'
import type { EnroleePeer, TestMef } from './key-fixtures.js'

const DAY = 24 * 3600_000
const SOURCE = '//sp.example.com/mn-cse1/Csensor01'
const REGISTRAR = '//sp.example.com/in-cse'
const KC_BASE64 = Buffer.from(KC_HEX, 'hex').toString('base64')

async function setup(t: TestContext, suid = 22, tgis = [REGISTRAR]): Promise<{ mef: TestMef; source: EnroleePeer; et: string }> {
  const mef = await openTestMef(t)
  const source = await addEnrolee(mef, { clientId: SOURCE })
  const et = timestampIn(mef, DAY)
  const pc = { 'sec:skr': { et, adfq: ADFQ, suid, tgis, lbl: ['room:7'] } } as JsonObject
  const reply = await registerKey(mefRequest(mef, primitive(OPERATION.CREATE, 'mef', pc), source, fakeSession()), mef.deps)
  assert.equal(reply.response.rsc, 2001)
  return { mef, source, et }
}

function retrieve(mef: TestMef, peer: MefPeer, to = `mef/${KC_ID_HEX}`) {
  return retrieveKey(mefRequest(mef, primitive(OPERATION.RETRIEVE, to), peer), mef.deps)
}

function bodyOf(reply: { response: { pc?: unknown } }): Record<string, unknown> {
  return (reply.response.pc as Record<string, Record<string, unknown>>)['sec:skr'] as Record<string, unknown>
}

async function refusedUnchanged(mef: TestMef, peer: MefPeer, rsc: number, what: string, to?: string) {
  const before = dumpState(mef)
  const auditBefore = (await auditEvents(mef)).length
  const error = await expectRefusal(() => retrieve(mef, peer, to), rsc, what)
  assert.deepEqual(dumpState(mef), before, `${what}: stored state unchanged`)
  const audit = await auditEvents(mef)
  assert.equal(audit.length, auditBefore + 1, `${what}: audited`)
  assert.equal(audit.at(-1)?.action, 'mef.key-retrieval')
  assert.equal(audit.at(-1)?.outcome, `refused:${rsc}`)
  assert.equal(audit.at(-1)?.subject.rsc, rsc)
  assertNoKey(error, [KC_HEX], `${what}: error`)
  assertNoKey(audit, [KC_HEX], `${what}: audit`)
}

/** A Target's response must hold the key in `kyv` and nowhere else. */
function assertKeyOnlyInKyv(body: Record<string, unknown>, what: string): void {
  assert.equal(body.kyv, KC_BASE64, `${what}: kyv is the registered key`)
  const { kyv: _kyv, ...rest } = body
  assertNoKey(rest, [KC_HEX], `${what}: members other than kyv`)
}

test('Table 8.3.5.2.8-2: an authorised Target (Registrar CSE by originator ID) gets et, Source MEF Client ID, labels, adminFQDN, SUID and the Key Value', async (t) => {
  const { mef, et } = await setup(t)
  const registrar = targetPeer('in-cse.sp.example.com', [REGISTRAR])
  const reply = await retrieve(mef, registrar)
  assert.equal(reply.response.rsc, 2000)
  const body = bodyOf(reply)
  assert.equal(body.et, et)
  assert.equal(body.clid, SOURCE)
  assert.deepEqual(body.lbl, ['room:7'])
  assert.equal(body.adfq, ADFQ)
  assert.equal(body.suid, 22)
  assert.equal(body.rkid, KC_ID_HEX)
  assert.equal(body.tgis, undefined, 'a Target does not learn the target list')
  assertKeyOnlyInKyv(body, 'Registrar')
  const audit = await auditEvents(mef)
  assert.equal(audit.at(-1)?.outcome, 'ok')
  assert.equal(audit.at(-1)?.subject.view, 'target')
  assertNoKey(audit, [KC_HEX], 'audit log')
})

test('SUID 21: the MAF named by FQDN retrieves (certificate FQDN, any case); SUID 23: an enrolee whose MEF Client ID is listed retrieves', async (t) => {
  const maf = await setup(t, 21, ['maf.example.com'])
  assertKeyOnlyInKyv(bodyOf(await retrieve(maf.mef, targetPeer('MAF.example.COM'))), 'MAF by certificate FQDN')
  assertKeyOnlyInKyv(bodyOf(await retrieve(maf.mef, targetPeer('other.example.com', ['maf.example.com']))), 'MAF by originator ID')

  const peerAe = '//sp.example.com/in-cse/Cpeer'
  const esprim = await setup(t, 23, [peerAe])
  const enroleeTarget = await addEnrolee(esprim.mef, { clientId: peerAe })
  assertKeyOnlyInKyv(bodyOf(await retrieve(esprim.mef, enroleeTarget)), 'enrolee Target')
})

test('SUID 24 (ESData): every listed Target retrieves; the absolute `to` form and lower-case hex address the same key', async (t) => {
  const targets = ['//sp.example.com/S1', '//sp.example.com/S2']
  const { mef } = await setup(t, 24, targets)
  assertKeyOnlyInKyv(bodyOf(await retrieve(mef, targetPeer('s1.example.com', ['//sp.example.com/S1']))), 'S1')
  assertKeyOnlyInKyv(bodyOf(await retrieve(mef, targetPeer('s2.example.com', ['//sp.example.com/S2']), `//${MEF_FQDN}/mef/${KC_ID_HEX}`)), 'S2 absolute')
  assertKeyOnlyInKyv(bodyOf(await retrieve(mef, targetPeer('s2.example.com', ['//sp.example.com/S2']), `mef/${KC_ID_HEX.toLowerCase()}`)), 'lower-case')
})

test('§3.7: the Source reads its registration without kyv (with the target list)', async (t) => {
  const { mef, source } = await setup(t)
  const reply = await retrieve(mef, source)
  assert.equal(reply.response.rsc, 2000)
  const body = bodyOf(reply)
  assert.equal(body.kyv, undefined)
  assert.deepEqual(body.tgis, [REGISTRAR])
  assert.equal(body.clid, SOURCE)
  assertNoKey(reply, [KC_HEX], 'Source view')
  assert.equal((await auditEvents(mef)).at(-1)?.subject.view, 'source')
})

test('§3.7: a Source that lists itself among ESData Targets still never gets kyv back', async (t) => {
  const { mef, source } = await setup(t, 24, [SOURCE, '//sp.example.com/S2'])
  const body = bodyOf(await retrieve(mef, source))
  assert.equal(body.kyv, undefined)
  assertNoKey(body, [KC_HEX], 'Source listed as Target')
  assertKeyOnlyInKyv(bodyOf(await retrieve(mef, targetPeer('s2.example.com', ['//sp.example.com/S2']))), 'the other Target')
})

test('4103 ORIGINATOR_HAS_NO_PRIVILEGE for anyone not in the target list (8.3.5.2.8 step 3)', async (t) => {
  const { mef } = await setup(t)
  await refusedUnchanged(mef, targetPeer('in-cse2.sp.example.com', ['//sp.example.com/in-cse2']), 4103, 'another Target')
  await refusedUnchanged(mef, targetPeer('in-cse.sp.example.com', ['//SP.example.com/in-cse']), 4103, 'CSE-IDs compare byte-exact')
  await refusedUnchanged(mef, targetPeer('in-cse.sp.example.com'), 4103, 'a certificate FQDN is not the CSE-ID')
  const other = await addEnrolee(mef, { clientId: '//sp.example.com/S-other' })
  await refusedUnchanged(mef, other, 4103, 'another enrolee')
})

test('4004 NOT_FOUND: unknown or expired RelativeKeyID, a RelativeKeID (OQ-35), another MEF or path', async (t) => {
  const { mef, source } = await setup(t)
  const registrar = targetPeer('in-cse.sp.example.com', [REGISTRAR])
  await refusedUnchanged(mef, registrar, 4004, 'unknown id', `mef/${'0'.repeat(32)}`)
  await refusedUnchanged(mef, registrar, 4004, 'not a RelativeKeyID', 'mef/xyz')
  await refusedUnchanged(mef, registrar, 4004, 'extra segment', `mef/${KC_ID_HEX}/more`)
  await refusedUnchanged(mef, registrar, 4004, 'another MEF FQDN', `//mef2.example.com/mef/${KC_ID_HEX}`)
  await refusedUnchanged(mef, registrar, 4004, 'not under mef', `maf/${KC_ID_HEX}`)
  await refusedUnchanged(mef, registrar, 4004, 'SP-relative form', `/mef/${KC_ID_HEX}`)

  const keHex = '0123456789ABCDEF0123456789ABCDEF'
  await mef.store.transaction(async (tx) => {
    await tx.enrolments.create({
      keId: `${keHex}@${MEF_FQDN}`, enroleeRef: source.enroleeRef,
      ke: fakeSession().exportKeyingMaterial('x', 48), expiresAt: new Date(mef.now.getTime() + DAY),
    })
  })
  await refusedUnchanged(mef, registrar, 4004, 'a RelativeKeID is no key registration', `mef/${keHex}`)

  mef.now = new Date(mef.now.getTime() + DAY)
  await refusedUnchanged(mef, registrar, 4004, 'expired at et')
})

test('4000 BAD_REQUEST for a partial (#attribute) address', async (t) => {
  const { mef } = await setup(t)
  await refusedUnchanged(mef, targetPeer('in-cse.sp.example.com', [REGISTRAR]), 4000, 'attribute', `mef/${KC_ID_HEX}#kyv`)
})
