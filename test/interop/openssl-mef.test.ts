// OpenSSL as the enrolee (issue 5 "Interop"; coverage 000-02, 000-03, 000-04, 000-09):
// - PSK RSPF: `openssl s_client` with the Kpm and KpmID, exporting EXPORTER-oneM2M-Bootstrap
//   itself, types a raw HTTP MEF Client Registration into the session; `m2msec enrolments list
//   --json` then shows an enrolment whose KeID is the hex of the first 16 exported bytes @ the MEF
//   FQDN, and a Registrar's fetchCredentials returns the key derived from bytes 16..47 — an
//   outside TLS stack derived the same Ke. A Kpm with one byte changed, or an unknown KpmID, gets
//   no answer, stores nothing and leaves one audited refusal each.
// - Certificate RSPF: an enrolee added with `m2msec enrolee add` (AE-ID certificate flavour)
//   completes a mutual ECDHE-ECDSA handshake (the -msg trace shows CertificateRequest, the
//   client's Certificate and CertificateVerify) and registers; a certificate from a CA the MEF
//   does not trust, or from the right CA with another AE-ID, gets no answer and stores nothing.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deriveEnrolmentTargetKey, fromHex, SecretBytes, type TargetKeyMode } from '../../src/core/index.js'
import { formatTimestamp } from '../../src/onem2m/index.js'
import { openDataDirectoryStore, type Store } from '../../src/store/index.js'
import { addEnrolee } from '../../src/services/mef/operator/index.js'
import { openssl, opensslAvailable } from '../support/openssl.js'
import {
  DEVICE_AE_ID, MEF_FQDN, REGISTRAR_ID, assertNoSecrets, createMefPki, fetchCredentialsAs, runCli, startMef,
} from '../support/mef-process.js'
import type { OpensslPeer } from '../support/openssl.js'

const KPM_HEX = '7B2E91C4D05A38F6E1B7C92D4A0F5E6387D1C2B4A9F0E3D5C6B8A7F1E2D3C4B5'
const KPM_ID = 'kpm-0001@mef.example.com'
const DEVICE_ID = '//m2m.example.com/Sdev01'

function dataDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-mef-interop-'))
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

function registrationRequest(fr: string): string {
  const body = JSON.stringify({ 'sec:mecr': { et: formatTimestamp(new Date(Date.now() + 86_400_000)), adfq: 'm2m.example.com' } })
  return [
    'POST /mef HTTP/1.1', `Host: ${MEF_FQDN}`, `X-M2M-Origin: ${fr}`, 'X-M2M-RI: reg-1', 'X-M2M-RVI: 3',
    'Content-Type: application/json;ty=32004', `Content-Length: ${Buffer.byteLength(body)}`, '', body,
  ].join('\r\n')
}

/**
 * Runs an openssl s_client the MEF must refuse: waits for it to connect, types a registration
 * anyway and waits for its exit; fails if any HTTP response came back.
 */
async function refusedAttempt(t: TestContext, args: readonly string[], fr: string, what: string): Promise<OpensslPeer> {
  const client = openssl(t, args)
  await client.waitFor(/CONNECTED|Verify return code/, 10_000)
  // The refused handshake may already have ended openssl: a write into its closed stdin (EPIPE)
  // is that expected outcome, not a test failure.
  client.child.stdin.on('error', () => undefined)
  client.child.stdin.write(registrationRequest(fr))
  await client.exited()
  assert.doesNotMatch(client.output(), /HTTP\/1\.1/, `the MEF answered ${what}`)
  return client
}

interface StoredState {
  readonly enrolments: readonly unknown[]
  readonly registrations: readonly unknown[]
  /** Outcomes of the `mef.handshake` audit events. */
  readonly refusals: readonly string[]
}

