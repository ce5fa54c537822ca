// Live associations end with their credential, and every refusal reaches the audit chain (issue 7;
// STYLE.md §5 "revocation emits an event the transport uses to drop live sessions"), with real
// processes on loopback:
// - a device's established TLS-PSK session to `m2msec serve gateway --session-recheck-ms 300` is
//   cut within that interval after `m2msec psk revoke` ran in another process on the same data
//   directory; its next handshake fails; another device's session stays;
// - the refused handshakes (unknown identity, wrong key, revoked), the 4106 impersonation, the
//   registration the rules refuse and the accepted one, and the cut are chained audit events
//   with actor 'gateway', and `m2msec audit verify` passes;
// - MAF-based SAEF: a session on a short-lived Kc (`serve maf`, Key Registration with
//   `--lifetime-hours`) is cut when the Kc expires, by the gateway's timer, not at the next handshake.
// Every test ends with no key bytes in captured output or the data directories.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { TLSSocket } from 'node:tls'
import { test } from 'node:test'
import { SecretBytes, fromHex } from '../../src/core/index.js'
import { readCredentialFile } from '../../src/client/index.js'
import { OPERATION, RESOURCE_TYPE, type RequestPrimitive } from '../../src/onem2m/index.js'
import type { AuditEventRecord } from '../../src/store/index.js'
import { connectPsk, createOneM2mClient, type OneM2mClient } from '../../src/transport/index.js'
import { CSE_BASE, GATEWAY_CSE_ID, GATEWAY_FQDN, OperatorCli, Scope, cliArgv, startCse, startGateway } from '../support/gateway-process.js'
import { MAF_FQDN, dataDir, mafDeploymentFiles } from '../support/maf-deployment.js'
import { auditEvents, startMaf } from '../support/maf-process.js'
import { MEF_FQDN, assertNoSecrets, startMef } from '../support/mef-process.js'

// Distinctive key bytes no output may contain.
const KPSA_1_HEX = '3B9E0C1D2A4F5E6D7C8B9A0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C4B'
const KPSA_2_HEX = 'C4D3E2F1A0B9C8D7E6F5041322314055C4D3E2F1A0B9C8D7E6F5041322314055'
const KPSA_3_HEX = '7A6B5C4D3E2F10FF7A6B5C4D3E2F10FF7A6B5C4D3E2F10FF7A6B5C4D3E2F10FF'
const WRONG_HEX = '0102030405060708090A0B0C0D0E0F100102030405060708090A0B0C0D0E0F10'
const KPSA_1_ID = 'rev-1@psk.example.com'
const KPSA_2_ID = 'rev-2@psk.example.com'
const KPSA_3_ID = 'rev-3@psk.example.com'
const AE_1 = `${GATEWAY_CSE_ID}/Crev01`
const AE_2 = `${GATEWAY_CSE_ID}/Crev02`
const RECHECK_MS = 300

let rqi = 0
function request(p: Omit<RequestPrimitive, 'rqi' | 'rvi'>): RequestPrimitive {
  rqi += 1
  return { ...p, rqi: `gw-rev-${rqi}`, rvi: '3' }
}

function registerAe(rn: string): RequestPrimitive {
  return request({ op: OPERATION.CREATE, to: CSE_BASE, ty: RESOURCE_TYPE.AE, fr: 'C', pc: { 'm2m:ae': { rn, api: 'Nsensor-app', rr: false, srv: ['3'] } } })
}

async function openDevice(scope: Scope, port: number, identity: string, key: SecretBytes): Promise<{ socket: TLSSocket; client: OneM2mClient }> {
  const socket = await connectPsk({ port, servername: GATEWAY_FQDN, identity, key })
  const client = createOneM2mClient(socket, { host: GATEWAY_FQDN })
  scope.after(() => client.close())
  return { socket, client }
}

