// The gateway's key-server SAEFs end to end with real processes (issue 7 "Done means": once per
// SAEF; a revoked or expired credential fails at the next handshake): `m2msec serve mef`,
// `m2msec serve maf`, `m2msec serve cse` and `m2msec serve gateway` on loopback, the gateway's
// FQDN certificate (dNSName = gateway FQDN, URI = its Absolute CSE-ID, D-135) registered at the
// MEF as an Enrolment Target and trusted by the MAF as a certificate client; devices enrolled
// with `m2msec enrol` and their sealed credential files.
// - PSK SAEF with a fetched Kpsa (TS-0003 8.2.2.1, 8.3.2.1 "Use of Remotely Provisioned
//   Credential"; D-134): target 22 = the gateway's CSE-ID, psk_identity = KeID, psk = the derived
//   key; the gateway fetches the Kpsa from the MEF inside the handshake, once; the AE registers
//   and stores data. Both target-key modes (OQ-6): the gateway has no mode of its own, it uses the
//   key the MEF derives, so the mode is switched at the MEF and the device.
// - MAF-based SAEF (8.2.2.3, 8.8.2.7–8): the device registers Kc for IdB = the gateway's CSE-ID,
//   connects with the Key Identifier; the gateway retrieves Kc from the MAF inside the handshake;
//   a short-lived Kc works while live and fails the first handshake after its expiry.
// - A revoked enrolee (D-84): a KeID the gateway never cached fails the handshake (the MEF refuses
//   the fetch).
// Each test ends with no key bytes in any output, data directory or CLI output.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { SecretBytes, fromHex } from '../../src/core/index.js'
import { readCredentialFile } from '../../src/client/index.js'
import { OPERATION, RESOURCE_TYPE, type RequestPrimitive } from '../../src/onem2m/index.js'
import { connectPsk, createOneM2mClient, type OneM2mClient } from '../../src/transport/index.js'
import {
  CSE_BASE, GATEWAY_CSE_ID, GATEWAY_FQDN, asCseAdmin, resourceOf, startCse, startGateway, type RoleProcess, type Scope,
} from '../support/gateway-process.js'
import { MAF_FQDN, dataDir, mafDeploymentFiles } from '../support/maf-deployment.js'
import { auditEvents, startMaf } from '../support/maf-process.js'
import { MEF_FQDN, assertNoSecrets, startMef } from '../support/mef-process.js'

type T = TestContext
type Mode = 'usage-constrained' | 'seed-000'

const ADMIN = 'm2m.example.com'
/** Distinctive Kpms, so a leak of any of them is recognisable. */
const ENROLEES = {
  psk: { kpmId: 'gw-psk@mef.example.com', kpm: 'D4D4D4D44B4B4B4B0F1E2D3C4B5A69788796A5B4C3D2E1F0D4D4D4D44B4B4B4B', stem: 'Cdev01', rn: 'dev01' },
  maf: { kpmId: 'gw-maf@mef.example.com', kpm: 'E5E5E5E53A3A3A3A102132435465768798A9BACBDCEDFE0FE5E5E5E53A3A3A3A', stem: 'Cdev02', rn: 'dev02' },
  gone: { kpmId: 'gw-gone@mef.example.com', kpm: 'F6F6F6F629292929FFEEDDCCBBAA99887766554433221100F6F6F6F629292929', stem: 'Cdev03', rn: 'dev03' },
} as const
type Who = keyof typeof ENROLEES

const aeIdOf = (who: Who): string => `${GATEWAY_CSE_ID}/${ENROLEES[who].stem}`

let rqi = 0
function request(p: Omit<RequestPrimitive, 'rqi' | 'rvi'>): RequestPrimitive {
  rqi += 1
  return { ...p, rqi: `gw-saef-${rqi}`, rvi: '3' }
}

/** The MEF's fetchCredentials events for `keId` (each fetch is audited, D-89). */
async function mefFetches(mefDir: string, keId: string): Promise<number> {
  return (await auditEvents(mefDir)).filter((e) => e.action === 'mef.fetch-credentials' && e.subject.keId === keId).length
}

/** A device's SA1 to the gateway (TLS-PSK, SNI = gateway FQDN) with oneM2M over HTTP on it. */
async function openDevice(scope: Scope, port: number, identity: string, key: SecretBytes): Promise<OneM2mClient> {
  const socket = await connectPsk({ port, servername: GATEWAY_FQDN, identity, key })
  const client = createOneM2mClient(socket, { host: GATEWAY_FQDN })
  scope.after(() => client.close())
  return client
}

