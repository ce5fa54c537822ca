// SA2 end to end with real processes (TS-0003 8.2.1 figure 8.2.1-2, frameworks.md §4.5, wire.md
// §9; issue 7 "receives a notification over SA2"): `m2msec serve cse` behind `m2msec serve
// gateway`, a device provisioned with `m2msec psk add`, speaking through the Entity A SDK
// (src/client/entity-a.ts) and serving SA2 with src/client/sa2-server.ts. The device registers
// an AE with rr=true and an https pointOfAccess; the CSE stores the gateway's SA2 relay URL
// instead; a contentInstance in the AE's subscribed container makes the CSE notify the AE, which
// the gateway relays as TLS-PSK client with the device's own KpsaID/Kpsa (roles reversed).
// A forged relay token is 4004 and reaches no device; a peer at the pointOfAccess with the KpsaID
// and another key gets no notification and the gateway reports the failed handshake. No key bytes
// in any output or database file.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { SecretBytes, fromHex } from '../../src/core/index.js'
import { connectEntityA, serveSa2 } from '../../src/client/index.js'
import { OPERATION, RESOURCE_TYPE, type RequestPrimitive } from '../../src/onem2m/index.js'
import { CSE_BASE, GATEWAY_CSE_ID, GATEWAY_FQDN, OperatorCli, Scope, asCseAdmin, startCse, startGateway } from '../support/gateway-process.js'
import { assertNoSecrets } from '../support/mef-process.js'
import { inbox, within } from '../support/sa2-inbox.js'

// Distinctive key bytes no output may contain.
const KPSA_HEX = '3D9A0C71E5B24F68A1C0D2E3F4051627384950A1B2C3D4E5F60718293A4B5C6D'
const KPSA_ID = 'sa2-dev@psk.example.com'
const AE_ID = `${GATEWAY_CSE_ID}/Csa2dev`
/** The key of a peer that knows the KpsaID but not the Kpsa. */
const IMPOSTOR_HEX = '5E5E5E5E1F2E3D4C5B6A79880F1E2D3C4B5A69785E5E5E5E1F2E3D4C5B6A7988'
const KPSA_CLI_HEX = 'C0FFEE5A2D1E4B7C9A8F6E5D4C3B2A1908172635445362718091A2B3C4D5E6F7'
const KPSA_CLI_ID = 'sa2-cli@psk.example.com'

/** `m2msec connect …args` from the sources (the command is not wired into main.ts by this change). */
function runConnect(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const module = pathToFileURL(join(process.cwd(), 'src', 'cli', 'commands', 'connect.ts')).href
  const script = `import { Command } from 'commander';import { registerConnectCommand } from '${module}';const p = new Command();registerConnectCommand(p);`
    + 'await p.parseAsync([\'node\', \'m2msec\', ...process.argv.slice(1)])'
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, 'connect', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`timed out waiting for m2msec connect; output:\n${stdout}${stderr}`))), 30_000)
    child.once('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr })))
  })
}

