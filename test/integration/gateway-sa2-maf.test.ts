// SA2 for the MAF-based SAEF end to end with real processes (TS-0003 8.2.1 figure 8.2.1-2,
// 8.2.2.3, 8.8.2.7–8; frameworks.md §4.5; wire.md §9.3; D-134, D-136; issue 7 "receives a
// notification over SA2", once per SAEF): `m2msec serve mef`, `serve maf`, `serve cse` and
// `serve gateway --maf` on loopback. A device enrolled with `m2msec enrol` for the MAF registers
// with it (`m2msec maf register`), registers a Kc for the gateway's CSE-ID (`maf key register`),
// opens SA1 with psk_identity = the Key Identifier (the gateway retrieves Kc from the MAF inside
// the handshake), registers a request-reachable AE, creates a container, subscribes and serves
// SA2 with the same Key Identifier and Kc as TLS-PSK *server*. The gateway dials it with that
// identity and the Kc it cached — no second MAF Key Retrieval (§4.5). A peer at the pointOfAccess
// with the right Key Identifier and another key gets no notification and the gateway reports the
// refusal. Both target-key modes of the MEF (OQ-6). No key bytes in any output or database file.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { SecretBytes, fromHex } from '../../src/core/index.js'
import { connectEntityA, readCredentialFile, serveSa2 } from '../../src/client/index.js'
import { OPERATION, RESOURCE_TYPE } from '../../src/onem2m/index.js'
import { connectPsk, createOneM2mClient } from '../../src/transport/index.js'
import { CSE_BASE, GATEWAY_CSE_ID, GATEWAY_FQDN, asCseAdmin, startCse, startGateway } from '../support/gateway-process.js'
import { MAF_FQDN, mafDeploymentFiles } from '../support/maf-deployment.js'
import { auditEvents, startMaf } from '../support/maf-process.js'
import { MEF_FQDN, assertNoSecrets, startMef } from '../support/mef-process.js'
import { inbox, within } from '../support/sa2-inbox.js'

const ADMIN = 'm2m.example.com'
const KPM_ID = 'gw-sa2-maf@mef.example.com'
/** Distinctive Kpm, so a leak is recognisable. */
const KPM_HEX = 'A7A7A7A75C5C5C5C0123456789ABCDEFFEDCBA9876543210A7A7A7A75C5C5C5C'
const STEM = 'Csa2maf'
const AE_ID = `${GATEWAY_CSE_ID}/${STEM}`