/** AE registration with `fr` = C (the gateway assigns the AE-ID bound to the credential), a container and a contentInstance. */
async function registerAndStore(device: OneM2mClient, who: Who, gateway: RoleProcess, cse: RoleProcess): Promise<void> {
  const { stem, rn } = ENROLEES[who]
  const reg = await device.send(request({ op: OPERATION.CREATE, to: CSE_BASE, fr: 'C', ty: RESOURCE_TYPE.AE, pc: { 'm2m:ae': { rn, api: 'Nsensor-app', rr: false, srv: ['3'] } } }))
  assert.equal(reg.primitive.rsc, 2001, `${JSON.stringify(reg.primitive)}\n${gateway.output()}`)
  assert.equal(resourceOf(reg, 'ae')['aei'], stem, 'the AE-ID is the Enrolee-ID / Client ID the key server handed over')
  const cnt = await device.send(request({ op: OPERATION.CREATE, to: `${CSE_BASE}/${rn}`, fr: stem, ty: RESOURCE_TYPE.CONTAINER, pc: { 'm2m:cnt': { rn: 'data' } } }))
  assert.equal(cnt.primitive.rsc, 2001, JSON.stringify(cnt.primitive))
  const cin = await device.send(request({
    op: OPERATION.CREATE, to: `${CSE_BASE}/${rn}/data`, fr: stem, ty: RESOURCE_TYPE.CONTENT_INSTANCE, pc: { 'm2m:cin': { cnf: 'text/plain:0', con: `${who}-42` } },
  }))
  assert.equal(cin.primitive.rsc, 2001, JSON.stringify(cin.primitive))
  const latest = await asCseAdmin(cse, 'GET', `/${CSE_BASE}/${rn}/data/la`)
  assert.equal(latest.rsc, 2000, 'the CSE holds what the device stored')
  assert.equal((latest.body['m2m:cin'] as Record<string, unknown>)['con'], `${who}-42`)
}

async function deploy(t: T, mode: Mode, opts: { maf: boolean }) {
  const { scope, pki, gwPem, mafPem, files, gwCaFile, mafCaFile, cli, mefDir, mafDir, gwDir } = await mafDeploymentFiles(t)
  const deviceDir = dataDir(t, 'm2msec-devices-')
  for (const [who, e] of Object.entries(ENROLEES)) {
    const target = who === 'maf' ? `21:${MAF_FQDN}` : `22:${GATEWAY_CSE_ID}`
    await cli.json(['enrolee', 'add', '--data-dir', mefDir, '--kpm-id', e.kpmId, '--kpm-file', await files.write(`${e.kpmId}.kpm`, `${e.kpm}\n`),
      '--enrolee-id', aeIdOf(who as Who), '--expiry', '1d', '--target', target, '--json'])
  }
  // The gateway and the MAF are Enrolment Targets of the MEF: FQDN certificate, `fr` = their ID (D-88, D-135).
  const mef = await startMef(t, {
    dataDir: mefDir, pki, mode,
    extra: ['--target-ca', gwCaFile, '--target', `${GATEWAY_FQDN}=${GATEWAY_CSE_ID}`, '--target-ca', mafCaFile, '--target', `${MAF_FQDN}=${MAF_FQDN}`],
  })
  const mefUrl = `https://127.0.0.1:${mef.port}`
  const maf = opts.maf
    ? await startMaf(t, [
      '--data-dir', mafDir, '--fqdn', MAF_FQDN, '--cert', await files.write('maf.pem', mafPem.cert), '--key', await files.write('maf.key', mafPem.key),
      '--mef-url', mefUrl, '--mef-fqdn', MEF_FQDN, '--mef-ca', pki.files.mefCa, '--mef-mode', mode, '--client-ca', gwCaFile,
    ])
    : undefined
  const cse = await startCse(scope)
  const gateway = await startGateway(scope, gwDir, cse.port, [
    '--cert', await files.write('gw.pem', gwPem.cert), '--key', await files.write('gw.key', gwPem.key),
    '--mef-url', mefUrl, '--mef-fqdn', MEF_FQDN, '--mef-ca', pki.files.mefCa,
    ...(maf === undefined ? [] : ['--maf', `${MAF_FQDN}=${maf.url}`, '--maf-ca', mafCaFile]),
  ])
  const credentialFile = (who: Who): string => join(deviceDir, who, 'credential.json')
  /** `m2msec enrol` of one enrolee (towards the gateway, or the MAF for 'maf'); resolves with its KeID. */
  const enrol = async (who: Who): Promise<string> => {
    const e = ENROLEES[who]
    const target = who === 'maf' ? ['--maf-id', MAF_FQDN] : ['--enrolee-b-id', GATEWAY_CSE_ID]
    const out = await cli.json<{ keId: string; mode: string; suid: number }>([
      'enrol', '--mef', mefUrl, '--mef-fqdn', MEF_FQDN, '--kpm-id', e.kpmId, '--kpm-file', join(files.path, `${e.kpmId}.kpm`), ...target,
      '--mode', mode, '--credential-file', credentialFile(who), '--admin-fqdn', ADMIN, '--json',
    ])
    assert.deepEqual([out.mode, out.suid], [mode, who === 'maf' ? 21 : 22])
    return out.keId
  }
  const secrets = (): Uint8Array[] => Object.values(ENROLEES).map((e) => fromHex(e.kpm))
  const deviceSecrets = (who: Who): Uint8Array[] => {
    const c = readCredentialFile(credentialFile(who))
    return [c.ke.reveal(), c.targetKey.reveal()]
  }
  const outputs = (): string[] => [mef.output(), maf?.output() ?? '', cse.output(), gateway.output(), ...cli.texts()]
  return { scope, mef, maf, cse, gateway, cli, files, mefDir, mafDir, gwDir, credentialFile, enrol, secrets, deviceSecrets, outputs }
}

