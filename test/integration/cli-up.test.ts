// `m2msec up` as a newcomer meets it (issue 8): the built CLI started on a fresh data directory
// creates the development CA, role certificates, KEK and database, writes endpoints.json once
// every role listens, and prints next commands that work exactly as printed (run here through
// sh, `npx m2msec` replaced by the built CLI): `enrolee add` against the same data directory
// from another process, `enrol` at the MEF towards the MAF, and `maf register` with the new
// KeID (the MAF fetches Km from the MEF over the network, in the same process); then the gateway
// lines: `psk add` of a fresh Kpsa bound to an AE-ID and `openssl s_client` typing a raw AE
// registration into the TLS-PSK session, answered 2001 by the CSE behind the gateway. The same
// device then enrols for the gateway (SUID 22) and registers its EnroleeID as AE through the SDK:
// the gateway fetches Kpsa from the MEF during the handshake. SIGTERM stops it with exit 0; a
// second start reuses the CA, KEK and ports, and the enrolment still works. Ends with no key
// bytes in any output or database file.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { SecretBytes, fromHex } from '../../src/core/index.js'
import { readCredentialFile } from '../../src/client/index.js'
import { OPERATION, RESOURCE_TYPE } from '../../src/onem2m/index.js'
import { connectPsk, createOneM2mClient } from '../../src/transport/index.js'
import { assertNoSecrets, runCli } from '../support/mef-process.js'
import { opensslAvailable } from '../support/openssl.js'
import { cliEnv, startUp } from '../support/up-process.js'

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js')

/** The shell lines `up` printed from "Try a first enrolment" on, with `npx m2msec` → the built CLI. */
function printedSteps(stdout: string): string[] {
  const after = stdout.split('Try a first enrolment')[1] ?? ''
  return after.split('\n').map((l) => l.trim()).filter((l) => /^(mkdir|npx m2msec|printf) /.test(l))
    .map((l) => l.replace(/^npx m2msec /, `"${process.execPath}" "${CLI}" `))
}