/** MEF, MAF (an Enrolment Target of the MEF), CSE and a gateway whose MAF-based SAEF points at the MAF. */
async function deploy(t: TestContext, mode: 'usage-constrained' | 'seed-000') {
  const { scope, pki, gwPem, mafPem, files, gwCaFile, mafCaFile, cli, mefDir, mafDir, gwDir } = await mafDeploymentFiles(t)
  const kpmFile = await files.write('device.kpm', `${KPM_HEX}\n`)
  await cli.json(['enrolee', 'add', '--data-dir', mefDir, '--kpm-id', KPM_ID, '--kpm-file', kpmFile, '--enrolee-id', AE_ID, '--expiry', '1d', '--target', `21:${MAF_FQDN}`, '--json'])
  const mef = await startMef(t, { dataDir: mefDir, pki, mode, extra: ['--target-ca', mafCaFile, '--target', `${MAF_FQDN}=${MAF_FQDN}`] })
  const mefUrl = `https://127.0.0.1:${mef.port}`
  const maf = await startMaf(t, [
    '--data-dir', mafDir, '--fqdn', MAF_FQDN, '--cert', await files.write('maf.pem', mafPem.cert), '--key', await files.write('maf.key', mafPem.key),
    '--mef-url', mefUrl, '--mef-fqdn', MEF_FQDN, '--mef-ca', pki.files.mefCa, '--mef-mode', mode, '--client-ca', gwCaFile,
  ])
  const cse = await startCse(scope)
  const gateway = await startGateway(scope, gwDir, cse.port, [
    '--cert', await files.write('gw.pem', gwPem.cert), '--key', await files.write('gw.key', gwPem.key), '--maf', `${MAF_FQDN}=${maf.url}`, '--maf-ca', mafCaFile,
  ])
  const credentialFile = join(files.path, 'credential.json')
  const enrolled = await cli.json<{ mode: string; suid: number }>([
    'enrol', '--mef', mefUrl, '--mef-fqdn', MEF_FQDN, '--kpm-id', KPM_ID, '--kpm-file', kpmFile, '--maf-id', MAF_FQDN,
    '--mode', mode, '--credential-file', credentialFile, '--admin-fqdn', ADMIN, '--json',
  ])
  assert.deepEqual([enrolled.mode, enrolled.suid], [mode, 21])
  const credential = ['--credential-file', credentialFile, '--admin-fqdn', ADMIN]
  const mafArgs = ['--maf-url', maf.url, '--maf-fqdn', MAF_FQDN]
  const reg = await cli.json<{ clientId: string; assignedKmId: string | null }>(['maf', 'register', ...mafArgs, ...credential])
  assert.equal(reg.clientId, AE_ID, 'the MAF Client ID is the Enrolee-ID')
  assert.ok(reg.assignedKmId !== null)
  const kmId = reg.assignedKmId
  const device = readCredentialFile(credentialFile)
  const secrets = [fromHex(KPM_HEX), device.ke.reveal(), device.targetKey.reveal()]
  /** `m2msec maf key register` of a Kc for the gateway's CSE-ID; its bytes join the secrets no output may hold. */
  const registerKc = async (lifetimeHours?: string): Promise<{ keyIdentifier: string; kc: SecretBytes; expiresAt: string }> => {
    const kcFile = join(files.path, `kc-${secrets.length}.hex`)
    const key = await cli.json<{ keyIdentifier: string; targetIds: string[]; expiresAt: string }>([
      'maf', 'key', 'register', ...mafArgs, ...credential, '--psk-identity', kmId, '--target', GATEWAY_CSE_ID, '--key-out', kcFile,
      ...(lifetimeHours === undefined ? [] : ['--lifetime-hours', lifetimeHours]),
    ])
    assert.deepEqual(key.targetIds, [GATEWAY_CSE_ID])
    const kc = new SecretBytes(fromHex(readFileSync(kcFile, 'utf8').trim()))
    secrets.push(kc.reveal())
    return { keyIdentifier: key.keyIdentifier, kc, expiresAt: key.expiresAt }
  }
  const { keyIdentifier, kc } = await registerKc()
  const outputs = (): string[] => [mef.output(), maf.output(), cse.output(), gateway.output(), ...cli.texts()]
  return { scope, cse, gateway, mafDir, dirs: [mefDir, mafDir, gwDir], keyIdentifier, kc, registerKc, secrets, outputs }
}