for (const mode of ['usage-constrained', 'seed-000'] as const) {
  test(`PSK SAEF with a Kpsa fetched from serve mef: a device enrolled for the gateway's CSE-ID connects with its KeID, registers its AE and stores data (${mode})`, async (t) => {
    const d = await deploy(t, mode, { maf: false })
    const keId = await d.enrol('psk')
    const device = readCredentialFile(d.credentialFile('psk'))
    assert.equal(device.keId, keId)
    assert.equal(await mefFetches(d.mefDir, keId), 0, 'nothing fetched before the first handshake')

    // First handshake with the KeID: the gateway fetches the Kpsa (fetchCredentials/<KeID>/22) inside it.
    const dev = await openDevice(d.scope, d.gateway.port, keId, device.targetKey)
    await registerAndStore(dev, 'psk', d.gateway, d.cse)
    assert.equal(await mefFetches(d.mefDir, keId), 1, 'one fetchCredentials for the KeID')

    // A second connection with the same KeID uses the cached Kpsa: no new MEF request, same binding.
    const again = await openDevice(d.scope, d.gateway.port, keId, device.targetKey)
    const own = await again.send(request({ op: OPERATION.RETRIEVE, to: `${CSE_BASE}/${ENROLEES.psk.rn}/data/la`, fr: ENROLEES.psk.stem }))
    assert.equal(own.primitive.rsc, 2000, JSON.stringify(own.primitive))
    const other = await again.send(request({ op: OPERATION.RETRIEVE, to: CSE_BASE, fr: 'Cdev09' }))
    assert.equal(other.primitive.rsc, 4106, 'the context stays bound to the Enrolee-ID')
    assert.equal(await mefFetches(d.mefDir, keId), 1, 'the cached Kpsa made no second MEF request')

    // The Ke (not the derived key) as psk fails the handshake: the gateway holds only the Kpsa.
    await assert.rejects(connectPsk({ port: d.gateway.port, servername: GATEWAY_FQDN, identity: keId, key: device.ke }), { code: 'M2MSEC_TLS_HANDSHAKE_FAILED' })

    assertNoSecrets(d.outputs(), [d.mefDir, d.gwDir], [...d.secrets(), ...d.deviceSecrets('psk')])
  })
}