async function sh(line: string, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('/bin/sh', ['-c', line], { cwd, env: cliEnv() })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { code, stdout, stderr }
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

function mode(path: string): string {
  return (statSync(path).mode & 0o777).toString(8)
}

test('m2msec up creates the data directory, serves MEF, MAF, CSE and gateway, its printed enrol, MAF register and gateway AE registration commands work, and a second start reuses CA, KEK and ports', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'm2msec-up-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  const dataDir = join(root, 'data')
  const texts: string[] = []

  const first = await startUp(t, dataDir)
  assert.match(first.stdout(), /created: development CA and role certificates, KEK, database/)
  const { roles } = first.endpoints
  assert.deepEqual(Object.keys(roles).sort(), ['admin', 'cse', 'gateway', 'maf', 'mef'])
  assert.deepEqual([roles.mef?.fqdn, roles.maf?.fqdn, roles.gateway?.fqdn], ['mef.m2msec.localhost', 'maf.m2msec.localhost', 'gateway.m2msec.localhost'])
  for (const name of ['mef', 'maf', 'gateway']) {
    assert.match(roles[name]!.url, /^https:\/\/127\.0\.0\.1:\d+$/)
    assert.equal(roles[name]!.caCertificate, join(dataDir, 'pki', 'ca.pem'))
  }
  assert.match(roles.cse!.url, /^http:\/\/127\.0\.0\.1:\d+$/, 'the CSE trusts fr: plain HTTP on loopback only (D-121)')
  assert.equal(roles.cse!.caCertificate, undefined)
  assert.equal(existsSync(join(dataDir, 'pki', 'cse.key')), false, 'no certificate for the plain CSE')
  for (const name of ['gateway', 'cse']) assert.deepEqual([roles[name]!.cseId, roles[name]!.cseBaseName], ['//m2msec.localhost/in-cse', 'cse-in'])
  assert.equal(first.endpoints.pid, first.child.pid)
  for (const key of ['kek', 'pki/ca.key', 'pki/mef.key', 'pki/maf.key', 'pki/gateway.key']) assert.equal(mode(join(dataDir, key)), '600', `${key} is private`)

  // The newcomer's next commands, exactly as printed: operator CLI on the same database from another process, then the device.
  const steps = printedSteps(first.stdout())
  assert.equal(steps.length, 7, first.stdout())
  assert.match(steps[1]!, /--target 22:\/\/m2msec\.localhost\/in-cse/, 'the enrolee may enrol for the gateway too')
  const withOpenssl = opensslAvailable()
  const results = []
  for (const line of withOpenssl ? steps : steps.slice(0, 6)) {
    const r = await sh(line, root)
    texts.push(r.stdout, r.stderr)
    assert.equal(r.code, 0, `${line}\n${r.stdout}${r.stderr}\nup output:\n${first.output()}`)
    results.push(r)
  }
  const aeStem = /--bind \/\/m2msec\.localhost\/in-cse\/(C\S+)/.exec(steps[5]!)?.[1]
  assert.ok(aeStem, steps[5])
  if (withOpenssl) {
    assert.match(results[6]!.stdout, /HTTP\/1\.1 201/, `openssl through the gateway: ${results[6]!.stdout}${results[6]!.stderr}\n${first.output()}`)
    assert.match(results[6]!.stdout, /x-m2m-rsc: 2001/i)
    assert.match(results[6]!.stdout, new RegExp(`"aei":"${aeStem}"`), 'the CSE behind the gateway registered the bound AE-ID')
  }
  const device = /--credential-file (\S+)/.exec(steps[2]!)![1]!
  assert.ok(device.startsWith(join(dataDir, 'devices')), 'device files stay inside the (git-ignored) data directory')
  const keId = /KeID\s+([0-9A-F]{32}@mef\.m2msec\.localhost)/.exec(results[2]!.stdout)?.[1]
  assert.ok(keId, results[2]!.stdout)
  const registration = JSON.parse(results[3]!.stdout.trim()) as { clientId: string; assignedKmId: string }
  assert.match(registration.assignedKmId, /^[0-9A-F]{32}@maf\.m2msec\.localhost$/, 'the MAF accepted the KeID (Km fetched from the MEF) and assigned a KmID')
  assert.match(registration.clientId, /^\/\/m2msec\.localhost\/Sdev[0-9a-f]{4}$/, 'the EnroleeID the MEF handed the MAF')

  // The same device enrols for the gateway (SUID 22) and registers its EnroleeID as AE through it
  // (SDK as the device): the gateway fetches the Kpsa from the MEF inside the handshake.
  const gwCredentialFile = device.replace('credential.json', 'gateway-credential.json')
  const kpmArgs = /--kpm-id (\S+) --kpm-file (\S+)/.exec(steps[2]!)!
  const enrolled = await sh(`"${process.execPath}" "${CLI}" enrol --mef ${roles.mef!.url} --mef-fqdn mef.m2msec.localhost --kpm-id ${kpmArgs[1]} --kpm-file ${kpmArgs[2]} --enrolee-b-id //m2msec.localhost/in-cse --credential-file ${gwCredentialFile} --json`, root)
  texts.push(enrolled.stdout, enrolled.stderr)
  assert.equal(enrolled.code, 0, `${enrolled.stdout}${enrolled.stderr}`)
  const gwEnrolment = JSON.parse(enrolled.stdout) as { targetKeyId: string; suid: number }
  assert.equal(gwEnrolment.suid, 22)
  const gwCredential = readCredentialFile(gwCredentialFile)
  const gatewayPort = Number(new URL(roles.gateway!.url).port)
  const socket = await connectPsk({ port: gatewayPort, servername: 'gateway.m2msec.localhost', identity: gwEnrolment.targetKeyId, key: gwCredential.targetKey })
  const client = createOneM2mClient(socket, { host: 'gateway.m2msec.localhost' })
  const enroleeStem = registration.clientId.replace('//m2msec.localhost/', '')
  try {
    const reply = await client.send({
      op: OPERATION.CREATE, to: 'cse-in', fr: enroleeStem, rqi: 'up-sdk-1', rvi: '3', ty: RESOURCE_TYPE.AE,
      pc: { 'm2m:ae': { rn: `sdk-${enroleeStem}`, api: 'Nm2msec-demo', rr: false, srv: ['3'] } },
    })
    assert.equal(reply.primitive.rsc, 2001, `${JSON.stringify(reply.primitive)}\n${first.output()}`)
    assert.equal((reply.primitive.pc as { 'm2m:ae': { aei: string } })['m2m:ae'].aei, enroleeStem, 'bound to the EnroleeID the MEF handed the gateway')
  } finally {
    client.close()
  }

  const stopped = await first.stop()
  assert.equal(stopped, 0, `up exited ${stopped} on SIGTERM; output:\n${first.output()}`)
  assert.equal(existsSync(join(dataDir, 'endpoints.json')), false, 'endpoints.json is retired on a clean stop')
  texts.push(first.output())

  const fingerprints = { kek: sha256(join(dataDir, 'kek')), ca: sha256(join(dataDir, 'pki', 'ca.pem')), mef: sha256(join(dataDir, 'pki', 'mef.pem')) }
  const second = await startUp(t, dataDir)
  assert.match(second.stdout(), /reused: development CA, KEK, database/)
  assert.deepEqual({ kek: sha256(join(dataDir, 'kek')), ca: sha256(join(dataDir, 'pki', 'ca.pem')), mef: sha256(join(dataDir, 'pki', 'mef.pem')) }, fingerprints)
  assert.equal(second.endpoints.caFingerprint, first.endpoints.caFingerprint)
  assert.match(first.endpoints.roles.gateway?.sa2Url ?? '', /^http:\/\/127\.0\.0\.1:\d+$/, 'endpoints.json names the SA2 relay')
  assert.deepEqual(second.endpoints.roles, first.endpoints.roles, 'same URLs after a restart (ports of the last run reused, the SA2 relay included)')

  // The registration survives the restart: the MAF at the same URL still knows the KmID, whose Km was sealed under the reused KEK.
  const kcFile = join(root, 'kc.hex')
  const again = await sh(`"${process.execPath}" "${CLI}" maf key register --maf-url ${roles.maf!.url} --maf-fqdn maf.m2msec.localhost --credential-file ${device} --psk-identity ${registration.assignedKmId} --admin-fqdn m2msec.localhost --target //m2msec.localhost/CSE-B --key-out ${kcFile}`, root)
  texts.push(again.stdout, again.stderr)
  assert.equal(again.code, 0, `${again.stdout}${again.stderr}\nup output:\n${second.output()}`)
  assert.match(again.stdout, /[0-9A-F]{32}@maf\.m2msec\.localhost/, 'a Key Identifier of the MAF')

  // A second up on the same directory is refused while the first runs.
  const twice = await runCli(['up', '--data-dir', dataDir])
  texts.push(twice.stdout, twice.stderr)
  assert.equal(twice.code, 2, twice.stderr)
  assert.match(twice.stderr, /already running/)

  assert.equal(await second.stop(), 0, second.output())
  texts.push(second.output())
  const verify = await runCli(['audit', 'verify', '--data-dir', dataDir])
  assert.equal(verify.code, 0, `one audit chain for both roles stays intact: ${verify.stdout}${verify.stderr}`)

  const credential = readCredentialFile(device)
  const kpm = fromHex(readFileSync(device.replace('credential.json', 'kpm.hex'), 'utf8').trim())
  const kpsa = fromHex(readFileSync(device.replace('credential.json', 'kpsa.hex'), 'utf8').trim())
  const caKey = readFileSync(join(dataDir, 'pki', 'ca.key'), 'utf8')
  const caKeyBody = caKey.replace(/-----[^-]+-----|\s/g, '')
  for (const text of texts) assert.ok(!text.includes(caKeyBody), 'the CA private key appears in an output')
  assertNoSecrets(texts, [dataDir], [kpm, credential.ke.reveal(), credential.targetKey.reveal(), kpsa, gwCredential.ke.reveal(), gwCredential.targetKey.reveal(), fromHex(readFileSync(kcFile, 'utf8').trim()), readFileSync(join(dataDir, 'kek'))])
})