for (const mode of ['usage-constrained', 'seed-000'] as const) {
  test(`MAF-based SAEF: an AE registered over SA1 with a Kc receives the notification over SA2, the gateway dialling with the same Key Identifier and Kc; a peer with another key gets nothing (${mode})`, async (t) => {
    const d = await deploy(t, mode)
    const output = (): string => d.outputs().join('\n')
    const credential = { kind: 'psk', identity: d.keyIdentifier, key: d.kc } as const
    const mailbox = inbox()
    const sa2 = await serveSa2({ credential, gatewayFqdn: GATEWAY_FQDN, onRequest: mailbox.onRequest })
    d.scope.after(() => sa2.close())

    const retrievals = async (): Promise<number> => (await auditEvents(d.mafDir)).filter((e) => e.action === 'maf.key-retrieval').length
    const device = await connectEntityA({ gatewayUrl: `https://127.0.0.1:${d.gateway.port}`, gatewayFqdn: GATEWAY_FQDN, credential })
    d.scope.after(() => device.close())
    await device.registerAe(CSE_BASE, { rn: 'sa2maf', api: 'Nsensor-app', rr: true, poa: [sa2.poa()] })
    assert.equal(device.aeId, STEM, 'the AE-ID is the MAF Client ID')
    const stored = await asCseAdmin(d.cse, 'GET', `/${CSE_BASE}/sa2maf`)
    const poa = (stored.body['m2m:ae'] as { poa?: string[] } | undefined)?.poa ?? []
    assert.ok(poa.length === 1 && poa[0]!.includes('/sa2/') && !poa[0]!.includes(`:${sa2.port}`), `the CSE holds the SA2 relay URL, not the device: ${JSON.stringify(poa)}`)

    await device.create(`${CSE_BASE}/sa2maf`, RESOURCE_TYPE.CONTAINER, { 'm2m:cnt': { rn: 'data' } })
    await device.create(`${CSE_BASE}/sa2maf/data`, RESOURCE_TYPE.CONTENT_INSTANCE, { 'm2m:cin': { cnf: 'text/plain:0', con: 'before-sub' } })
    await device.create(`${CSE_BASE}/sa2maf/data`, RESOURCE_TYPE.SUBSCRIPTION, { 'm2m:sub': { rn: 'sub', nu: [STEM], enc: { net: [3] } } })
    const before = await retrievals()
    const first = mailbox.next()
    await device.create(`${CSE_BASE}/sa2maf/data`, RESOURCE_TYPE.CONTENT_INSTANCE, { 'm2m:cin': { cnf: 'text/plain:0', con: `maf-${mode}` } })

    const notify = await within(first, 10_000, 'the notification over MAF-based SA2', output)
    const sgn = (notify.pc as { 'm2m:sgn': { nev: { net: number; rep: { 'm2m:cin': { con: string } } } } })['m2m:sgn']
    assert.deepEqual([sgn.nev.net, sgn.nev.rep['m2m:cin'].con], [3, `maf-${mode}`])
    const relayed = await d.gateway.waitForEvents('sa2-relayed', (e) => e['event'] === 'sa2-relayed' && e['rsc'] === '2000')
    assert.equal(relayed[0]?.['credentialId'], `12-${d.keyIdentifier}`, 'SA2 ran for the Credential-ID SA1 bound (D-134)')
    assert.equal(await retrievals(), before, 'SA2 used the cached Kc: no new MAF Key Retrieval')

    // A peer at the pointOfAccess that knows the Key Identifier but not Kc: the device moves its poa
    // (an UPDATE through the gateway, rewritten again) to it; the next notification finds it.
    const fake = inbox()
    const wrongKey = new SecretBytes(new Uint8Array(randomBytes(32)))
    const impostor = await serveSa2({ credential: { kind: 'psk', identity: d.keyIdentifier, key: wrongKey }, gatewayFqdn: GATEWAY_FQDN, onRequest: fake.onRequest })
    d.scope.after(() => impostor.close())
    const moved = await device.send({ op: OPERATION.UPDATE, to: `${CSE_BASE}/sa2maf`, pc: { 'm2m:ae': { poa: [impostor.poa()] } } })
    assert.equal(moved.rsc, 2004, JSON.stringify(moved))
    await device.create(`${CSE_BASE}/sa2maf/data`, RESOURCE_TYPE.CONTENT_INSTANCE, { 'm2m:cin': { cnf: 'text/plain:0', con: 'impostor' } })
    const failed = await d.gateway.waitForEvents('sa2-failed (wrong key)', (e) => e['event'] === 'sa2-failed')
    assert.deepEqual([failed[0]?.['reason'], failed[0]?.['credentialId'], failed[0]?.['code']], ['handshake', `12-${d.keyIdentifier}`, 'M2MSEC_TLS_HANDSHAKE_FAILED'])
    await d.cse.waitForEvents('notification-failed', (e) => e['event'] === 'notification-failed')
    assert.equal(fake.all.length, 0, 'nothing reached the peer without Kc')
    assert.equal(mailbox.all.filter((r) => r.op === OPERATION.NOTIFY).length, 1, 'the device itself got exactly the one notification sent to it')

    // The device's SA2 server, for its part, accepts SA1's Key Identifier and Kc only (the
    // control), not another identity with Kc nor the Key Identifier with another key.
    const deliver = async (identity: string, key: SecretBytes, rqi: string): Promise<number> => {
      const client = createOneM2mClient(await connectPsk({ port: sa2.port, servername: GATEWAY_FQDN, identity, key }), { host: GATEWAY_FQDN })
      try {
        return (await client.send({ op: OPERATION.NOTIFY, to: '/notify', fr: '/CSE-B01', rqi, rvi: '3', pc: { 'm2m:sgn': { nev: { net: 3, rep: {} }, sur: 'direct' } } })).primitive.rsc
      } finally {
        client.close()
      }
    }
    assert.equal(await deliver(d.keyIdentifier, d.kc, 'direct-kc'), 2000, 'SA1\'s Key Identifier and Kc are accepted')
    // Another Key Identifier of the same MAF: the Relative Key ID with its last character changed.
    const relative = d.keyIdentifier.slice(0, d.keyIdentifier.indexOf('@'))
    const otherIdentity = `${relative.slice(0, -1)}${relative.endsWith('0') ? '1' : '0'}@${MAF_FQDN}`
    await assert.rejects(deliver(otherIdentity, d.kc, 'direct-identity'), { code: 'M2MSEC_TLS_HANDSHAKE_FAILED' }, 'another identity')
    await assert.rejects(deliver(d.keyIdentifier, wrongKey, 'direct-key'), { code: 'M2MSEC_TLS_HANDSHAKE_FAILED' }, 'another key')
    assert.deepEqual(mailbox.all.map((r) => r.rqi).slice(1), ['direct-kc'], 'no stranger reached the device')

    assertNoSecrets(d.outputs(), d.dirs, [...d.secrets, wrongKey.reveal()])
  })
}

