// The gateway with peers this project did not write (issue 7 "Done means", interop), in front of
// a real `m2msec serve cse`:
// - PSK SAEF (TS-0003 8.2.2.1, 10.2.2): `openssl s_client -tls1_2 -cipher PSK-AES128-CBC-SHA256`
//   with the KpsaID/Kpsa provisioned by `m2msec psk add` types a raw HTTP AE registration
//   (TS-0009, POST to the CSEBase with ty=2) into the session and gets 2001 with the bound AE-ID;
//   the same Kpsa with its last byte changed gets no HTTP answer.
// - Certificate SAEF (TS-0003 8.2.2.2, 10.2.3): `curl --cert` with an AE-ID certificate (SAN URI =
//   Absolute AE-ID) registers that AE (2001); a different `fr` on that certificate is 4106.
// Every test ends with no key bytes in captured output or the gateway's database files.
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { fromHex } from '../../src/core/index.js'
import {
  CSE_BASE, GATEWAY_CSE_ID, GATEWAY_FQDN, OperatorCli, Scope, SP_ID, asCseAdmin, startCse, startGateway,
} from '../support/gateway-process.js'
import { assertNoSecrets } from '../support/mef-process.js'
import { openssl, opensslAvailable } from '../support/openssl.js'
import { createTestPki } from '../support/tls-fixtures.js'

const KPSA_HEX = '3D9B7F1A0C5E2D4B6A8F9E0D1C2B3A4958677685A4B3C2D1E0F9A8B7C6D5E4F3'
const KPSA_ID = 'ossl-1@psk.example.com'
const OSSL_AE = `${GATEWAY_CSE_ID}/Cossl01`
const CURL_AE = `${SP_ID}/Scurl01`
const CURL = '/usr/bin/curl'

let curlFound: boolean | undefined
function curlAvailable(): boolean {
  curlFound ??= spawnSync(CURL, ['--version'], { stdio: 'ignore' }).status === 0
  if (!curlFound && process.env.CI) throw new Error('curl is required under CI')
  return curlFound
}

function aeBody(rn: string): string {
  return JSON.stringify({ 'm2m:ae': { rn, api: 'Ninterop-app', rr: false, srv: ['3'] } })
}

/** A raw HTTP/1.1 AE registration as a person would type it (TS-0009 §6.2). */
function rawRegistration(fr: string, rn: string): string {
  const body = aeBody(rn)
  return [
    `POST /${CSE_BASE} HTTP/1.1`, `Host: ${GATEWAY_FQDN}`, `X-M2M-Origin: ${fr}`, 'X-M2M-RI: ossl-reg-1', 'X-M2M-RVI: 3',
    'Accept: application/json', 'Content-Type: application/json;ty=2', `Content-Length: ${Buffer.byteLength(body)}`, '', body,
  ].join('\r\n')
}

async function provisionedGateway(t: TestContext, extra: (dir: string) => readonly string[] = () => []): Promise<{
  scope: Scope; cli: OperatorCli; dataDir: string; files: string; cse: Awaited<ReturnType<typeof startCse>>; gateway: Awaited<ReturnType<typeof startGateway>>
}> {
  const scope = new Scope(t)
  const cli = new OperatorCli()
  const dataDir = scope.dir('gw-data')
  const files = scope.dir('gw-files')
  const keyFile = join(files, 'kpsa')
  writeFileSync(keyFile, KPSA_HEX, { mode: 0o600 })
  await cli.ok(['psk', 'add', '--data-dir', dataDir, '--identity', KPSA_ID, '--key-file', keyFile, '--bind', OSSL_AE])
  const cse = await startCse(scope)
  const gateway = await startGateway(scope, dataDir, cse.port, extra(files))
  return { scope, cli, dataDir, files, cse, gateway }
}