/** Enrolments, MEF Client Registrations and handshake refusals once `count` refusals are audited (the MEF audits after the handshake closed). */
async function storedAfterRefusals(dir: string, count: number): Promise<StoredState> {
  const read = () => withStore(dir, (store) => store.transaction(async (tx): Promise<StoredState> => {
    const enrolees = await tx.enrolees.list()
    const enrolments = (await Promise.all(enrolees.map((e) => tx.enrolments.listByEnrolee(e.enroleeRef, new Date())))).flat()
    const registrations = (await Promise.all(enrolees.map((e) => tx.clientRegistrations.listByClient('mef', MEF_FQDN, e.enroleeId ?? e.credentialIdentity, new Date())))).flat()
    const refusals = (await tx.audit.list()).filter((e) => e.action === 'mef.handshake').map((e) => e.outcome)
    return { enrolments, registrations, refusals }
  }))
  const deadline = Date.now() + 10_000
  let state = await read()
  while (state.refusals.length < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    state = await read()
  }
  return state
}

for (const mode of ['usage-constrained', 'seed-000'] as const) {
  test(`openssl s_client with Kpm/KpmID registers by raw HTTP; KeID = hex(export[0..16])@MEF-FQDN and the Registrar's key derives from export[16..48] (${mode})`, { skip: !opensslAvailable() }, async (t) => {
    const pki = await createMefPki(t)
    const dir = dataDir(t)
    await withStore(dir, (store) => addEnrolee(store, { kpmId: KPM_ID, kpm: KPM_HEX, enroleeId: DEVICE_ID, enrolmentExpiry: '1d', targets: [`22:${REGISTRAR_ID}`] }, new Date()))
    const mef = await startMef(t, { dataDir: dir, pki, mode })
    const client = openssl(t, [
      's_client', '-connect', `127.0.0.1:${mef.port}`, '-tls1_2', '-cipher', 'PSK-AES128-CBC-SHA256', '-psk', KPM_HEX, '-psk_identity', KPM_ID,
      '-servername', MEF_FQDN, '-keymatexport', 'EXPORTER-oneM2M-Bootstrap', '-keymatexportlen', '48',
    ])
    const exported = (await client.waitFor(/Keying material:\s*([0-9A-Fa-f]{96})/, 10_000))[1]!.toUpperCase()
    client.child.stdin.write(registrationRequest(DEVICE_ID))
    await client.waitFor(/HTTP\/1\.1 201/, 10_000)
    assert.match(client.output(), /X-M2M-RSC: 2001/i)
    assert.match(client.output(), new RegExp(`"clid":"${DEVICE_ID}"`))
    client.child.stdin.end()
    await client.exited()

    // As an operator checks it: `m2msec enrolments list --json` against the MEF's data directory.
    const listed = await runCli(['enrolments', 'list', '--json', '--data-dir', dir])
    assert.equal(listed.code, 0, `enrolments list failed:\n${listed.stdout}${listed.stderr}`)
    const page = JSON.parse(listed.stdout) as { items: { keId: string; expiresAt: string }[] }
    const keId = `${exported.slice(0, 32)}@${MEF_FQDN}`
    assert.deepEqual(page.items.map((e) => e.keId), [keId])
    assert.ok(Date.parse(page.items[0]!.expiresAt) > Date.now(), 'the listed enrolment is live')

    // Coverage 000-09: the Registrar's key is the derivation of openssl's bytes 16..47, so the MEF's Ke is those bytes.
    const opensslKe = new SecretBytes(fromHex(exported.slice(32)))
    const expected = deriveEnrolmentTargetKey(opensslKe, { targetId: REGISTRAR_ID, suid: 22 }, mode)
    const fetched = await fetchCredentialsAs(mef.port, pki, pki.registrar, REGISTRAR_ID, keId)
    assert.equal(fetched.rsc, 2000)
    assert.ok(fetched.result.stat)
    assert.equal(fetched.result.enid, DEVICE_ID)
    assert.deepEqual(fetched.result.cred.reveal(), expected.reveal(), 'fetched key = derive(openssl export[16..48])')
    // The other mode's derivation of the same bytes differs: the comparison pins the mode too.
    const otherMode: TargetKeyMode = mode === 'seed-000' ? 'usage-constrained' : 'seed-000'
    assert.notDeepEqual(fetched.result.cred.reveal(), deriveEnrolmentTargetKey(opensslKe, { targetId: REGISTRAR_ID, suid: 22 }, otherMode).reveal())

    // Ke (bytes 16..47 of the export), the Kpm and the Target's key appear nowhere, the operator's listing included.
    assertNoSecrets([mef.output(), listed.stdout, listed.stderr], [dir], [Buffer.from(KPM_HEX, 'hex'), opensslKe.reveal(), expected.reveal()])
  })
}