test('a request-reachable AE registered through the gateway receives the CSE notification over SA2, TLS-PSK from the gateway with the same Kpsa', async (t) => {
  const scope = new Scope(t)
  const cli = new OperatorCli()
  const dataDir = scope.dir('gw-sa2-data')
  const keys = scope.dir('gw-sa2-keys')
  const keyFile = join(keys, 'kpsa')
  writeFileSync(keyFile, `${KPSA_HEX}\n`, { mode: 0o600 })
  await cli.ok(['psk', 'add', '--data-dir', dataDir, '--identity', KPSA_ID, '--key-file', keyFile, '--bind', AE_ID])
  const cse = await startCse(scope)
  const gateway = await startGateway(scope, dataDir, cse.port)
  const output = (): string => `${gateway.output()}\n${cse.output()}`
  const ready = JSON.parse(gateway.output().split('\n').find((l) => l.startsWith('{"role":"gateway"')) ?? '{}') as { sa2Url?: string }
  assert.match(ready.sa2Url ?? '', /^http:\/\/127\.0\.0\.1:\d+$/, 'the ready line names the SA2 relay')

  const credential = { kind: 'psk', identity: KPSA_ID, key: new SecretBytes(fromHex(KPSA_HEX)) } as const
  const mailbox = inbox()
  const received = mailbox.all
  const notification = mailbox.next()
  const sa2 = await serveSa2({ credential, gatewayFqdn: GATEWAY_FQDN, onRequest: mailbox.onRequest })
  scope.after(() => sa2.close())

  const device = await connectEntityA({ gatewayUrl: `https://127.0.0.1:${gateway.port}`, gatewayFqdn: GATEWAY_FQDN, credential })
  scope.after(() => device.close())
  await device.registerAe(CSE_BASE, { rn: 'sa2dev', api: 'Nsensor-app', rr: true, poa: [sa2.poa()] })
  assert.equal(device.aeId, 'Csa2dev')

  // The CSE holds the relay URL, not the device's address (D-136).
  const stored = await asCseAdmin(cse, 'GET', `/${CSE_BASE}/sa2dev`)
  const poa = (stored.body['m2m:ae'] as { poa?: string[] } | undefined)?.poa ?? []
  assert.equal(poa.length, 1, JSON.stringify(stored.body))
  assert.ok(poa[0]!.startsWith(`${ready.sa2Url}/sa2/`), `stored poa ${poa[0]} is not on the SA2 relay`)
  assert.ok(!poa[0]!.includes(`:${sa2.port}`), 'the device port is not visible in the stored poa')

  await device.create(`${CSE_BASE}/sa2dev`, RESOURCE_TYPE.CONTAINER, { 'm2m:cnt': { rn: 'data' } })
  // nu = the AE's own ID: the CSE resolves its (rewritten) poa; no verification request to oneself.
  await device.create(`${CSE_BASE}/sa2dev/data`, RESOURCE_TYPE.SUBSCRIPTION, { 'm2m:sub': { rn: 'sub', nu: ['Csa2dev'], enc: { net: [3] } } })
  await device.create(`${CSE_BASE}/sa2dev/data`, RESOURCE_TYPE.CONTENT_INSTANCE, { 'm2m:cin': { cnf: 'text/plain:0', con: '23.25' } })

  const notify = await within(notification, 10_000, 'the notification over SA2', output)
  const sgn = (notify.pc as { 'm2m:sgn': { nev: { net: number; rep: { 'm2m:cin': { con: string } } }; sur: string } })['m2m:sgn']
  assert.equal(sgn.nev.net, 3)
  assert.equal(sgn.nev.rep['m2m:cin'].con, '23.25')
  assert.equal(notify.fr, '/CSE-B01', 'the NOTIFY originates at the Registrar CSE')
  const relayed = await gateway.waitForEvents('sa2-relayed', (e) => e['event'] === 'sa2-relayed' && e['rsc'] === '2000')
  assert.equal(relayed[0]?.['credentialId'], `12-${KPSA_ID}`)
  await cse.waitForEvents('notification-sent', (e) => e['event'] === 'notification-sent')

  // A token the gateway did not make opens no SA2.
  const before = received.length
  // One character of the payload changed (it names another poa); the MAC no longer matches.
  const token = poa[0]!.split('/sa2/')[1]!
  const forgedToken = `${token[0] === 'e' ? 'f' : 'e'}${token.slice(1)}`
  const forged = await fetch(`${ready.sa2Url}/sa2/${forgedToken}`, {
    method: 'POST', headers: { 'X-M2M-Origin': '/CSE-B01', 'X-M2M-RI': 'forged-1', 'X-M2M-RVI': '3', 'Content-Type': 'application/json' }, body: '{"m2m:sgn":{"vrq":true}}',
  })
  assert.equal(forged.headers.get('x-m2m-rsc'), '4004')
  assert.equal(received.length, before, 'nothing reached the device')

  // A peer at the pointOfAccess that knows the KpsaID but not the Kpsa: the device moves its poa
  // there (an UPDATE through the gateway, rewritten again); the next notification opens no SA2.
  const impostorReceived: RequestPrimitive[] = []
  const impostor = await serveSa2({
    credential: { kind: 'psk', identity: KPSA_ID, key: new SecretBytes(fromHex(IMPOSTOR_HEX)) }, gatewayFqdn: GATEWAY_FQDN,
    onRequest: (request) => (impostorReceived.push(request), undefined),
  })
  scope.after(() => impostor.close())
  const moved = await device.send({ op: OPERATION.UPDATE, to: `${CSE_BASE}/sa2dev`, pc: { 'm2m:ae': { poa: [impostor.poa()] } } })
  assert.equal(moved.rsc, 2004, JSON.stringify(moved))
  await device.create(`${CSE_BASE}/sa2dev/data`, RESOURCE_TYPE.CONTENT_INSTANCE, { 'm2m:cin': { cnf: 'text/plain:0', con: 'impostor' } })
  const failed = await gateway.waitForEvents('sa2-failed (wrong Kpsa)', (e) => e['event'] === 'sa2-failed' && e['reason'] === 'handshake')
  assert.deepEqual([failed[0]?.['credentialId'], failed[0]?.['code']], [`12-${KPSA_ID}`, 'M2MSEC_TLS_HANDSHAKE_FAILED'])
  await cse.waitForEvents('notification-failed', (e) => e['event'] === 'notification-failed')
  assert.deepEqual([impostorReceived.length, received.length], [0, before], 'nothing reached the peer without the Kpsa, nor the device')

  assertNoSecrets([gateway.output(), cse.output(), ...cli.texts()], [dataDir], [fromHex(KPSA_HEX), fromHex(IMPOSTOR_HEX)])
})

