// The MEF end to end with real processes (issue 5 "Done means"): a device holding only a Kpm, or
// only a certificate, enrols at `m2msec serve mef`; a Registrar stand-in with an FQDN
// certificate fetches the matching Kpsa via fetchCredentials and completes a TLS-PSK handshake
// with the device (psk_identity = KeID, psk = the key), in both target-key modes (OQ-6).
// Refusals: an unauthorised Target gets 4103 and no key; a revoked enrolee cannot enrol; a
// failed handshake stores nothing; each refusal is one audit event. Re-enrolment: a device
// that enrols again gets a fresh Ke and the old KeID stops working. Every test ends with no
// key bytes in output or database.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SecretBytes, fromHex } from '../../src/core/index.js'
import { OPERATION, parseTimestamp } from '../../src/onem2m/index.js'
import { connectPsk, createPskServer } from '../../src/transport/index.js'
import { openDataDirectoryStore, type Store } from '../../src/store/index.js'
import { addEnrolee, revokeEnrolee } from '../../src/services/mef/operator/index.js'
import { enrol } from '../../src/client/enrol.js'
import { retrieveMefKey } from '../../src/client/key-registration.js'
import type { AuditEventRecord } from '../../src/store/index.js'
import {
  DEVICE_AE_ID, MEF_FQDN, OTHER_REGISTRAR_ID, REGISTRAR_FQDN, REGISTRAR_ID, assertNoSecrets, createMefPki, fetchCredentialsAs, startMef,
} from '../support/mef-process.js'

const KPM_HEX = '3C6E0B8A9F1D2E4B5A7C8D9E0F1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C'
const KPM_ID = 'kpm-0001@mef.example.com'
const DEVICE_ID = '//m2m.example.com/Sdev01'
const ADMIN = 'm2m.example.com'

type T = TestContext