test('openssl s_client with a client certificate from an untrusted CA is refused and stores nothing', { skip: !opensslAvailable() }, async (t) => {
  const pki = await createMefPki(t)
  const dir = dataDir(t)
  await withStore(dir, (store) => addEnrolee(store, {
    trustAnchorPem: pki.deviceCa.cert, expectedIdentity: `ae-id:${DEVICE_AE_ID}`, enrolmentExpiry: '1d', targets: [`22:${REGISTRAR_ID}`],
  }, new Date()))
  const mef = await startMef(t, { dataDir: dir, pki })
  const client = await refusedAttempt(t, [
    's_client', '-connect', `127.0.0.1:${mef.port}`, '-tls1_2', '-cipher', 'ECDHE-ECDSA-AES128-SHA256', '-cert', pki.files.untrustedCert,
    '-key', pki.files.untrustedKey, '-CAfile', pki.files.mefCa, '-servername', MEF_FQDN,
  ], DEVICE_AE_ID, 'a peer whose certificate it does not trust')
  const state = await storedAfterRefusals(dir, 1)
  assert.deepEqual(state.enrolments, [])
  assert.deepEqual(state.registrations, [])
  assert.ok(state.refusals.includes('refused:M2MSEC_TLS_PEER_UNTRUSTED'), state.refusals.join(', '))
  assertNoSecrets([mef.output(), client.output()], [dir], [Buffer.from(pki.untrustedDevice.key)])
})

// Coverage 000-02: the PPSK handshake fails for a Kpm with one byte changed and for an unknown KpmID.
test('openssl s_client with the Kpm\'s last byte changed, or an unknown psk_identity, gets no HTTP answer, stores nothing, and each refusal is audited', { skip: !opensslAvailable() }, async (t) => {
  const pki = await createMefPki(t)
  const dir = dataDir(t)
  await withStore(dir, (store) => addEnrolee(store, { kpmId: KPM_ID, kpm: KPM_HEX, enroleeId: DEVICE_ID, enrolmentExpiry: '1d', targets: [`22:${REGISTRAR_ID}`] }, new Date()))
  const mef = await startMef(t, { dataDir: dir, pki })
  const pskArgs = (kpmHex: string, kpmId: string): string[] => [
    's_client', '-connect', `127.0.0.1:${mef.port}`, '-tls1_2', '-cipher', 'PSK-AES128-CBC-SHA256', '-psk', kpmHex, '-psk_identity', kpmId,
    '-servername', MEF_FQDN, '-keymatexport', 'EXPORTER-oneM2M-Bootstrap', '-keymatexportlen', '48',
  ]
  const lastByte = KPM_HEX.slice(-2)
  const wrongKpm = KPM_HEX.slice(0, -2) + (lastByte === 'FF' ? '00' : 'FF')
  assert.equal(wrongKpm.length, KPM_HEX.length)
  assert.notEqual(wrongKpm, KPM_HEX)
  const wrong = await refusedAttempt(t, pskArgs(wrongKpm, KPM_ID), DEVICE_ID, 'a peer holding a wrong Kpm')
  const state1 = await storedAfterRefusals(dir, 1)
  assert.deepEqual(state1.refusals, ['refused:M2MSEC_TLS_HANDSHAKE_FAILED'], 'the wrong Kpm fails the handshake (Finished does not verify)')
  const unknown = await refusedAttempt(t, pskArgs(KPM_HEX, 'kpm-9999@mef.example.com'), DEVICE_ID, 'an unknown KpmID')
  // What openssl was told: the MEF could not verify the wrong-key Finished, and did not know the identity.
  assert.match(wrong.output(), /alert bad record mac/)
  assert.match(unknown.output(), /alert unknown psk identity/)
  const state = await storedAfterRefusals(dir, 2)
  assert.deepEqual(state.refusals, ['refused:M2MSEC_TLS_HANDSHAKE_FAILED', 'refused:unknown-identity'])
  assert.deepEqual(state.enrolments, [])
  assert.deepEqual(state.registrations, [])
  assertNoSecrets([mef.output(), wrong.output(), unknown.output()], [dir], [Buffer.from(KPM_HEX, 'hex'), Buffer.from(wrongKpm, 'hex')])
})