/** Resolves with the time the socket closed; rejects after `ms` naming `what`. */
function closedWithin(socket: TLSSocket, ms: number, what: string): Promise<number> {
  if (socket.destroyed) return Promise.resolve(Date.now())
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what} to be cut`)), ms)
    socket.once('close', () => {
      clearTimeout(timer)
      resolve(Date.now())
    })
  })
}

/** The gateway's audit events once `ready` holds for them (the writer is asynchronous); the wait is bounded. */
async function gatewayAudit(dataDir: string, ready: (events: readonly AuditEventRecord[]) => boolean, what: string): Promise<readonly AuditEventRecord[]> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const events = (await auditEvents(dataDir)).filter((e) => e.actor === 'gateway')
    if (ready(events)) return events
    if (Date.now() > deadline) throw new Error(`timed out waiting for the audit events: ${what}; have:\n${events.map((e) => `${e.action} ${e.outcome}`).join('\n')}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** `m2msec audit verify --json` on `dataDir` (the built CLI when current, else the command module through tsx). */
function auditVerify(dataDir: string): Promise<{ code: number | null; out: string }> {
  const args = ['audit', 'verify', '--data-dir', dataDir, '--json']
  const built = cliArgv(args)
  const argv = built[0]?.endsWith('main.js') === true ? built : [
    '--import', 'tsx', '--input-type=module', '-e',
    `import { Command } from 'commander';import { registerAuditCommand } from '${pathToFileURL(join(process.cwd(), 'src/cli/commands/audit.ts')).href}';`
    + `import { openDataDirectoryAuditSource } from '${pathToFileURL(join(process.cwd(), 'src/cli/data-directory-audit.ts')).href}';`
    + 'const p = new Command();registerAuditCommand(p, { openAuditSource: openDataDirectoryAuditSource });await p.parseAsync([\'node\', \'m2msec\', ...process.argv.slice(1)])',
    ...args,
  ]
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')))
  child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`timed out waiting for audit verify; output:\n${out}`))), 30_000)
    child.once('close', (code) => (clearTimeout(timer), resolve({ code, out })))
  })
}

function keyFile(dir: string, name: string, hex: string): string {
  const path = join(dir, name)
  writeFileSync(path, `${hex}\n`, { mode: 0o600 })
  return path
}