test('openssl s_client with KpsaID/Kpsa types a raw HTTP AE registration through the gateway and gets 2001; a wrong Kpsa gets no answer', { skip: !opensslAvailable() }, async (t) => {
  const { cli, dataDir, cse, gateway } = await provisionedGateway(t)
  const pskArgs = (hex: string): string[] => [
    's_client', '-connect', `127.0.0.1:${gateway.port}`, '-tls1_2', '-cipher', 'PSK-AES128-CBC-SHA256', '-psk', hex, '-psk_identity', KPSA_ID,
    '-servername', GATEWAY_FQDN,
  ]
  const client = openssl(t, pskArgs(KPSA_HEX))
  await client.waitFor(/Cipher is PSK-AES128-CBC-SHA256/, 10_000)
  client.child.stdin.write(rawRegistration('Cossl01', 'ossl01'))
  await client.waitFor(/HTTP\/1\.1 201[\s\S]*"aei":"Cossl01"/, 10_000)
  assert.match(client.output(), /X-M2M-RSC: 2001/i)
  client.child.stdin.end()
  await client.exited()
  const stored = await asCseAdmin(cse, 'GET', `/${CSE_BASE}/ossl01`)
  assert.equal(stored.rsc, 2000, 'the CSE holds the AE openssl registered')
  assert.equal((stored.body['m2m:ae'] as Record<string, unknown>)['aei'], 'Cossl01')

  const lastByte = KPSA_HEX.slice(-2)
  const wrong = KPSA_HEX.slice(0, -2) + (lastByte === 'FF' ? '00' : 'FF')
  const refused = openssl(t, pskArgs(wrong))
  await refused.waitFor(/CONNECTED/, 10_000)
  refused.child.stdin.on('error', () => undefined) // the refused handshake may have closed openssl already (EPIPE)
  refused.child.stdin.write(rawRegistration('Cossl01', 'ossl02'))
  refused.child.stdin.end()
  await refused.exited()
  assert.doesNotMatch(refused.output(), /HTTP\/1\.1/, 'the gateway answered a peer with the wrong Kpsa')
  assert.equal((await asCseAdmin(cse, 'GET', `/${CSE_BASE}/ossl02`)).rsc, 4004)

  assertNoSecrets([gateway.output(), cse.output(), client.output(), refused.output(), ...cli.texts()], [dataDir], [fromHex(KPSA_HEX)])
})

interface CurlResult { readonly code: number | null; readonly stdout: string; readonly stderr: string }

function curl(args: readonly string[]): Promise<CurlResult> {
  const child = spawn(CURL, [...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`timed out waiting for curl; output:\n${stdout}${stderr}`))
    }, 20_000)
    child.once('error', (error) => (clearTimeout(timer), reject(error)))
    child.once('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr })))
  })
}

test('curl --cert with an AE-ID certificate registers that AE through the gateway (2001); another fr on the same certificate is 4106', { skip: !curlAvailable() }, async (t) => {
  const gatewayCa = await createTestPki('m2msec gateway CA')
  const deviceCa = await createTestPki('m2msec device CA')
  const server = await gatewayCa.issue(GATEWAY_FQDN, { dns: [GATEWAY_FQDN], uri: [GATEWAY_CSE_ID] })
  const ae = await deviceCa.issue('Scurl01', { uri: [CURL_AE] }, { serverAuth: false })
  const paths: Record<string, string> = {}
  const { cli, dataDir, cse, gateway } = await provisionedGateway(t, (files) => {
    const write = (name: string, text: string): string => {
      const path = join(files, name)
      writeFileSync(path, text, { mode: 0o600 })
      paths[name] = path
      return path
    }
    write('ae.pem', ae.cert)
    write('ae.key', ae.key)
    write('ca.pem', gatewayCa.ca.cert)
    return ['--cert', write('gw.pem', server.cert), '--key', write('gw.key', server.key), '--client-ca', write('device-ca.pem', deviceCa.ca.cert)]
  })
  const base = `https://${GATEWAY_FQDN}:${gateway.port}`
  const curlRegistration = (fr: string, rn: string, ri: string): Promise<CurlResult> => curl([
    '-sS', '-i', '--http1.1', '--tlsv1.2', '--tls-max', '1.2', '--cert', paths['ae.pem']!, '--key', paths['ae.key']!, '--cacert', paths['ca.pem']!,
    '--resolve', `${GATEWAY_FQDN}:${gateway.port}:127.0.0.1`, '-X', 'POST',
    '-H', `X-M2M-Origin: ${fr}`, '-H', `X-M2M-RI: ${ri}`, '-H', 'X-M2M-RVI: 3', '-H', 'Accept: application/json', '-H', 'Content-Type: application/json;ty=2',
    '--data-binary', aeBody(rn), `${base}/${CSE_BASE}`,
  ])

  const created = await curlRegistration('Scurl01', 'curl01', 'curl-1')
  assert.equal(created.code, 0, `${created.stdout}${created.stderr}\n${gateway.output()}`)
  assert.match(created.stdout, /^HTTP\/1\.1 201/, created.stdout)
  assert.match(created.stdout, /X-M2M-RSC: 2001/i)
  assert.match(created.stdout, /"aei":"Scurl01"/)
  assert.equal((await asCseAdmin(cse, 'GET', `/${CSE_BASE}/curl01`)).rsc, 2000, 'the CSE holds the AE curl registered')

  const impersonating = await curlRegistration('Sother01', 'other01', 'curl-2')
  assert.equal(impersonating.code, 0, impersonating.stderr)
  assert.match(impersonating.stdout, /X-M2M-RSC: 4106/i, impersonating.stdout)
  assert.equal((await asCseAdmin(cse, 'GET', `/${CSE_BASE}/other01`)).rsc, 4004, 'nothing was forwarded')

  assertNoSecrets([gateway.output(), cse.output(), created.stdout, created.stderr, impersonating.stdout, ...cli.texts()], [dataDir], [fromHex(KPSA_HEX), Buffer.from(ae.key), Buffer.from(server.key)])
})