test('through up, the MAF-based SAEF works: a Kc registered at the maf role for the gateway admits the device', { timeout: 120_000 }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'm2msec-up-maf-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  const dataDir = join(root, 'data')
  const up = await startUp(t, dataDir)
  const { roles } = up.endpoints
  const device = join(dataDir, 'devices', 'maf-saef')
  const kpm = randomBytes(32)
  mkdirSync(device, { recursive: true, mode: 0o700 })
  writeFileSync(join(device, 'kpm.hex'), kpm.toString('hex'), { mode: 0o600 })
  const texts: string[] = []
  const cli = async (args: string[]): Promise<string> => {
    const result = await runCli(args, 30_000)
    texts.push(result.stdout, result.stderr)
    assert.equal(result.code, 0, `m2msec ${args[0]} ${args[1] ?? ''}: ${result.stdout}${result.stderr}`)
    return result.stdout
  }
  const credential = join(device, 'credential.json')
  const kcFile = join(device, 'kc.hex')
  const mafSession = ['--maf-url', roles.maf!.url, '--maf-fqdn', 'maf.m2msec.localhost', '--credential-file', credential, '--admin-fqdn', 'm2msec.localhost']
  await cli(['enrolee', 'add', '--data-dir', dataDir, '--kpm-id', 'maf-saef@mef.m2msec.localhost', '--kpm-file', join(device, 'kpm.hex'),
    '--enrolee-id', '//m2msec.localhost/Smafsaef', '--expiry', '30d', '--target', '21:maf.m2msec.localhost'])
  await cli(['enrol', '--mef', roles.mef!.url, '--mef-fqdn', 'mef.m2msec.localhost', '--kpm-id', 'maf-saef@mef.m2msec.localhost',
    '--kpm-file', join(device, 'kpm.hex'), '--maf-id', 'maf.m2msec.localhost', '--credential-file', credential])
  await cli(['maf', 'register', ...mafSession])
  const registered = JSON.parse(await cli(['maf', 'key', 'register', ...mafSession, '--target', '//m2msec.localhost/in-cse', '--key-out', kcFile])) as { keyIdentifier: string }
  assert.match(registered.keyIdentifier, /^[0-9A-F]{32}@maf\.m2msec\.localhost$/)
  const kc = fromHex(readFileSync(kcFile, 'utf8').trim())

  const socket = await connectPsk({ port: Number(new URL(roles.gateway!.url).port), servername: 'gateway.m2msec.localhost', identity: registered.keyIdentifier, key: new SecretBytes(kc) })
  const client = createOneM2mClient(socket, { host: 'gateway.m2msec.localhost' })
  try {
    const reply = await client.send({
      op: OPERATION.CREATE, to: 'cse-in', fr: 'Smafsaef', rqi: 'up-maf-1', rvi: '3', ty: RESOURCE_TYPE.AE,
      pc: { 'm2m:ae': { rn: 'maf-saef', api: 'Nm2msec-demo', rr: false, srv: ['3'] } },
    })
    assert.equal(reply.primitive.rsc, 2001, `${JSON.stringify(reply.primitive)}\n${up.output()}`)
    assert.equal((reply.primitive.pc as { 'm2m:ae': { aei: string } })['m2m:ae'].aei, 'Smafsaef', 'bound to the Source MAF Client ID')
  } finally {
    client.close()
  }
  assert.equal(await up.stop(), 0)
  texts.push(up.output())
  assertNoSecrets(texts, [dataDir], [kpm, kc])
})
