// The MAF with the real MEF, every party a real process (issue 6 "Done means"): `m2msec serve mef`
// with the MAF registered as an Enrolment Target (its FQDN certificate, `--target
// maf.example.com=maf.example.com`), `m2msec serve maf` pointed at it, enrolees added with
// `m2msec enrolee add`, devices enrolling with `m2msec enrol --maf-id` and using the MAF through
// `m2msec maf …` with their sealed credential files. Device A registers with its KeID → the MAF
// pulls Km from the MEF, observed exactly once in the MEF's audit log → A registers Kc for IdB
// with its assigned KmID → Entity B (enrolled the same way, registered with its own KmID)
// retrieves Kc and completes TLS-PSK with A using the Key Identifier as psk_identity; A's second
// contact with its KeID makes no MEF request; a third party C is refused (4103). Both target-key
// modes (OQ-6), switched at the MEF, the MAF and the devices. Ends with no key bytes in any
// process's output, data directory or CLI output.
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { SecretBytes, fromHex } from '../../src/core/index.js'
import { readCredentialFile } from '../../src/client/index.js'
import { connectPsk, createPskServer } from '../../src/transport/index.js'
import { MEF_FQDN, assertNoSecrets, createMefPki, startMef } from '../support/mef-process.js'
import { CliLog, auditEvents, startMaf } from '../support/maf-process.js'
import { createTestPki, tempDir } from '../support/tls-fixtures.js'

const MAF_FQDN = 'maf.example.com'
const ADMIN = 'm2m.example.com'
const DEVICE_A = '//m2m.example.com/Sdev01'
const IDB = '//m2m.example.com/CSE-B01'
const OTHER = '//m2m.example.com/CSE-B02'
/** Distinctive Kpms, so a leak of any of them is recognisable. */
const ENROLEES = {
  a: { kpmId: 'dev-a@mef.example.com', kpm: 'A1A1A1A15E5E5E5E0123456789ABCDEF0123456789ABCDEFA1A1A1A15E5E5E5E', enroleeId: DEVICE_A },
  b: { kpmId: 'cse-b@mef.example.com', kpm: 'B2B2B2B26D6D6D6DFEDCBA9876543210FEDCBA9876543210B2B2B2B26D6D6D6D', enroleeId: IDB },
  c: { kpmId: 'cse-c@mef.example.com', kpm: 'C3C3C3C37C7C7C7C00112233445566778899AABBCCDDEEFFC3C3C3C37C7C7C7C', enroleeId: OTHER },
} as const

type T = TestContext
type Who = keyof typeof ENROLEES

