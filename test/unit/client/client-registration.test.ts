// MEF Client Registration, Configuration Retrieval, Registration Update and De-Registration,
// device side (TS-0003 §8.3.5.2.3–§8.3.5.2.6; mef-maf-interface.md §4.1), against the fake MEF.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { SecretBytes } from '../../../src/core/index.js'
import {
  ClientError, deregisterMefClient, openMefSession, registerMefClient, retrieveMefClientConfiguration, updateMefClientRegistration,
} from '../../../src/client/index.js'
import { startFakeMef } from '../../support/fake-mef.js'

const FQDN = 'mef.m2msec.example'
const KPM = new SecretBytes(new Uint8Array(32).fill(0x42))
const CFG = { krc: [{ adfq: 'sp.example.com', suid: 22, tgis: ['//sp.example.com/CSE-B01'] }], vsi: 'acme', xyz: 1 }

async function setup(t: TestContext, clientCfg?: unknown) {
  const mef = await startFakeMef(t, { fqdn: FQDN, psk: new Map([['dev1', { kpm: KPM, clientId: '//sp.example.com/Cdev1' }]]), ...(clientCfg === undefined ? {} : { clientCfg: clientCfg as never }) })
  const session = await openMefSession({ mefUrl: `${mef.url}/mef`, mefFqdn: FQDN, credential: { kind: 'psk', kpmId: 'dev1', kpm: KPM }, originator: '//sp.example.com/Cdev1' })
  t.after(() => session.close())
  return { mef, session }
}

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise
    return undefined
  } catch (error) {
    return error instanceof ClientError ? `${error.code}${error.rsc === undefined ? '' : `/${error.rsc}`}` : String(error)
  }
}

test('registration, update, configuration retrieval and de-registration send the §4.1 primitives on one session', async (t) => {
  const { mef, session } = await setup(t, CFG)
  const now = new Date('2031-02-03T04:05:06Z')
  const reg = await registerMefClient(session, { adminFqdn: 'sp.example.com', expiry: new Date('2032-01-01T00:00:00Z') }, now)
  assert.equal(session.originator, '//sp.example.com/Cdev1')
  const updated = await updateMefClientRegistration(session, reg.resourceName, { lifetimeMs: 60_000, labels: ['a', 'b'] }, now)
  assert.deepEqual(updated, { expiry: '20310203T040606', labels: ['a', 'b'] })
  const cfg = await retrieveMefClientConfiguration(session, reg.resourceName)
  assert.deepEqual(cfg.keyRegistrationConfigs, [{ adminFqdn: 'sp.example.com', suid: 22, targetIds: ['//sp.example.com/CSE-B01'] }])
  assert.equal(cfg.vendorInformation, 'acme')
  assert.equal(cfg.raw.xyz, 1, 'unknown ccfg members are kept, not refused (§3.8)')
  await deregisterMefClient(session, reg.resourceName)
  const seen = mef.requests.map(({ primitive: p }) => ({ op: p.op, to: p.to, ty: p.ty, fr: p.fr, pc: p.pc }))
  assert.deepEqual(seen, [
    { op: 1, to: 'mef', ty: 32004, fr: '//sp.example.com/Cdev1', pc: { 'sec:mecr': { et: '20320101T000000', adfq: 'sp.example.com' } } },
    { op: 3, to: `mef/${reg.regId}`, ty: undefined, fr: '//sp.example.com/Cdev1', pc: { 'sec:mecr': { et: '20310203T040606', lbl: ['a', 'b'] } } },
    { op: 2, to: `mef/${reg.regId}#ccfg`, ty: undefined, fr: '//sp.example.com/Cdev1', pc: undefined },
    { op: 4, to: `mef/${reg.regId}`, ty: undefined, fr: '//sp.example.com/Cdev1', pc: undefined },
  ])
  assert.ok(mef.requests.every((r) => r.socket === mef.requests[0]!.socket), 'one pinned TLS session')
  assert.equal(mef.registrations.size, 0)
})

test('refusals keep their rsc: unknown registration 4004, no configuration 4004; bad input never reaches the MEF', async (t) => {
  const { mef, session } = await setup(t)
  const reg = await registerMefClient(session, { adminFqdn: 'sp.example.com' })
  assert.equal(await code(retrieveMefClientConfiguration(session, reg.resourceName)), 'M2MSEC_CLIENT_REFUSED/4004')
  assert.equal(await code(updateMefClientRegistration(session, 'ecrNOSUCH', { labels: ['x'] })), 'M2MSEC_CLIENT_REFUSED/4004')
  assert.equal(await code(deregisterMefClient(session, 'ecrNOSUCH')), 'M2MSEC_CLIENT_REFUSED/4004')
  const before = mef.requests.length
  assert.equal(await code(updateMefClientRegistration(session, reg.resourceName, {})), 'M2MSEC_CLIENT_INPUT_INVALID')
  assert.equal(await code(updateMefClientRegistration(session, reg.resourceName, { expiry: new Date(), lifetimeMs: 5 })), 'M2MSEC_CLIENT_INPUT_INVALID')
  assert.equal(await code(updateMefClientRegistration(session, reg.resourceName, { labels: ['has space'] })), 'M2MSEC_CLIENT_INPUT_INVALID')
  assert.equal(await code(deregisterMefClient(session, '../etc')), 'M2MSEC_CLIENT_INPUT_INVALID')
  assert.equal(await code(registerMefClient(session, { adminFqdn: '' })), 'M2MSEC_CLIENT_INPUT_INVALID')
  assert.equal(mef.requests.length, before)
})

test('a malformed configuration or update answer is M2MSEC_CLIENT_RESPONSE_INVALID', async (t) => {
  for (const cfg of [{ krc: 'x' }, { krc: [{ suid: 22 }] }, { krc: [{ adfq: 'a.example', suid: '22' }] }, { vsi: 5 }]) {
    const { session } = await setup(t, cfg)
    const reg = await registerMefClient(session, { adminFqdn: 'sp.example.com' })
    assert.equal(await code(retrieveMefClientConfiguration(session, reg.resourceName)), 'M2MSEC_CLIENT_RESPONSE_INVALID', JSON.stringify(cfg))
  }
})

test('a closed session refuses requests with M2MSEC_CLIENT_SESSION_CLOSED', async (t) => {
  const { session } = await setup(t)
  session.close()
  session.close()
  assert.equal(await code(registerMefClient(session, { adminFqdn: 'sp.example.com' })), 'M2MSEC_CLIENT_SESSION_CLOSED')
  assert.throws(() => session.exportKeyingMaterial('EXPORTER-oneM2M-Bootstrap', 48), { code: 'M2MSEC_CLIENT_SESSION_CLOSED' })
})