test('MAF-based SAEF: SA2 re-reads the Kc at every notification, so once a short-lived Kc has expired its pointOfAccess gets nothing (usage-constrained)', async (t) => {
  const d = await deploy(t, 'usage-constrained')
  const output = (): string => d.outputs().join('\n')
  const long = { kind: 'psk', identity: d.keyIdentifier, key: d.kc } as const
  const device = await connectEntityA({ gatewayUrl: `https://127.0.0.1:${d.gateway.port}`, gatewayFqdn: GATEWAY_FQDN, credential: long })
  d.scope.after(() => device.close())
  await device.registerAe(CSE_BASE, { rn: 'sa2maf', api: 'Nsensor-app', rr: false })
  await device.create(`${CSE_BASE}/sa2maf`, RESOURCE_TYPE.CONTAINER, { 'm2m:cnt': { rn: 'data' } })
  await device.create(`${CSE_BASE}/sa2maf/data`, RESOURCE_TYPE.SUBSCRIPTION, { 'm2m:sub': { rn: 'sub', nu: [STEM], enc: { net: [3] } } })

  // A Kc of about 11 s: SA1 with it announces the pointOfAccess (rewritten under the short Key Identifier).
  const short = await d.registerKc('0.003')
  const expiresAt = Date.parse(short.expiresAt)
  assert.ok(expiresAt > Date.now() && expiresAt - Date.now() < 12_000, `the MAF kept the short lifetime: ${short.expiresAt}`)
  const credential = { kind: 'psk', identity: short.keyIdentifier, key: short.kc } as const
  const mailbox = inbox()
  const sa2 = await serveSa2({ credential, gatewayFqdn: GATEWAY_FQDN, onRequest: mailbox.onRequest })
  d.scope.after(() => sa2.close())
  const session = await connectEntityA({ gatewayUrl: `https://127.0.0.1:${d.gateway.port}`, gatewayFqdn: GATEWAY_FQDN, credential })
  const moved = await session.send({ op: OPERATION.UPDATE, to: `${CSE_BASE}/sa2maf`, fr: STEM, pc: { 'm2m:ae': { rr: true, poa: [sa2.poa()] } } })
  session.close()
  assert.equal(moved.rsc, 2004, JSON.stringify(moved))

  // While the Kc lives, SA2 under it delivers.
  const first = mailbox.next()
  await device.create(`${CSE_BASE}/sa2maf/data`, RESOURCE_TYPE.CONTENT_INSTANCE, { 'm2m:cin': { cnf: 'text/plain:0', con: 'live' } })
  await within(first, 10_000, 'the notification over SA2 with the short-lived Kc', output)
  const relayed = await d.gateway.waitForEvents('sa2-relayed', (e) => e['event'] === 'sa2-relayed')
  assert.equal(relayed[0]?.['credentialId'], `12-${short.keyIdentifier}`)

  // After its expiry the gateway opens no SA2 with it and says why; the device hears nothing.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 1000))
  // A new SA1 with the long-lived Kc: the gateway's HTTP server closes a session idle that long.
  const again = await connectEntityA({ gatewayUrl: `https://127.0.0.1:${d.gateway.port}`, gatewayFqdn: GATEWAY_FQDN, credential: long })
  d.scope.after(() => again.close())
  const late = await again.send({ op: OPERATION.CREATE, to: `${CSE_BASE}/sa2maf/data`, fr: STEM, ty: RESOURCE_TYPE.CONTENT_INSTANCE, pc: { 'm2m:cin': { cnf: 'text/plain:0', con: 'expired' } } })
  assert.equal(late.rsc, 2001, JSON.stringify(late))
  const failed = await d.gateway.waitForEvents('sa2-failed (expired Kc)', (e) => e['event'] === 'sa2-failed')
  assert.deepEqual([failed[0]?.['reason'], failed[0]?.['refusal'], failed[0]?.['credentialId']], ['credential', 'expired', `12-${short.keyIdentifier}`])
  await d.cse.waitForEvents('notification-failed', (e) => e['event'] === 'notification-failed')
  assert.equal(mailbox.all.length, 1, 'nothing reached the device after the Kc expired')

  assertNoSecrets(d.outputs(), d.dirs, d.secrets)
})
