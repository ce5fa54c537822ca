// Device-side enrolment (TS-0003 §8.3.2.1 PPSK RSPF, §8.3.2.2 certificate RSPF; frameworks.md
// §10.3–§10.5) against the in-test MEF of test/support/fake-mef.ts (mef-maf-interface.md §4.1).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { deriveEnrolmentTargetKey, SecretBytes, SUID, toHex } from '../../../src/core/index.js'
import { RSC, type JsonValue } from '../../../src/onem2m/index.js'
import { ClientError, enrol, type EnrolOptions } from '../../../src/client/index.js'
import { startFakeMef } from '../../support/fake-mef.js'
import { createTestPki } from '../../support/tls-fixtures.js'

const FQDN = 'mef.m2msec.example'
const KPM_ID = 'dev1@mef.m2msec.example'
const KPM = new SecretBytes(Buffer.from('00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF', 'hex'))
const MAF_ID = 'maf.m2msec.example'
const REGISTRAR = '//sp.example.com/CSE-B01'

function pskOptions(url: string, extra: Partial<EnrolOptions> = {}): EnrolOptions {
  return { mefUrl: url, mefFqdn: FQDN, credential: { kind: 'psk', kpmId: KPM_ID, kpm: KPM }, target: { mafId: MAF_ID }, adminFqdn: 'sp.example.com', ...extra }
}

async function rejectsWith(promise: Promise<unknown>, code: string, rsc?: number): Promise<ClientError> {
  let caught: unknown
  await promise.catch((error: unknown) => (caught = error))
  assert.ok(caught instanceof ClientError, `expected ClientError ${code}, got ${String(caught)}`)
  assert.equal(caught.code, code)
  if (rsc !== undefined) assert.equal(caught.rsc, rsc)
  return caught
}

test('PPSK enrolment (§8.3.2.1): KeID and Ke equal the MEF side of the same session, and the registration is the exact §4.1 primitive', async (t) => {
  const mef = await startFakeMef(t, { fqdn: FQDN, psk: new Map([[KPM_ID, { kpm: KPM }]]) })
  const now = new Date('2030-01-01T00:00:00Z')
  const result = await enrol(pskOptions(mef.url, { lifetimeMs: 3_600_000, labels: ['site:berlin'] }), now)
  assert.equal(mef.enrolments.length, 1)
  const server = mef.enrolments[0]!
  assert.equal(result.keId, server.keId)
  assert.match(result.keId, /^[0-9A-F]{32}@mef\.m2msec\.example$/)
  assert.ok(result.ke.equals(server.ke), 'Ke is the Bootstrap export of the session both ends share')
  assert.equal(result.targetKeyId, result.keId)
  assert.equal(result.suid, SUID.RSPF_MAF)
  assert.ok(result.targetKey.equals(deriveEnrolmentTargetKey(server.ke, { targetId: MAF_ID, suid: 21 }, 'usage-constrained')))
  const [request] = mef.requests
  assert.equal(mef.requests.length, 1)
  assert.deepEqual(
    { op: request!.primitive.op, to: request!.primitive.to, ty: request!.primitive.ty, fr: request!.primitive.fr, rvi: request!.primitive.rvi, pc: request!.primitive.pc },
    { op: 1, to: 'mef', ty: 32004, fr: `10-${KPM_ID}`, rvi: '3', pc: { 'sec:mecr': { et: '20300101T010000', lbl: ['site:berlin'], adfq: 'sp.example.com' } } },
  )
  assert.equal(request!.host, `${FQDN}:${mef.port}`)
  assert.equal(request!.socket, server.socket, 'the registration travelled on the enrolment session')
  assert.equal(result.registration.clientId, `10-${KPM_ID}`)
  assert.match(result.registration.regId, /^ecr/)
  assert.equal(result.registration.commandPath, `mef/${result.registration.regId}/cmd`)
  assert.equal(result.session, undefined)
})

test('the Registrar target (SUID 22) derives Kpsa in both modes with the MEF\'s function (OQ-6)', async (t) => {
  const mef = await startFakeMef(t, { fqdn: FQDN, psk: new Map([[KPM_ID, { kpm: KPM }]]) })
  for (const mode of ['usage-constrained', 'seed-000'] as const) {
    const result = await enrol(pskOptions(mef.url, { target: { enroleeBId: REGISTRAR }, mode }))
    const server = mef.enrolments.at(-1)!
    assert.equal(result.suid, SUID.RSPF_SAEF)
    assert.equal(result.mode, mode)
    assert.ok(result.targetKey.equals(deriveEnrolmentTargetKey(server.ke, { targetId: REGISTRAR, suid: 22 }, mode)))
  }
  const keys = mef.enrolments.map((e) => toHex(e.ke.reveal()))
  assert.notEqual(keys[0], keys[1], 'each enrolment is a fresh session, a fresh Ke')
})

