// OpenSSL as the enrolee (issue 5 "Interop", coverage 000-02, 000-03, 000-09): `openssl s_client`
// with the Kpm and KpmID, exporting EXPORTER-oneM2M-Bootstrap itself, types a raw HTTP MEF
// Client Registration into the session; `m2msec enrolments list --json` then shows an enrolment
// whose KeID is the hex of the first 16 exported bytes @ the MEF FQDN — an outside TLS stack
// derived the same bytes.
// A client certificate from a CA the MEF does not trust gets no answer, and nothing is stored.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatTimestamp } from '../../src/onem2m/index.js'
import { openDataDirectoryStore, type Store } from '../../src/store/index.js'
import { addEnrolee } from '../../src/services/mef/operator/index.js'
import { openssl, opensslAvailable } from '../support/openssl.js'
import { DEVICE_AE_ID, MEF_FQDN, REGISTRAR_ID, assertNoSecrets, createMefPki, runCli, startMef } from '../support/mef-process.js'

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

test('openssl s_client with Kpm/KpmID registers by raw HTTP and `enrolments list` shows KeID = hex(export[0..16])@MEF-FQDN', { skip: !opensslAvailable() }, async (t) => {
  const pki = await createMefPki(t)
  const dir = dataDir(t)
  await withStore(dir, (store) => addEnrolee(store, { kpmId: KPM_ID, kpm: KPM_HEX, enroleeId: DEVICE_ID, enrolmentExpiry: '1d', targets: [`22:${REGISTRAR_ID}`] }, new Date()))
  const mef = await startMef(t, { dataDir: dir, pki })
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
  assert.deepEqual(page.items.map((e) => e.keId), [`${exported.slice(0, 32)}@${MEF_FQDN}`])
  assert.ok(Date.parse(page.items[0]!.expiresAt) > Date.now(), 'the listed enrolment is live')
  // Ke (bytes 16..47 of the export) and the Kpm appear nowhere, the operator's listing included.
  assertNoSecrets([mef.output(), listed.stdout, listed.stderr], [dir], [Buffer.from(KPM_HEX, 'hex'), Buffer.from(exported.slice(32), 'hex')])
})

test('openssl s_client with a client certificate from an untrusted CA is refused and stores nothing', { skip: !opensslAvailable() }, async (t) => {
  const pki = await createMefPki(t)
  const dir = dataDir(t)
  await withStore(dir, (store) => addEnrolee(store, {
    trustAnchorPem: pki.deviceCa.cert, expectedIdentity: `ae-id:${DEVICE_AE_ID}`, enrolmentExpiry: '1d', targets: [`22:${REGISTRAR_ID}`],
  }, new Date()))
  const mef = await startMef(t, { dataDir: dir, pki })
  const client = openssl(t, [
    's_client', '-connect', `127.0.0.1:${mef.port}`, '-tls1_2', '-cipher', 'ECDHE-ECDSA-AES128-SHA256', '-cert', pki.files.untrustedCert,
    '-key', pki.files.untrustedKey, '-CAfile', pki.files.mefCa, '-servername', MEF_FQDN,
  ])
  await client.waitFor(/CONNECTED|Verify return code/, 10_000)
  // The refused handshake may already have ended openssl: a write into its closed stdin (EPIPE)
  // is that expected outcome, not a test failure.
  client.child.stdin.on('error', () => undefined)
  client.child.stdin.write(registrationRequest(DEVICE_AE_ID))
  await client.exited()
  assert.doesNotMatch(client.output(), /HTTP\/1\.1/, 'the MEF answered a peer whose certificate it does not trust')

  const read = () => withStore(dir, (store) => store.transaction(async (tx) => {
    const [enrolee] = await tx.enrolees.list()
    const enrolments = await tx.enrolments.listByEnrolee(enrolee!.enroleeRef, new Date())
    const refusals = (await tx.audit.list()).filter((e) => e.action === 'mef.handshake').map((e) => e.outcome)
    return { enrolments, refusals }
  }))
  const deadline = Date.now() + 10_000
  let state = await read()
  while (state.refusals.length === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    state = await read()
  }
  assert.deepEqual(state.enrolments, [])
  assert.ok(state.refusals.includes('refused:M2MSEC_TLS_PEER_UNTRUSTED'), state.refusals.join(', '))
  assertNoSecrets([mef.output(), client.output()], [dir], [Buffer.from(pki.untrustedDevice.key)])
})