function dataDir(t: T): string {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-mef-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function withStore<R>(dir: string, work: (store: Store) => Promise<R>): Promise<R> {
  const store = await openDataDirectoryStore({ dataDir: dir, create: true, env: {} })
  try {
    return await work(store)
  } finally {
    await store.close()
  }
}

async function addPskEnrolee(dir: string, kpmId = KPM_ID, kpmHex = KPM_HEX): Promise<void> {
  await withStore(dir, (store) => addEnrolee(store, { kpmId, kpm: kpmHex, enroleeId: DEVICE_ID, enrolmentExpiry: '1d', targets: [`22:${REGISTRAR_ID}`] }, new Date()))
}

/** Registrar B accepts the device's PSK handshake with the fetched key; resolves when both sides finished. */
async function pskHandshake(t: T, keId: string, registrarKey: SecretBytes, deviceKey: SecretBytes): Promise<string> {
  const seen: string[] = []
  const server = createPskServer<string>({ resolve: async (identity) => (seen.push(identity), identity === keId ? { key: registrarKey, binding: identity } : null) })
  const { port } = await server.listen(0)
  t.after(() => server.close())
  const accepted = new Promise<string>((resolve) => server.once('connection', (c: { binding: string; socket: { destroy(): void } }) => (c.socket.destroy(), resolve(c.binding))))
  const socket = await connectPsk({ port, servername: REGISTRAR_FQDN, identity: keId, key: deviceKey })
  socket.destroy()
  return accepted
}

/** The audit log once `done` holds for it (the MEF audits some refusals after answering): waits, never sleeps blindly. */
async function auditWhen(dir: string, done: (events: readonly AuditEventRecord[]) => boolean, what: string): Promise<readonly AuditEventRecord[]> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const events = await withStore(dir, (store) => store.transaction((tx) => tx.audit.list()))
    if (done(events)) return events
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; audit: ${events.map((e) => `${e.action} ${e.outcome}`).join(', ')}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

for (const mode of ['usage-constrained', 'seed-000'] as const) {
  test(`a device with only a Kpm enrols and the Registrar's fetched Kpsa completes its PSK handshake (${mode})`, async (t) => {
    const pki = await createMefPki(t)
    const dir = dataDir(t)
    await addPskEnrolee(dir)
    const mef = await startMef(t, { dataDir: dir, pki, mode })

    const device = await enrol({
      mefUrl: `https://127.0.0.1:${mef.port}`, mefFqdn: MEF_FQDN, credential: { kind: 'psk', kpmId: KPM_ID, kpm: new SecretBytes(fromHex(KPM_HEX)) },
      target: { enroleeBId: REGISTRAR_ID }, mode, adminFqdn: ADMIN,
    })
    assert.match(device.keId, /^[0-9A-F]{32}@mef\.example\.com$/)
    assert.equal(device.registration.clientId, DEVICE_ID, 'MEF Client ID is the configured Enrolee-ID (OQ-20)')

    const fetched = await fetchCredentialsAs(mef.port, pki, pki.registrar, REGISTRAR_ID, device.keId)
    assert.equal(fetched.rsc, 2000)
    assert.ok(fetched.result.stat)
    assert.equal(fetched.result.enid, DEVICE_ID)
    assert.deepEqual(fetched.result.cred.reveal(), device.targetKey.reveal(), 'both ends hold the same key by construction')

    assert.equal(await pskHandshake(t, device.keId, fetched.result.cred, device.targetKey), device.keId)
    const enrolments = await withStore(dir, async (store) => store.transaction(async (tx) => {
      const [enrolee] = await tx.enrolees.list()
      return tx.enrolments.listByEnrolee(enrolee!.enroleeRef, new Date())
    }))
    assert.deepEqual(enrolments.map((e) => e.keId), [device.keId])
    assertNoSecrets([mef.output()], [dir], [fromHex(KPM_HEX), device.ke.reveal(), device.targetKey.reveal()])
  })
}

test('a device with only a certificate enrols and the Registrar fetches the matching key', async (t) => {
  const pki = await createMefPki(t)
  const dir = dataDir(t)
  await withStore(dir, (store) => addEnrolee(store, {
    trustAnchorPem: pki.deviceCa.cert, expectedIdentity: `ae-id:${DEVICE_AE_ID}`, enrolmentExpiry: '1d', targets: [`22:${REGISTRAR_ID}`],
  }, new Date()))
  const mef = await startMef(t, { dataDir: dir, pki })
  const device = await enrol({
    mefUrl: `https://127.0.0.1:${mef.port}`, mefFqdn: MEF_FQDN,
    credential: { kind: 'certificate', certPem: pki.device.cert, keyPem: pki.device.key, mefCaPem: pki.mefCa.cert },
    target: { enroleeBId: REGISTRAR_ID }, adminFqdn: ADMIN,
  })
  assert.equal(device.registration.clientId, DEVICE_AE_ID)
  const fetched = await fetchCredentialsAs(mef.port, pki, pki.registrar, REGISTRAR_ID, device.keId)
  assert.equal(fetched.rsc, 2000)
  assert.ok(fetched.result.stat)
  assert.equal(fetched.result.enid, DEVICE_AE_ID)
  assert.equal(await pskHandshake(t, device.keId, fetched.result.cred, device.targetKey), device.keId)
  assertNoSecrets([mef.output()], [dir], [device.ke.reveal(), device.targetKey.reveal()])
})

test('a Target not authorised for the enrolee gets 4103 with stat false and no key', async (t) => {
  const pki = await createMefPki(t)
  const dir = dataDir(t)
  await addPskEnrolee(dir)
  const mef = await startMef(t, { dataDir: dir, pki })
  const device = await enrol({
    mefUrl: `https://127.0.0.1:${mef.port}`, mefFqdn: MEF_FQDN, credential: { kind: 'psk', kpmId: KPM_ID, kpm: new SecretBytes(fromHex(KPM_HEX)) },
    target: { enroleeBId: REGISTRAR_ID }, adminFqdn: ADMIN,
  })
  const refusedFetch = await fetchCredentialsAs(mef.port, pki, pki.otherRegistrar, OTHER_REGISTRAR_ID, device.keId)
  assert.equal(refusedFetch.rsc, 4103)
  assert.equal(refusedFetch.result.stat, false)
  // A Target that claims another Target's originator ID is not authenticated.
  const impersonating = await fetchCredentialsAs(mef.port, pki, pki.otherRegistrar, REGISTRAR_ID, device.keId)
  assert.equal(impersonating.rsc, 4106)
  const unknown = await fetchCredentialsAs(mef.port, pki, pki.registrar, REGISTRAR_ID, `${'AB'.repeat(16)}@${MEF_FQDN}`)
  assert.equal(unknown.rsc, 4004)
  assert.equal(unknown.result.stat, false)
  // One audit event per refusal, the most specific one: the procedure's reason, or the router's rsc.
  const fetchOutcomes = (events: readonly AuditEventRecord[]) => events.filter((e) => e.action === 'mef.fetch-credentials').map((e) => e.outcome)
  const events = await auditWhen(dir, (e) => fetchOutcomes(e).length >= 3, 'three fetchCredentials refusals')
  assert.deepEqual(fetchOutcomes(events).sort(), ['refused:4106', 'refused:target-not-authorised', 'refused:unknown-ke-id'])
  assert.deepEqual(events.filter((e) => e.action === 'mef.request'), [], 'no second, generic event')
  assertNoSecrets([mef.output()], [dir], [fromHex(KPM_HEX), device.ke.reveal(), device.targetKey.reveal()])
})

test('a revoked enrolee cannot enrol and a failed handshake stores nothing', async (t) => {
  const pki = await createMefPki(t)
  const dir = dataDir(t)
  await addPskEnrolee(dir)
  const revokedKpm = '9A4F2C7E1B8D3065F4E2A1C9B7D5038E6A2F4C1B9E7D5A3C8B6F4E2D0C1A3B5F'
  await withStore(dir, async (store) => {
    await addEnrolee(store, { kpmId: 'kpm-0002@mef.example.com', kpm: revokedKpm, enrolmentExpiry: '1d', targets: [`22:${REGISTRAR_ID}`] }, new Date())
    await revokeEnrolee(store, 'kpm-0002@mef.example.com', new Date())
  })
  const mef = await startMef(t, { dataDir: dir, pki })
  const attempt = (kpmId: string, kpmHex: string) => enrol({
    mefUrl: `https://127.0.0.1:${mef.port}`, mefFqdn: MEF_FQDN, credential: { kind: 'psk', kpmId, kpm: new SecretBytes(fromHex(kpmHex)) },
    target: { enroleeBId: REGISTRAR_ID }, adminFqdn: ADMIN,
  })
  await assert.rejects(attempt('kpm-0002@mef.example.com', revokedKpm), { code: 'M2MSEC_CLIENT_HANDSHAKE_FAILED' })
  const wrongKpm = KPM_HEX.slice(0, -2) + '00'
  await assert.rejects(attempt(KPM_ID, wrongKpm), { code: 'M2MSEC_CLIENT_HANDSHAKE_FAILED' })
  await assert.rejects(attempt('kpm-9999@mef.example.com', KPM_HEX), { code: 'M2MSEC_CLIENT_HANDSHAKE_FAILED' })
  const read = () => withStore(dir, (store) => store.transaction(async (tx) => {
    const enrolees = await tx.enrolees.list()
    const enrolments = (await Promise.all(enrolees.map((e) => tx.enrolments.listByEnrolee(e.enroleeRef, new Date())))).flat()
    const registrations = (await Promise.all(enrolees.map((e) => tx.clientRegistrations.listByClient('mef', MEF_FQDN, e.enroleeId ?? `10-${e.credentialIdentity}`, new Date())))).flat()
    const refusals = (await tx.audit.list()).filter((e) => e.action === 'mef.handshake').map((e) => e.outcome)
    return { enrolments, registrations, refusals }
  }))
  // The MEF audits refusals after the handshake closed: wait for the three events, not a fixed time.
  const deadline = Date.now() + 10_000
  let state = await read()
  while (state.refusals.length < 3 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    state = await read()
  }
  assert.deepEqual(state.enrolments, [])
  assert.deepEqual(state.registrations, [])
  for (const reason of ['refused:revoked', 'refused:unknown-identity', 'refused:M2MSEC_TLS_HANDSHAKE_FAILED']) {
    assert.ok(state.refusals.includes(reason), `audit lacks ${reason}: ${state.refusals.join(', ')}`)
  }
  assertNoSecrets([mef.output()], [dir], [fromHex(KPM_HEX), fromHex(revokedKpm)])
})

test('a device that enrols again gets a fresh Ke: its old registration and KeID end, the Registrar fetches only the new key', async (t) => {
  const pki = await createMefPki(t)
  const dir = dataDir(t)
  await addPskEnrolee(dir)
  const mef = await startMef(t, { dataDir: dir, pki })
  const enrolOnce = () => enrol({
    mefUrl: `https://127.0.0.1:${mef.port}`, mefFqdn: MEF_FQDN, credential: { kind: 'psk', kpmId: KPM_ID, kpm: new SecretBytes(fromHex(KPM_HEX)) },
    target: { enroleeBId: REGISTRAR_ID }, adminFqdn: ADMIN,
  })
  const lost = await enrolOnce()
  // The credential file is lost; the operator re-runs the enrolment with the same Kpm.
  const again = await enrolOnce()
  assert.notEqual(again.keId, lost.keId)
  assert.notEqual(again.registration.regId, lost.registration.regId)

  const old = await fetchCredentialsAs(mef.port, pki, pki.registrar, REGISTRAR_ID, lost.keId)
  assert.equal(old.rsc, 4004, 'the superseded KeID no longer yields a key')
  assert.equal(old.result.stat, false)
  const fresh = await fetchCredentialsAs(mef.port, pki, pki.registrar, REGISTRAR_ID, again.keId)
  assert.equal(fresh.rsc, 2000)
  assert.ok(fresh.result.stat)
  assert.deepEqual(fresh.result.cred.reveal(), again.targetKey.reveal())
  assert.equal(await pskHandshake(t, again.keId, fresh.result.cred, again.targetKey), again.keId)

  const state = await withStore(dir, (store) => store.transaction(async (tx) => {
    const [enrolee] = await tx.enrolees.list()
    return {
      keIds: (await tx.enrolments.listByEnrolee(enrolee!.enroleeRef, new Date())).map((e) => e.keId),
      regIds: (await tx.clientRegistrations.listByClient('mef', MEF_FQDN, DEVICE_ID, new Date())).map((r) => r.regId),
      superseded: (await tx.audit.list()).filter((e) => e.action === 'mef.client-registration' && e.outcome === 'superseded'),
    }
  }))
  assert.deepEqual(state.keIds, [again.keId])
  assert.deepEqual(state.regIds, [again.registration.regId])
  assert.equal(state.superseded.length, 1)
  assert.equal(state.superseded[0]!.subject.supersededRegId, lost.registration.regId)
  assert.equal(state.superseded[0]!.subject.regId, again.registration.regId)
  assert.deepEqual(state.superseded[0]!.subject.endedKeIds, [lost.keId])
  assertNoSecrets([mef.output()], [dir], [fromHex(KPM_HEX), lost.ke.reveal(), lost.targetKey.reveal(), again.ke.reveal(), again.targetKey.reveal()])
})

test('a key procedure\'s refusal is audited once, by the procedure, not again as mef.request', async (t) => {
  const pki = await createMefPki(t)
  const dir = dataDir(t)
  await addPskEnrolee(dir)
  const mef = await startMef(t, { dataDir: dir, pki })
  const device = await enrol({
    mefUrl: `https://127.0.0.1:${mef.port}`, mefFqdn: MEF_FQDN, credential: { kind: 'psk', kpmId: KPM_ID, kpm: new SecretBytes(fromHex(KPM_HEX)) },
    target: { enroleeBId: REGISTRAR_ID }, adminFqdn: ADMIN, keepSession: true,
  })
  try {
    await assert.rejects(retrieveMefKey(device.session!, `${'C4'.repeat(16)}@${MEF_FQDN}`), { code: 'M2MSEC_CLIENT_REFUSED', rsc: 4004 })
    // A refusal no procedure audits (a registration that does not exist) still gets its one generic event.
    await assert.rejects(device.session!.request(OPERATION.RETRIEVE, 'mef/ecrZZZZZZZZZZZZZZZZ', { expect: 2000 }), { code: 'M2MSEC_CLIENT_REFUSED', rsc: 4004 })
  } finally {
    device.session?.close()
  }
  const events = await auditWhen(dir, (e) => e.some((x) => x.action === 'mef.request'), 'the generic refusal event')
  const refused = events.filter((e) => e.outcome.startsWith('refused'))
  assert.deepEqual(refused.map((e) => `${e.action} ${e.outcome}`), ['mef.key-retrieval refused:4004', 'mef.request refused:4004'])
  assertNoSecrets([mef.output()], [dir], [fromHex(KPM_HEX), device.ke.reveal(), device.targetKey.reveal()])
})

// Coverage 000-15: the Lifetime a Target gets never passes the Ke's Enrolment Expiry (8.3.2.1,
// table 8.3.2.1-5), and a Target configured with a key lifetime gets at most that (D-89).
test('fetchCredentials lftm is at most the enrolment expiry, and at most now + 1 h for a Target configured with lifetime=1h', async (t) => {
  const pki = await createMefPki(t)
  const dir = dataDir(t)
  const shortKpm = '5D1A8E3C7B0F2946E8D4C1B7A3F95E0264C8B1D7E3A9F5C2B6D0E4A8C1F7B3D9'
  await withStore(dir, async (store) => {
    await addEnrolee(store, { kpmId: KPM_ID, kpm: KPM_HEX, enroleeId: DEVICE_ID, enrolmentExpiry: '1d', targets: [`22:${REGISTRAR_ID}`] }, new Date())
    await addEnrolee(store, { kpmId: 'kpm-0003@mef.example.com', kpm: shortKpm, enroleeId: '//m2m.example.com/Sdev03', enrolmentExpiry: '1d', targets: [`22:${REGISTRAR_ID}:lifetime=1h`] }, new Date())
  })
  const mef = await startMef(t, { dataDir: dir, pki })
  const enrolWith = (kpmId: string, kpmHex: string) => enrol({
    mefUrl: `https://127.0.0.1:${mef.port}`, mefFqdn: MEF_FQDN, credential: { kind: 'psk', kpmId, kpm: new SecretBytes(fromHex(kpmHex)) },
    target: { enroleeBId: REGISTRAR_ID }, adminFqdn: ADMIN,
  })
  const plain = await enrolWith(KPM_ID, KPM_HEX)
  const short = await enrolWith('kpm-0003@mef.example.com', shortKpm)
  const expiries = await withStore(dir, (store) => store.transaction(async (tx) => {
    const out = new Map<string, Date>()
    for (const enrolee of await tx.enrolees.list()) {
      for (const e of await tx.enrolments.listByEnrolee(enrolee.enroleeRef, new Date())) out.set(e.keId, e.expiresAt)
    }
    return out
  }))
  const lifetimeOf = async (keId: string): Promise<{ lftm: Date; before: number; after: number }> => {
    const before = Date.now()
    const fetched = await fetchCredentialsAs(mef.port, pki, pki.registrar, REGISTRAR_ID, keId)
    const after = Date.now()
    assert.equal(fetched.rsc, 2000)
    assert.ok(fetched.result.stat)
    const lftm = parseTimestamp(fetched.result.lftm)
    assert.ok(lftm !== undefined, `lftm ${fetched.result.lftm} is an m2m:timestamp`)
    return { lftm, before, after }
  }

  const plainExpiry = expiries.get(plain.keId)
  assert.ok(plainExpiry !== undefined, 'the first enrolment is stored')
  const p = await lifetimeOf(plain.keId)
  assert.ok(p.lftm.getTime() <= plainExpiry.getTime(), `lftm ${p.lftm.toISOString()} ≤ Ke expiry ${plainExpiry.toISOString()}`)
  // Without a key lifetime the Ke expiry is the bound itself (in whole seconds).
  assert.ok(p.lftm.getTime() > plainExpiry.getTime() - 1000, 'without a key lifetime, lftm is the Ke expiry')

  const shortExpiry = expiries.get(short.keId)
  assert.ok(shortExpiry !== undefined, 'the second enrolment is stored')
  const s = await lifetimeOf(short.keId)
  assert.ok(s.lftm.getTime() <= s.after + 3_600_000, `lftm ${s.lftm.toISOString()} ≤ now + 1 h`)
  assert.ok(s.lftm.getTime() > s.before + 3_600_000 - 1000, 'the 1 h key lifetime is the bound, not something shorter')
  assert.ok(s.lftm.getTime() < shortExpiry.getTime(), 'and it is below the 1 d Ke expiry')
  assertNoSecrets([mef.output()], [dir], [fromHex(KPM_HEX), fromHex(shortKpm), plain.ke.reveal(), plain.targetKey.reveal(), short.ke.reveal(), short.targetKey.reveal()])
})

// Coverage 004-01 (seed 004 x.1.2.1.1): a manufacturer-issued device certificate whose only
// identity is an RFC 4108 hardwareModuleName enrols; the MEF identifies it by that hardware id
// (Credential-ID 31-<hwType>-<serial>, D-88), and that is the Enrolee-ID a Target is handed.
test('a device certificate carrying only a hardwareModuleName enrols; the Registrar fetches its key with enid = 31-<hwType>-<serial>', async (t) => {
  const pki = await createMefPki(t)
  const dir = dataDir(t)
  const hwType = '1.3.6.1.4.1.99999.1'
  const serialHex = '0A1B2C3D4E5F'
  const hwDevice = await pki.issueDevice('acme sensor 0A1B2C3D4E5F', { hardwareModule: { hwType, serialHex } })
  await withStore(dir, (store) => addEnrolee(store, {
    trustAnchorPem: pki.deviceCa.cert, expectedIdentity: `device:${hwType}:${serialHex.toLowerCase()}`, enrolmentExpiry: '1d', targets: [`22:${REGISTRAR_ID}`],
  }, new Date()))
  const mef = await startMef(t, { dataDir: dir, pki })
  const credentialId = `31-${hwType}-${serialHex}`
  const enrolHw = (originator?: string) => enrol({
    mefUrl: `https://127.0.0.1:${mef.port}`, mefFqdn: MEF_FQDN,
    credential: { kind: 'certificate', certPem: hwDevice.cert, keyPem: hwDevice.key, mefCaPem: pki.mefCa.cert },
    target: { enroleeBId: REGISTRAR_ID }, adminFqdn: ADMIN, ...(originator === undefined ? {} : { originator }),
  })
  // The SDK cannot guess an originator from a certificate without an M2M-ID URI: it says so.
  await assert.rejects(enrolHw(), { code: 'M2MSEC_CLIENT_INPUT_INVALID' })
  const device = await enrolHw(credentialId)
  assert.equal(device.registration.clientId, credentialId, 'no Enrolee-ID configured: the Client ID is the Credential-ID (OQ-20)')

  const fetched = await fetchCredentialsAs(mef.port, pki, pki.registrar, REGISTRAR_ID, device.keId)
  assert.equal(fetched.rsc, 2000)
  assert.ok(fetched.result.stat)
  assert.equal(fetched.result.enid, credentialId, 'the identity handed to the Target is the SAN hardware id')
  assert.deepEqual(fetched.result.cred.reveal(), device.targetKey.reveal())
  assert.equal(await pskHandshake(t, device.keId, fetched.result.cred, device.targetKey), device.keId)
  assertNoSecrets([mef.output()], [dir], [device.ke.reveal(), device.targetKey.reveal()])
})