test('MAF-based SAEF through serve maf: Kc registered for the gateway\'s CSE-ID is retrieved inside the handshake, the AE registers; an expired Kc fails the next handshake', async (t) => {
  const d = await deploy(t, 'usage-constrained', { maf: true })
  assert.ok(d.maf !== undefined)
  await d.enrol('maf')
  const credential = ['--credential-file', d.credentialFile('maf'), '--admin-fqdn', ADMIN]
  const mafArgs = ['--maf-url', d.maf.url, '--maf-fqdn', MAF_FQDN]
  const reg = await d.cli.json<{ clientId: string; assignedKmId: string | null }>(['maf', 'register', ...mafArgs, ...credential])
  assert.equal(reg.clientId, aeIdOf('maf'), 'the MAF Client ID is the Enrolee-ID')
  assert.ok(reg.assignedKmId !== null)
  const kmId = reg.assignedKmId

  const kcFile = join(d.files.path, 'kc.hex')
  const key = await d.cli.json<{ keyIdentifier: string; suid: number; targetIds: string[] }>([
    'maf', 'key', 'register', ...mafArgs, ...credential, '--psk-identity', kmId, '--target', GATEWAY_CSE_ID, '--key-out', kcFile,
  ])
  assert.deepEqual([key.suid, key.targetIds], [32, [GATEWAY_CSE_ID]])
  const kc = new SecretBytes(fromHex(readFileSync(kcFile, 'utf8').trim()))
  const retrievals = async (): Promise<number> => (await auditEvents(d.mafDir)).filter((e) => e.action === 'maf.key-retrieval').length
  const before = await retrievals()

  // psk_identity = the Key Identifier: the gateway runs MAF Key Retrieval inside the handshake.
  const dev = await openDevice(d.scope, d.gateway.port, key.keyIdentifier, kc)
  await registerAndStore(dev, 'maf', d.gateway, d.cse)
  assert.equal(await retrievals(), before + 1, 'one MAF Key Retrieval for the Key Identifier')
  dev.close()

  // A short-lived Kc: usable while live (retrieved and cached), refused at the first handshake after its expiry.
  const shortFile = join(d.files.path, 'kc-short.hex')
  const short = await d.cli.json<{ keyIdentifier: string; expiresAt: string }>([
    'maf', 'key', 'register', ...mafArgs, ...credential, '--psk-identity', kmId, '--target', GATEWAY_CSE_ID, '--key-out', shortFile, '--lifetime-hours', '0.003',
  ])
  const shortKc = new SecretBytes(fromHex(readFileSync(shortFile, 'utf8').trim()))
  const expiresAt = Date.parse(short.expiresAt)
  assert.ok(expiresAt - Date.now() < 12_000 && expiresAt > Date.now(), `the MAF kept the short lifetime: ${short.expiresAt}`)
  const live = await openDevice(d.scope, d.gateway.port, short.keyIdentifier, shortKc)
  const own = await live.send(request({ op: OPERATION.RETRIEVE, to: `${CSE_BASE}/${ENROLEES.maf.rn}`, fr: ENROLEES.maf.stem }))
  assert.equal(own.primitive.rsc, 2000, `${JSON.stringify(own.primitive)}\n${d.gateway.output()}`)
  live.close()
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 1000))
  await assert.rejects(connectPsk({ port: d.gateway.port, servername: GATEWAY_FQDN, identity: short.keyIdentifier, key: shortKc }), { code: 'M2MSEC_TLS_HANDSHAKE_FAILED' })
  const refused = await d.gateway.waitForEvents('handshake-refused', (e) => e['event'] === 'handshake-refused' && e['identity'] === short.keyIdentifier)
  assert.deepEqual(refused.map((e) => [e['saef'], e['reason']]), [['maf', 'expired']], d.gateway.output())
  // The long-lived Kc still works: the refusal was about the key, not the device.
  const still = await openDevice(d.scope, d.gateway.port, key.keyIdentifier, kc)
  assert.equal((await still.send(request({ op: OPERATION.RETRIEVE, to: `${CSE_BASE}/${ENROLEES.maf.rn}`, fr: ENROLEES.maf.stem }))).primitive.rsc, 2000)

  assertNoSecrets(d.outputs(), [d.mefDir, d.mafDir, d.gwDir], [...d.secrets(), ...d.deviceSecrets('maf'), kc.reveal(), shortKc.reveal()])
})

test('a revoked enrolee: a KeID the gateway never cached fails the handshake because the MEF refuses the fetch', async (t) => {
  const d = await deploy(t, 'usage-constrained', { maf: false })
  const keId = await d.enrol('gone')
  const device = readCredentialFile(d.credentialFile('gone'))
  const revoked = await d.cli.json<{ revokedKeIds: string[] }>(['enrolee', 'revoke', ENROLEES.gone.kpmId, '--data-dir', d.mefDir, '--json'])
  assert.deepEqual(revoked.revokedKeIds, [keId])

  await assert.rejects(connectPsk({ port: d.gateway.port, servername: GATEWAY_FQDN, identity: keId, key: device.targetKey }), { code: 'M2MSEC_TLS_HANDSHAKE_FAILED' })
  const refused = await d.gateway.waitForEvents('handshake-refused', (e) => e['event'] === 'handshake-refused' && e['identity'] === keId)
  assert.deepEqual(refused.map((e) => [e['saef'], e['reason']]), [['psk', 'unknown-identity']], d.gateway.output())
  assert.equal(await mefFetches(d.mefDir, keId), 1, 'the gateway asked the MEF, which refused')
  assert.equal((await asCseAdmin(d.cse, 'GET', `/${CSE_BASE}/${ENROLEES.gone.rn}`)).rsc, 4004, 'nothing reached the CSE')

  // A still-active enrolee on the same gateway is unaffected.
  const keIdOk = await d.enrol('psk')
  const ok = readCredentialFile(d.credentialFile('psk'))
  assert.equal(ok.keId, keIdOk)
  await registerAndStore(await openDevice(d.scope, d.gateway.port, keIdOk, ok.targetKey), 'psk', d.gateway, d.cse)

  assertNoSecrets(d.outputs(), [d.mefDir, d.gwDir], [...d.secrets(), ...d.deviceSecrets('gone'), ...d.deviceSecrets('psk')])
})