test('m2msec connect --sa2 registers a request-reachable AE, stores a contentInstance and prints the notification that came back over SA2', async (t) => {
  const scope = new Scope(t)
  const cli = new OperatorCli()
  const dataDir = scope.dir('gw-sa2-cli-data')
  const keyFile = join(scope.dir('gw-sa2-cli-keys'), 'kpsa')
  writeFileSync(keyFile, `${KPSA_CLI_HEX}\n`, { mode: 0o600 })
  await cli.ok(['psk', 'add', '--data-dir', dataDir, '--identity', KPSA_CLI_ID, '--key-file', keyFile, '--bind', `${GATEWAY_CSE_ID}/Ccli01`])
  const cse = await startCse(scope)
  const gateway = await startGateway(scope, dataDir, cse.port)
  const run = await runConnect([
    '--gateway', `https://127.0.0.1:${gateway.port}`, '--fqdn', GATEWAY_FQDN, '--psk-identity', KPSA_CLI_ID, '--key-file', keyFile,
    '--cse-base', CSE_BASE, '--rn', 'cli01', '--api', 'Nsensor-app', '--content', '17.5', '--sa2',
  ])
  assert.equal(run.code, 0, `${run.stdout}${run.stderr}\n${gateway.output()}`)
  const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { step: string; rsc?: number; pc?: Record<string, unknown> })
  assert.deepEqual(lines.map((l) => [l.step, l.rsc]), [['register', 2001], ['container', 2001], ['subscription', 2001], ['contentInstance', 2001], ['notification', undefined]])
  const sgn = lines[4]?.pc?.['m2m:sgn'] as { nev: { rep: { 'm2m:cin': { con: string } } } }
  assert.equal(sgn.nev.rep['m2m:cin'].con, '17.5')
  assertNoSecrets([gateway.output(), cse.output(), run.stdout, run.stderr, ...cli.texts()], [dataDir], [fromHex(KPSA_CLI_HEX)])
})