test('a wrong Kpm or unknown KpmID fails the MEF Handshake with one code and nothing is recorded', async (t) => {
  const mef = await startFakeMef(t, { fqdn: FQDN, psk: new Map([[KPM_ID, { kpm: KPM }]]) })
  const wrong = new SecretBytes(new Uint8Array(32).fill(7))
  await rejectsWith(enrol({ ...pskOptions(mef.url), credential: { kind: 'psk', kpmId: KPM_ID, kpm: wrong } }), 'M2MSEC_CLIENT_HANDSHAKE_FAILED')
  await rejectsWith(enrol({ ...pskOptions(mef.url), credential: { kind: 'psk', kpmId: 'nobody@mef.m2msec.example', kpm: KPM } }), 'M2MSEC_CLIENT_HANDSHAKE_FAILED')
  assert.equal(mef.requests.length, 0)
  assert.equal(mef.enrolments.length, 0)
})

test('a closed port is M2MSEC_CLIENT_UNREACHABLE', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port
      s.close(() => resolve(p))
    })
  })
  await rejectsWith(enrol(pskOptions(`https://127.0.0.1:${port}`)), 'M2MSEC_CLIENT_UNREACHABLE')
})

test('the MEF refusing the registration is M2MSEC_CLIENT_REFUSED with its rsc, and the session is closed', async (t) => {
  const mef = await startFakeMef(t, {
    fqdn: FQDN, psk: new Map([[KPM_ID, { kpm: KPM }]]),
    override: (r) => ({ response: { rsc: RSC.ORIGINATOR_HAS_NO_PRIVILEGE, rqi: r.rqi, rvi: '3', pc: { 'm2m:dbg': 'stakeholder does not authorise' } } }),
  })
  const error = await rejectsWith(enrol(pskOptions(mef.url)), 'M2MSEC_CLIENT_REFUSED', 4103)
  assert.equal(error.kind, 'forbidden')
  assert.match(error.message, /4103 ORIGINATOR_HAS_NO_PRIVILEGE/)
  await new Promise((resolve) => setTimeout(resolve, 50))
  assert.equal(await mef.connections(), 0, 'the device closed its session')
})

test('an MEF answering 2001 with an unreadable registration is M2MSEC_CLIENT_RESPONSE_INVALID', async (t) => {
  const bodies: JsonValue[] = [{ 'sec:mecr': { ri: 'ecrX' } }, { 'sec:skr': { rkid: 'X' } }, { 'm2m:dbg': 'x' }]
  let i = 0
  const mef = await startFakeMef(t, { fqdn: FQDN, psk: new Map([[KPM_ID, { kpm: KPM }]]), override: (r) => ({ response: { rsc: RSC.CREATED, rqi: r.rqi, pc: bodies[i++]! } }) })
  for (let n = 0; n < bodies.length; n++) await rejectsWith(enrol(pskOptions(mef.url)), 'M2MSEC_CLIENT_RESPONSE_INVALID')
  const wrongStatus = await startFakeMef(t, { fqdn: FQDN, psk: new Map([[KPM_ID, { kpm: KPM }]]), override: (r) => ({ response: { rsc: RSC.OK, rqi: r.rqi } }) })
  await rejectsWith(enrol(pskOptions(wrongStatus.url)), 'M2MSEC_CLIENT_REFUSED', 2000)
})

test('the fake MEF checks fr: a client that sends another originator gets 4106', async (t) => {
  const mef = await startFakeMef(t, { fqdn: FQDN, psk: new Map([[KPM_ID, { kpm: KPM }]]) })
  const error = await rejectsWith(enrol(pskOptions(mef.url, { originator: '//sp.example.com/Cother' })), 'M2MSEC_CLIENT_REFUSED', 4106)
  assert.equal(error.kind, 'unauthenticated')
  assert.equal(mef.requests[0]!.primitive.fr, '//sp.example.com/Cother')
})