// Coverage 000-03 and 000-04: the Certificate-Based RSPF with openssl as the enrolee — the MEF
// asks for a client certificate and both sides sign (mutual ECDHE-ECDSA on P-256, 0xC023).
test('openssl s_client with an AE-ID device certificate (enrolee added by `m2msec enrolee add`) registers with clid = the AE-ID; -msg shows CertificateRequest, Certificate, CertificateVerify; another AE-ID from the same CA is refused', { skip: !opensslAvailable() }, async (t) => {
  const pki = await createMefPki(t)
  const dir = dataDir(t)
  const added = await runCli([
    'enrolee', 'add', '--data-dir', dir, '--trust-anchor', pki.files.deviceCa, '--expected-identity', `ae-id:${DEVICE_AE_ID}`,
    '--expiry', '1d', '--target', `22:${REGISTRAR_ID}`, '--json',
  ])
  assert.equal(added.code, 0, `enrolee add failed:\n${added.stdout}${added.stderr}`)
  const mef = await startMef(t, { dataDir: dir, pki })
  const certArgs = (cert: string, key: string): string[] => [
    's_client', '-connect', `127.0.0.1:${mef.port}`, '-tls1_2', '-cert', cert, '-key', key, '-CAfile', pki.files.mefCa, '-verify_return_error',
    '-msg', '-cipher', 'ECDHE-ECDSA-AES128-SHA256', '-servername', MEF_FQDN,
  ]
  const client = openssl(t, certArgs(pki.files.deviceCert, pki.files.deviceKey))
  await client.waitFor(/Verify return code: 0 \(ok\)/, 10_000)
  client.child.stdin.write(registrationRequest(DEVICE_AE_ID))
  await client.waitFor(/HTTP\/1\.1 201/, 10_000)
  const out = client.output()
  assert.match(out, /X-M2M-RSC: 2001/i)
  assert.match(out, new RegExp(`"clid":"${DEVICE_AE_ID}"`))
  assert.match(out, /Cipher is ECDHE-ECDSA-AES128-SHA256/)
  assert.match(out, /^<<< TLS 1\.2, Handshake \[length [0-9a-f]+\], CertificateRequest$/m, 'the MEF sends a CertificateRequest')
  assert.match(out, /^>>> TLS 1\.2, Handshake \[length [0-9a-f]+\], Certificate$/m, 'the client sends its Certificate')
  assert.match(out, /^>>> TLS 1\.2, Handshake \[length [0-9a-f]+\], CertificateVerify$/m, 'the client signs (CertificateVerify)')
  assert.match(out, /^<<< TLS 1\.2, Handshake \[length [0-9a-f]+\], Certificate$/m, 'the MEF sends its Certificate')
  assert.match(out, /^<<< TLS 1\.2, Handshake \[length [0-9a-f]+\], ServerKeyExchange$/m, 'the MEF signs its ECDHE share')
  client.child.stdin.end()
  await client.exited()

  // The same CA, another AE-ID: the certificate chains, but it is not this enrolee's identity.
  const other = await pki.issueDevice('dev03', { uri: ['//m2m.example.com/Sdev03'] })
  const tmp = dataDir(t)
  const otherCert = join(tmp, 'dev03.pem')
  const otherKey = join(tmp, 'dev03.key')
  writeFileSync(otherCert, other.cert)
  writeFileSync(otherKey, other.key, { mode: 0o600 })
  const refused = await refusedAttempt(t, certArgs(otherCert, otherKey), '//m2m.example.com/Sdev03', 'a certificate with another AE-ID')

  const state = await storedAfterRefusals(dir, 1)
  assert.deepEqual(state.refusals, ['refused:unknown-certificate'])
  assert.equal(state.enrolments.length, 1, 'only the first device enrolled')
  assert.equal(state.registrations.length, 1)
  assertNoSecrets([mef.output(), client.output(), refused.output(), added.stdout], [dir], [Buffer.from(pki.device.key), Buffer.from(other.key)])
})
