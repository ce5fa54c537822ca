// OpenSSL as the MAF Client (issue 6 "Interop"): `openssl s_client -psk <Km> -psk_identity <KmID>`
// completes the MAF Handshake (TS-0003 8.8.2.2, TLS_PSK_WITH_AES_128_CBC_SHA256) with the MAF and
// carries raw HTTP MAF requests on that session: Client Registration (8.8.2.3), then Key
// Registration (8.8.2.7), whose RelativeKeyID the MAF takes from EXPORTER-oneM2M-Connection —
// it must equal the first 16 bytes of the export openssl prints (10.3.1, 10.3.5, OQ-1, OQ-12).
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { SecretBytes, fromHex } from '../../src/core/index.js'
import { formatTimestamp } from '../../src/onem2m/index.js'
import { createMafService } from '../../src/services/maf/index.js'
import { openDataDirectoryStore } from '../../src/store/index.js'
import { assertNoSecrets } from '../support/mef-process.js'
import { openssl, opensslAvailable } from '../support/openssl.js'
import { createTestPki } from '../support/tls-fixtures.js'

const MAF_FQDN = 'maf.example.com'
const KM_ID = 'km-openssl-01@maf.example.com'
const KM_HEX = '0FF1CE0FF1CE0FF1CE0FF1CE0FF1CE0FF1CE0FF1CE0FF1CE0FF1CE0FF1CE0FF1'
const DEVICE_ID = '//m2m.example.com/Sdev07'
const IDB = '//m2m.example.com/CSE-B01'

function request(path: string, ty: number, fr: string, rqi: string, content: unknown): string {
  const body = JSON.stringify(content)
  return [
    `POST ${path} HTTP/1.1`, `Host: ${MAF_FQDN}`, `X-M2M-Origin: ${fr}`, `X-M2M-RI: ${rqi}`, 'X-M2M-RVI: 3',
    `Content-Type: application/json;ty=${ty}`, `Content-Length: ${Buffer.byteLength(body)}`, '', body,
  ].join('\r\n')
}

async function startMaf(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-maf-interop-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const store = await openDataDirectoryStore({ dataDir: dir, create: true, env: {} })
  await store.transaction((tx) => tx.pskCredentials.put({
    usage: 'maf', identity: KM_ID, key: new SecretBytes(fromHex(KM_HEX)), owner: { kind: 'configured', ref: KM_ID }, boundEntity: { kind: 'ae', ids: [DEVICE_ID] },
  }))
  const ca = await createTestPki('m2msec MAF CA')
  const cert = await ca.issue(MAF_FQDN, { dns: [MAF_FQDN] })
  const events: string[] = []
  const maf = await createMafService({
    store, config: { fqdn: MAF_FQDN, kcLifetimeMs: 86_400_000, registrationMaxLifetimeMs: 30 * 86_400_000 },
    credential: { certPem: cert.cert, keyPem: cert.key }, listen: { host: '127.0.0.1', port: 0 }, onEvent: (e) => events.push(JSON.stringify(e)),
  })
  t.after(async () => {
    await maf.close()
    await store.close()
  })
  return { maf, dir, events }
}

test('openssl s_client with Km/KmID registers at the MAF and registers a key whose RelativeKeyID is hex(KcID) of the export openssl prints', { skip: !opensslAvailable() }, async (t) => {
  const { maf, dir, events } = await startMaf(t)
  const client = openssl(t, [
    's_client', '-connect', `127.0.0.1:${maf.port}`, '-tls1_2', '-cipher', 'PSK-AES128-CBC-SHA256', '-psk', KM_HEX, '-psk_identity', KM_ID,
    '-servername', MAF_FQDN, '-keymatexport', 'EXPORTER-oneM2M-Connection', '-keymatexportlen', '48',
  ])
  const exported = (await client.waitFor(/Keying material:\s*([0-9A-Fa-f]{96})/, 10_000))[1]!.toUpperCase()
  const et = formatTimestamp(new Date(Date.now() + 3_600_000))
  client.child.stdin.write(request('/maf', 32002, DEVICE_ID, 'reg-1', { 'sec:macr': { et, adfq: 'm2m.example.com' } }))
  await client.waitFor(/X-M2M-RSC: 2001[\s\S]*"clid":"\/\/m2m\.example\.com\/Sdev07"/i, 10_000)
  client.child.stdin.write(request('/maf', 32006, DEVICE_ID, 'key-1', { 'sec:skr': { et, adfq: 'm2m.example.com', suid: 32, tgis: [IDB] } }))
  const rkid = (await client.waitFor(/"rkid":"([0-9A-F]{32})"/, 10_000))[1]
  assert.equal(rkid, exported.slice(0, 32), 'RelativeKeyID = hex(KcID), KcID = bytes 0..15 of the export (OQ-1)')
  assert.doesNotMatch(client.output(), /"kyv"/, 'the Source never receives the key')
  client.child.stdin.end()
  await client.exited()
  assertNoSecrets([client.output().replace(exported, '').replace(exported.toLowerCase(), ''), ...events], [dir], [fromHex(KM_HEX), fromHex(exported.slice(32))])
})

test('openssl s_client with a wrong Km is refused in the handshake and no request reaches the MAF', { skip: !opensslAvailable() }, async (t) => {
  const { maf } = await startMaf(t)
  const client = openssl(t, [
    's_client', '-connect', `127.0.0.1:${maf.port}`, '-tls1_2', '-cipher', 'PSK-AES128-CBC-SHA256', '-psk', '00'.repeat(32), '-psk_identity', KM_ID,
    '-servername', MAF_FQDN,
  ])
  await client.waitFor(/alert|error|errno/i, 10_000)
  client.child.stdin.end()
  await client.exited()
  assert.doesNotMatch(client.output(), /X-M2M-RSC/)
})