test('bad options are refused before any connection: URL, FQDN, target, mode', async (t) => {
  const mef = await startFakeMef(t, { fqdn: FQDN, psk: new Map([[KPM_ID, { kpm: KPM }]]) })
  const base = pskOptions(mef.url)
  await rejectsWith(enrol({ ...base, mefUrl: `http://127.0.0.1:${mef.port}` }), 'M2MSEC_CLIENT_INPUT_INVALID')
  await rejectsWith(enrol({ ...base, mefUrl: 'not a url' }), 'M2MSEC_CLIENT_INPUT_INVALID')
  const { mefFqdn: _omit, ...noFqdn } = base
  await rejectsWith(enrol(noFqdn), 'M2MSEC_CLIENT_INPUT_INVALID')
  await rejectsWith(enrol({ ...base, mefFqdn: 'bad_fqdn!' }), 'M2MSEC_CLIENT_INPUT_INVALID')
  await rejectsWith(enrol({ ...base, target: { mafId: 'not an fqdn' } }), 'M2MSEC_CLIENT_INPUT_INVALID')
  await rejectsWith(enrol({ ...base, target: { enroleeBId: 'CSE-B01' } }), 'M2MSEC_CLIENT_INPUT_INVALID')
  await rejectsWith(enrol({ ...base, target: { enroleeBId: '//sp.example.com/Cae01', derivationId: 'x..y' } }), 'M2MSEC_CLIENT_INPUT_INVALID')
  await rejectsWith(enrol({ ...base, mode: 'other' as never }), 'M2MSEC_CLIENT_INPUT_INVALID')
  await rejectsWith(enrol({ ...base, target: { mafId: MAF_ID, enroleeBId: REGISTRAR } as never }), 'M2MSEC_CLIENT_INPUT_INVALID')
  await rejectsWith(enrol({ ...base, lifetimeMs: -5 }), 'M2MSEC_CLIENT_INPUT_INVALID')
  await rejectsWith(enrol({ ...base, adminFqdn: '' }), 'M2MSEC_CLIENT_INPUT_INVALID')
  assert.equal(await mef.connections(), 0)
  assert.equal(mef.requests.length, 0)
})

test('certificate RSPF (§8.3.2.2): mutual TLS, fr from the device certificate, the MEF must prove its FQDN', async (t) => {
  const pki = await createTestPki()
  const device = await pki.issue('device', { uri: ['//sp.example.com/Cdevice01'] }, { serverAuth: false })
  const mefCert = await pki.issue('mef', { dns: [FQDN] })
  const mef = await startFakeMef(t, { fqdn: FQDN, certificate: { mefCert: mefCert.cert, mefKey: mefCert.key, deviceCa: pki.ca.cert } })
  const credential = { kind: 'certificate', certPem: device.cert, keyPem: device.key, mefCaPem: pki.ca.cert } as const
  const result = await enrol({ ...pskOptions(mef.url), credential, keepSession: true })
  assert.equal(result.keId, mef.enrolments[0]!.keId)
  assert.ok(result.ke.equals(mef.enrolments[0]!.ke))
  assert.equal(mef.requests[0]!.primitive.fr, '//sp.example.com/Cdevice01')
  assert.equal(result.session?.closed, false, 'keepSession hands the open session back')
  result.session?.close()
  assert.equal(result.session?.closed, true)

  const impostor = await pki.issue('mef', { dns: ['other.m2msec.example'] })
  const wrongName = await startFakeMef(t, { fqdn: FQDN, certificate: { mefCert: impostor.cert, mefKey: impostor.key, deviceCa: pki.ca.cert } })
  const mismatch = await rejectsWith(enrol({ ...pskOptions(wrongName.url), credential }), 'M2MSEC_CLIENT_HANDSHAKE_FAILED')
  assert.equal((mismatch.cause as { code?: string }).code, 'M2MSEC_TLS_PEER_ID_MISMATCH')
  const otherPki = await createTestPki('other CA')
  const untrusted = await rejectsWith(enrol({ ...pskOptions(mef.url), credential: { ...credential, mefCaPem: otherPki.ca.cert } }), 'M2MSEC_CLIENT_HANDSHAKE_FAILED')
  assert.equal((untrusted.cause as { code?: string }).code, 'M2MSEC_TLS_PEER_UNTRUSTED')
  assert.equal(wrongName.requests.length, 0)

  const anonymous = await pki.issue('device', { dns: ['device.example'] }, { serverAuth: false })
  await rejectsWith(enrol({ ...pskOptions(mef.url), credential: { ...credential, certPem: anonymous.cert, keyPem: anonymous.key } }), 'M2MSEC_CLIENT_INPUT_INVALID')
})