test('a live PSK session is cut within --session-recheck-ms after `m2msec psk revoke` from another process; refusals and the cut are in the verified audit chain', async (t) => {
  const scope = new Scope(t)
  const cli = new OperatorCli()
  const dataDir = scope.dir('gw-rev-data')
  const keys = scope.dir('gw-rev-keys')
  await cli.ok(['psk', 'add', '--data-dir', dataDir, '--identity', KPSA_1_ID, '--key-file', keyFile(keys, 'k1', KPSA_1_HEX), '--bind', AE_1])
  await cli.ok(['psk', 'add', '--data-dir', dataDir, '--identity', KPSA_2_ID, '--key-file', keyFile(keys, 'k2', KPSA_2_HEX), '--bind', AE_2])
  await cli.ok(['psk', 'add', '--data-dir', dataDir, '--identity', KPSA_3_ID, '--key-file', keyFile(keys, 'k3', KPSA_3_HEX)])
  const cse = await startCse(scope)
  const gateway = await startGateway(scope, dataDir, cse.port, ['--session-recheck-ms', String(RECHECK_MS)])

  const dev1 = await openDevice(scope, gateway.port, KPSA_1_ID, new SecretBytes(fromHex(KPSA_1_HEX)))
  assert.equal((await dev1.client.send(registerAe('rev01'))).primitive.rsc, 2001, gateway.output())
  assert.equal((await dev1.client.send(request({ op: OPERATION.RETRIEVE, to: CSE_BASE, fr: 'Crev02' }))).primitive.rsc, 4106, 'impersonation')
  const dev2 = await openDevice(scope, gateway.port, KPSA_2_ID, new SecretBytes(fromHex(KPSA_2_HEX)))
  assert.equal((await dev2.client.send(registerAe('rev02'))).primitive.rsc, 2001)
  // Bound to nothing and no rule: the registration is refused (4128), nothing is bound.
  const dev3 = await openDevice(scope, gateway.port, KPSA_3_ID, new SecretBytes(fromHex(KPSA_3_HEX)))
  assert.equal((await dev3.client.send(registerAe('rev03'))).primitive.rsc, 4128)
  await assert.rejects(connectPsk({ port: gateway.port, servername: GATEWAY_FQDN, identity: 'stranger@psk.example.com', key: new SecretBytes(fromHex(WRONG_HEX)) }))
  await assert.rejects(connectPsk({ port: gateway.port, servername: GATEWAY_FQDN, identity: KPSA_2_ID, key: new SecretBytes(fromHex(WRONG_HEX)) }))

  // The revocation is written by another process; the gateway notices at its next recheck.
  const cut = closedWithin(dev1.socket, RECHECK_MS * 10, 'the session of the revoked Kpsa')
  const revokedAt = Date.now()
  const revoked = JSON.parse(await cli.ok(['psk', 'revoke', '--data-dir', dataDir, '--identity', KPSA_1_ID])) as { revoked: string }
  assert.equal(revoked.revoked, KPSA_1_ID)
  const cutAt = await cut
  assert.ok(cutAt - revokedAt < RECHECK_MS * 10, `cut ${cutAt - revokedAt} ms after the revoke command started`)
  assert.equal(dev2.socket.destroyed, false, 'the other device keeps its session')
  assert.equal((await dev2.client.send(request({ op: OPERATION.RETRIEVE, to: `${CSE_BASE}/rev02`, fr: 'Crev02' }))).primitive.rsc, 2000)
  await assert.rejects(connectPsk({ port: gateway.port, servername: GATEWAY_FQDN, identity: KPSA_1_ID, key: new SecretBytes(fromHex(KPSA_1_HEX)) }), { code: 'M2MSEC_TLS_HANDSHAKE_FAILED' })

  const expected: readonly [string, string, string][] = [
    ['gateway.registration', 'ok', KPSA_1_ID],
    ['gateway.request', 'refused:4106', KPSA_1_ID],
    ['gateway.registration', 'ok', KPSA_2_ID],
    ['gateway.registration', 'refused:4128', KPSA_3_ID],
    ['gateway.handshake', 'refused:unknown-identity', 'stranger@psk.example.com'],
    ['gateway.handshake', `failed:M2MSEC_TLS_HANDSHAKE_FAILED`, KPSA_2_ID],
    ['gateway.session-cut', 'cut:revoked', KPSA_1_ID],
    ['gateway.handshake', 'refused:revoked', KPSA_1_ID],
  ]
  const who = (e: AuditEventRecord): string => String(e.subject['identity'] ?? e.subject['credentialId']).replace(/^12-/, '')
  const events = await gatewayAudit(dataDir, (es) => es.length >= expected.length, `${expected.length} gateway events`)
  assert.deepEqual(events.map((e) => [e.action, e.outcome, who(e)]), expected)
  assert.deepEqual(events.find((e) => e.action === 'gateway.request')?.subject['fr'], 'Crev02')

  const verified = await auditVerify(dataDir)
  assert.equal(verified.code, 0, verified.out)
  assert.equal((JSON.parse(verified.out) as { ok: boolean }).ok, true)

  assertNoSecrets([gateway.output(), cse.output(), verified.out, ...cli.texts()], [dataDir], [KPSA_1_HEX, KPSA_2_HEX, KPSA_3_HEX].map(fromHex))
})

const ADMIN = 'm2m.example.com'
const ENROLEE = { kpmId: 'gw-rev-maf@mef.example.com', kpm: 'B7B7B7B75C5C5C5C0A1B2C3D4E5F60718293A4B5C6D7E8F9B7B7B7B75C5C5C5C', stem: 'Crev09', rn: 'rev09' } as const

