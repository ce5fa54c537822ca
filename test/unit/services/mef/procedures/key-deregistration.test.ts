// TS-0003 8.3.5.2.10 MEF Key De-Registration (table 8.3.5.2.10-1) over a real SQLite store, as
// mapped in mef-maf-interface.md §3.7/§4.1/§4.5 (DELETE `mef/<RelativeKeyID>`, 2002).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { TestContext } from 'node:test'
import { OPERATION } from '../../../../../src/onem2m/index.js'
import type { JsonObject } from '../../../../../src/onem2m/index.js'
import type { MefPeer } from '../../../../../src/services/mef/context.js'
import { deregisterKey } from '../../../../../src/services/mef/procedures/key-deregistration.js'
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

function registration(mef: TestMef): JsonObject {
  return { 'sec:skr': { et: timestampIn(mef, DAY), adfq: ADFQ, suid: 22, tgis: [REGISTRAR] } } as JsonObject
}

async function setup(t: TestContext): Promise<{ mef: TestMef; source: EnroleePeer }> {
  const mef = await openTestMef(t)
  const source = await addEnrolee(mef, { clientId: SOURCE })
  assert.equal((await registerKey(mefRequest(mef, primitive(OPERATION.CREATE, 'mef', registration(mef)), source, fakeSession()), mef.deps)).response.rsc, 2001)
  return { mef, source }
}

function deregister(mef: TestMef, peer: MefPeer, to = `mef/${KC_ID_HEX}`) {
  return deregisterKey(mefRequest(mef, primitive(OPERATION.DELETE, to), peer), mef.deps)
}

async function refusedUnchanged(mef: TestMef, peer: MefPeer, rsc: number, what: string, to?: string) {
  const before = dumpState(mef)
  const auditBefore = (await auditEvents(mef)).length
  const error = await expectRefusal(() => deregister(mef, peer, to), rsc, what)
  assert.deepEqual(dumpState(mef), before, `${what}: stored state unchanged`)
  const audit = await auditEvents(mef)
  assert.equal(audit.length, auditBefore + 1, `${what}: audited`)
  assert.equal(audit.at(-1)?.action, 'mef.key-deregistration')
  assert.equal(audit.at(-1)?.outcome, `refused:${rsc}`)
  assert.equal(audit.at(-1)?.subject.rsc, rsc)
  assertNoKey(error, [KC_HEX], `${what}: error`)
}

test('8.3.5.2.10: the Source de-registers (2002, no Content); the key is no longer distributed and its id is never reissued', async (t) => {
  const { mef, source } = await setup(t)
  const reply = await deregister(mef, source)
  assert.equal(reply.response.rsc, 2002)
  assert.equal(reply.response.pc, undefined)
  assertNoKey(reply, [KC_HEX], 'DELETE response')
  assert.equal(await mef.store.transaction((tx) => tx.keyRegistrations.find(MEF_FQDN, KC_ID_HEX, mef.now)), undefined)
  const audit = await auditEvents(mef)
  assert.equal(audit.at(-1)?.outcome, 'ok')
  assert.equal(audit.at(-1)?.subject.relativeKeyId, KC_ID_HEX)

  await expectRefusal(() => retrieveKey(mefRequest(mef, primitive(OPERATION.RETRIEVE, `mef/${KC_ID_HEX}`), targetPeer('cse.example.com', [REGISTRAR])), mef.deps),
    4004, 'retrieval after de-registration')
  await expectRefusal(() => registerKey(mefRequest(mef, primitive(OPERATION.CREATE, 'mef', registration(mef)), source, fakeSession()), mef.deps),
    4105, 're-registration under the same exported id')
})

test('a revoked Source may still withdraw its key', async (t) => {
  const { mef, source } = await setup(t)
  await mef.store.transaction((tx) => tx.enrolees.setStatus(source.enroleeRef, 'revoked'))
  assert.equal((await deregister(mef, source)).response.rsc, 2002)
})

test('the absolute `to` form addresses the same registration', async (t) => {
  const { mef, source } = await setup(t)
  assert.equal((await deregister(mef, source, `//${MEF_FQDN}/mef/${KC_ID_HEX}`)).response.rsc, 2002)
})

test('4103: a Target or another enrolee cannot de-register', async (t) => {
  const { mef } = await setup(t)
  await refusedUnchanged(mef, targetPeer('in-cse.sp.example.com', [REGISTRAR]), 4103, 'the Target')
  await refusedUnchanged(mef, await addEnrolee(mef, { clientId: '//sp.example.com/S-other' }), 4103, 'another enrolee')
})

test('4004: unknown, already de-registered or expired key registration', async (t) => {
  const { mef, source } = await setup(t)
  await refusedUnchanged(mef, source, 4004, 'unknown', `mef/${'E'.repeat(32)}`)
  await refusedUnchanged(mef, source, 4004, 'not a RelativeKeyID', 'mef/not-hex')
  mef.now = new Date(mef.now.getTime() + DAY)
  await refusedUnchanged(mef, source, 4004, 'expired')
})

test('4004 for a second DELETE', async (t) => {
  const { mef, source } = await setup(t)
  assert.equal((await deregister(mef, source)).response.rsc, 2002)
  await refusedUnchanged(mef, source, 4004, 'already de-registered')
})