function dataDir(t: T, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/**
 * The MEF's fetchCredentials events per KeID, from its audit log (every fetch is audited in the
 * transaction that answers it, D-89). One store open at a time: SQLite connections of one thread
 * would wait on each other's locks.
 */
async function fetchesOf(mefDir: string, keIds: readonly string[]): Promise<number[]> {
  const events = (await auditEvents(mefDir)).filter((e) => e.action === 'mef.fetch-credentials')
  return keIds.map((keId) => events.filter((e) => e.subject.keId === keId).length)
}

async function deploy(t: T, mode: 'usage-constrained' | 'seed-000') {
  const pki = await createMefPki(t)
  const mafCa = await createTestPki('m2msec MAF CA')
  const mafPem = await mafCa.issue(MAF_FQDN, { dns: [MAF_FQDN] })
  const files = await tempDir(t)
  const cli = new CliLog()
  const mefDir = dataDir(t, 'm2msec-mef-')
  const mafDir = dataDir(t, 'm2msec-maf-')
  const deviceDir = dataDir(t, 'm2msec-devices-')
  for (const e of Object.values(ENROLEES)) {
    await cli.json(['enrolee', 'add', '--data-dir', mefDir, '--kpm-id', e.kpmId, '--kpm-file', await files.write(`${e.kpmId}.kpm`, `${e.kpm}\n`),
      '--enrolee-id', e.enroleeId, '--expiry', '1d', '--target', `21:${MAF_FQDN}`, '--json'])
  }
  const mafCaFile = await files.write('maf-ca.pem', mafCa.ca.cert)
  // The MAF is an Enrolment Target of the MEF: its FQDN certificate, and `fr` = its FQDN (D-88, D-100).
  const mef = await startMef(t, { dataDir: mefDir, pki, mode, extra: ['--target-ca', mafCaFile, '--target', `${MAF_FQDN}=${MAF_FQDN}`] })
  const maf = await startMaf(t, [
    '--data-dir', mafDir, '--fqdn', MAF_FQDN, '--cert', await files.write('maf.pem', mafPem.cert), '--key', await files.write('maf.key', mafPem.key),
    '--mef-url', `https://127.0.0.1:${mef.port}`, '--mef-fqdn', MEF_FQDN, '--mef-ca', pki.files.mefCa, '--mef-mode', mode,
  ])
  const mafArgs = ['--maf-url', maf.url, '--maf-fqdn', MAF_FQDN]
  const credentialFile = (who: Who): string => join(deviceDir, who, 'credential.json')
  /** `m2msec enrol` of one enrolee towards the MAF; resolves with its KeID. */
  const enrol = async (who: Who): Promise<string> => {
    const e = ENROLEES[who]
    const out = await cli.json<{ keId: string; mode: string; suid: number }>([
      'enrol', '--mef', `https://127.0.0.1:${mef.port}`, '--mef-fqdn', MEF_FQDN, '--kpm-id', e.kpmId, '--kpm-file', join(files.path, `${e.kpmId}.kpm`),
      '--maf-id', MAF_FQDN, '--mode', mode, '--credential-file', credentialFile(who), '--admin-fqdn', ADMIN, '--json',
    ])
    assert.deepEqual([out.mode, out.suid], [mode, 21])
    return out.keId
  }
  /** `m2msec maf register` with the enrolment's KeID; resolves with the registration printed. */
  const register = (who: Who) => cli.json<{ clientId: string; assignedKmId: string | null }>(['maf', 'register', ...mafArgs, '--credential-file', credentialFile(who), '--admin-fqdn', ADMIN])
  return { mef, maf, mefDir, mafDir, deviceDir, files, cli, mafArgs, credentialFile, enrol, register }
}

for (const mode of ['usage-constrained', 'seed-000'] as const) {
  test(`a device enrolled at serve mef registers at serve maf with its KeID (Km fetched once), registers Kc for IdB, and Entity B completes TLS-PSK with the Key Identifier (${mode})`, async (t) => {
    const d = await deploy(t, mode)
    const keIdA = await d.enrol('a')

    // First contact with the KeID: the MAF fetches Km from the MEF inside the handshake (D-100).
    const regA = await d.register('a')
    assert.equal(regA.clientId, DEVICE_A, 'the EnroleeID the MEF handed over is the MAF Client ID (OQ-20)')
    const kmIdA = regA.assignedKmId
    assert.match(kmIdA ?? '', /^[0-9A-F]{32}@maf\.example\.com$/, 'the MAF assigned a KmID (OQ-7)')
    assert.deepEqual(await fetchesOf(d.mefDir, [keIdA]), [1], 'one fetchCredentials for the KeID')

    // The device now uses its KmID: same Km, no MEF involved.
    const kcA = join(d.files.path, 'kc-a.hex')
    const key = await d.cli.json<{ keyIdentifier: string; suid: number; targetIds: string[]; clientId: string }>([
      'maf', 'key', 'register', ...d.mafArgs, '--credential-file', d.credentialFile('a'), '--psk-identity', kmIdA!, '--admin-fqdn', ADMIN, '--target', IDB, '--key-out', kcA,
    ])
    assert.match(key.keyIdentifier, /^[0-9A-F]{32}@maf\.example\.com$/, 'Key Identifier = hex(KcID)@MAF-FQDN (10.3.5)')
    assert.deepEqual([key.suid, key.targetIds, key.clientId], [32, [IDB], DEVICE_A])

    // A second contact with the KeID names the same Km and client: the Source may update its key; the MEF is not asked again.
    const updated = await d.cli.json<{ expiresAt: string }>(['maf', 'key', 'update', ...d.mafArgs, '--credential-file', d.credentialFile('a'), '--key-id', key.keyIdentifier, '--lifetime-hours', '2'])
    assert.ok(Date.parse(updated.expiresAt) > Date.now())
    assert.deepEqual(await fetchesOf(d.mefDir, [keIdA]), [1], 'the second contact with the KeID made no MEF request')

    // Entity B: enrolled towards the MAF too, registered with its own KeID, retrieves with its own KmID.
    const keIdB = await d.enrol('b')
    const regB = await d.register('b')
    assert.equal(regB.clientId, IDB)
    const kcB = join(d.files.path, 'kc-b.hex')
    const got = await d.cli.json<{ keyIdentifier: string; suid: number; sourceClientId: string }>([
      'maf', 'key', 'retrieve', ...d.mafArgs, '--credential-file', d.credentialFile('b'), '--psk-identity', regB.assignedKmId!, '--key-id', key.keyIdentifier, '--key-out', kcB,
    ])
    assert.deepEqual([got.keyIdentifier, got.suid, got.sourceClientId], [key.keyIdentifier, 32, DEVICE_A])
    const kc = readFileSync(kcA, 'utf8').trim()
    assert.equal(readFileSync(kcB, 'utf8').trim(), kc, 'Entity B holds the Kc the device exported')

    // Entity B accepts the device's TLS-PSK handshake: psk_identity = Key Identifier, psk = Kc (OQ-13).
    const seen: string[] = []
    const entityB = createPskServer<string>({
      resolve: async (identity) => (seen.push(identity), identity === got.keyIdentifier ? { key: new SecretBytes(fromHex(readFileSync(kcB, 'utf8').trim())), binding: got.sourceClientId } : null),
    })
    const { port } = await entityB.listen(0)
    t.after(() => entityB.close())
    const accepted = new Promise<string>((resolve) => entityB.once('connection', (c: { binding: string; socket: { destroy(): void } }) => (c.socket.destroy(), resolve(c.binding))))
    const socket = await connectPsk({ port, servername: 'cse-b01.m2m.example.com', identity: key.keyIdentifier, key: new SecretBytes(fromHex(kc)) })
    socket.destroy()
    assert.equal(await accepted, DEVICE_A)
    assert.deepEqual(seen, [key.keyIdentifier])

    // A target other than IdB, authenticated with its own KmID, gets 4103 and no key.
    const keIdC = await d.enrol('c')
    const regC = await d.register('c')
    const kcC = join(d.files.path, 'kc-c.hex')
    const refusedC = await d.cli.run(['maf', 'key', 'retrieve', ...d.mafArgs, '--credential-file', d.credentialFile('c'), '--psk-identity', regC.assignedKmId!, '--key-id', key.keyIdentifier, '--key-out', kcC])
    assert.equal(refusedC.code, 1, refusedC.stderr)
    assert.match(refusedC.stderr, /MAF answered 4103 .*\[M2MSEC_CLIENT_REFUSED\]/)
    assert.equal(existsSync(kcC), false, 'no key file for a refused retrieval')

    // One fetch per KeID over the whole run, and both audit chains intact.
    assert.deepEqual(await fetchesOf(d.mefDir, [keIdA, keIdB, keIdC]), [1, 1, 1])
    const mafFetches = (await auditEvents(d.mafDir)).filter((e) => e.action === 'maf.km-fetch')
    assert.deepEqual(mafFetches.map((e) => e.subject.keId), [keIdA, keIdB, keIdC])
    for (const dir of [d.mefDir, d.mafDir]) {
      const verify = await d.cli.run(['audit', 'verify', '--data-dir', dir])
      assert.equal(verify.code, 0, `audit verify ${dir}: ${verify.stdout}${verify.stderr}`)
    }

    const secrets = [...Object.values(ENROLEES).map((e) => fromHex(e.kpm)), fromHex(kc)]
    for (const who of ['a', 'b', 'c'] as const) {
      const device = readCredentialFile(d.credentialFile(who))
      secrets.push(device.ke.reveal(), device.targetKey.reveal())
    }
    assertNoSecrets([d.mef.output(), d.maf.output(), ...d.cli.texts()], [d.mefDir, d.mafDir], secrets)
  })
}