test('MAF-based SAEF: a live session on a short-lived Kc is cut when the Kc expires, by the gateway\'s own timer', async (t) => {
  const { scope, pki, gwPem, mafPem, files, gwCaFile, mafCaFile, cli, mefDir, mafDir, gwDir } = await mafDeploymentFiles(t)
  const credentialFile = join(dataDir(t, 'm2msec-devices-'), 'credential.json')
  await cli.json(['enrolee', 'add', '--data-dir', mefDir, '--kpm-id', ENROLEE.kpmId, '--kpm-file', await files.write('e.kpm', `${ENROLEE.kpm}\n`),
    '--enrolee-id', `${GATEWAY_CSE_ID}/${ENROLEE.stem}`, '--expiry', '1d', '--target', `21:${MAF_FQDN}`, '--json'])
  const mef = await startMef(t, { dataDir: mefDir, pki, mode: 'usage-constrained', extra: ['--target-ca', mafCaFile, '--target', `${MAF_FQDN}=${MAF_FQDN}`] })
  const mefUrl = `https://127.0.0.1:${mef.port}`
  const maf = await startMaf(t, [
    '--data-dir', mafDir, '--fqdn', MAF_FQDN, '--cert', await files.write('maf.pem', mafPem.cert), '--key', await files.write('maf.key', mafPem.key),
    '--mef-url', mefUrl, '--mef-fqdn', MEF_FQDN, '--mef-ca', pki.files.mefCa, '--mef-mode', 'usage-constrained', '--client-ca', gwCaFile,
  ])
  const cse = await startCse(scope)
  const gateway = await startGateway(scope, gwDir, cse.port, [
    '--cert', await files.write('gw.pem', gwPem.cert), '--key', await files.write('gw.key', gwPem.key), '--maf', `${MAF_FQDN}=${maf.url}`, '--maf-ca', mafCaFile,
  ])
  await cli.json(['enrol', '--mef', mefUrl, '--mef-fqdn', MEF_FQDN, '--kpm-id', ENROLEE.kpmId, '--kpm-file', join(files.path, 'e.kpm'), '--maf-id', MAF_FQDN,
    '--mode', 'usage-constrained', '--credential-file', credentialFile, '--admin-fqdn', ADMIN, '--json'])
  const credential = ['--credential-file', credentialFile, '--admin-fqdn', ADMIN]
  const mafArgs = ['--maf-url', maf.url, '--maf-fqdn', MAF_FQDN]
  const reg = await cli.json<{ assignedKmId: string | null }>(['maf', 'register', ...mafArgs, ...credential])
  assert.ok(reg.assignedKmId !== null)
  const kcFile = join(files.path, 'kc-short.hex')
  // 0.002 h = 7.2 s: long enough to connect and register, short enough to wait for.
  const short = await cli.json<{ keyIdentifier: string; expiresAt: string }>([
    'maf', 'key', 'register', ...mafArgs, ...credential, '--psk-identity', reg.assignedKmId, '--target', GATEWAY_CSE_ID, '--key-out', kcFile, '--lifetime-hours', '0.002',
  ])
  const kc = new SecretBytes(fromHex(readFileSync(kcFile, 'utf8').trim()))
  const expiresAt = Date.parse(short.expiresAt)

  const dev = await openDevice(scope, gateway.port, short.keyIdentifier, kc)
  const registered = await dev.client.send(registerAe(ENROLEE.rn))
  assert.equal(registered.primitive.rsc, 2001, `${JSON.stringify(registered.primitive)}\n${gateway.output()}`)
  assert.ok(Date.now() < expiresAt, 'the session was used while the Kc was live')
  const cut = closedWithin(dev.socket, expiresAt - Date.now() + 5_000, 'the session on the expiring Kc')
  // Keep the session busy, so the HTTP keep-alive timeout (5 s idle) cannot be what ends it.
  const busy = (async () => {
    let answered = 0
    while (!dev.socket.destroyed) {
      const reply = await dev.client.send(request({ op: OPERATION.RETRIEVE, to: `${CSE_BASE}/${ENROLEE.rn}`, fr: ENROLEE.stem })).catch(() => undefined)
      if (reply !== undefined) assert.equal(reply.primitive.rsc, 2000, JSON.stringify(reply.primitive))
      if (reply !== undefined) answered += 1
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
    return answered
  })()
  const cutAt = await cut
  assert.ok((await busy) > 0, 'requests were answered until the cut')
  // The gateway's clock and ours are the same host clock; allow a little for the MAF's rounding.
  assert.ok(cutAt >= expiresAt - 1_000, `cut ${expiresAt - cutAt} ms before the Kc's expirationTime`)
  const events = await gatewayAudit(gwDir, (es) => es.some((e) => e.action === 'gateway.session-cut'), 'the session-cut event')
  const cutEvent = events.find((e) => e.action === 'gateway.session-cut')
  assert.deepEqual([cutEvent?.outcome, cutEvent?.subject['saef'], cutEvent?.subject['identity']], ['cut:expired', 'maf', short.keyIdentifier])

  const device = readCredentialFile(credentialFile)
  assertNoSecrets([mef.output(), maf.output(), cse.output(), gateway.output(), ...cli.texts()], [mefDir, mafDir, gwDir],
    [fromHex(ENROLEE.kpm), device.ke.reveal(), device.targetKey.reveal(), kc.reveal()])
})
