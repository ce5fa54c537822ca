// SA2 for the Certificate-Based SAEF end to end with real processes (TS-0003 8.2.1 figure
// 8.2.1-2, 8.2.2.2; frameworks.md §3.5, §4.5; wire.md §9.3; D-135, D-136; issue 7 "receives a
// notification over SA2", once per SAEF): `m2msec serve cse` behind `m2msec serve gateway
// --client-ca`, a device holding an AE-ID certificate (SAN URI = its Absolute AE-ID). The device
// opens SA1 with that certificate through the Entity A SDK, registers a request-reachable AE,
// creates a container, subscribes, and serves SA2 with the same certificate as TLS *server*; the
// gateway dials it as TLS client with its own certificate (roles reversed) and accepts it only if
// it chains to the device trust anchor, is fit for a TLS server, and names the AE-ID of the
// Credential-ID SA1 bound. A peer at the pointOfAccess with another AE-ID, with the right AE-ID
// under a CA the gateway does not trust, or on a certificate without serverAuth, gets no
// notification and the gateway reports the refusal; the device's SA2 server in turn admits only
// the gateway's certificate. No private key in any output.
import assert from 'node:assert/strict'
import { createPrivateKey } from 'node:crypto'
import { test } from 'node:test'
import { connectEntityA, serveSa2, type EntityACredential } from '../../src/client/index.js'
import { OPERATION, RESOURCE_TYPE } from '../../src/onem2m/index.js'
import { connectCertificate, createOneM2mClient } from '../../src/transport/index.js'
import { CSE_BASE, GATEWAY_CSE_ID, GATEWAY_FQDN, Scope, asCseAdmin, startCse, startGateway } from '../support/gateway-process.js'
import { assertNoSecrets } from '../support/mef-process.js'
import { inbox, within } from '../support/sa2-inbox.js'
import { createTestPki, tempDir } from '../support/tls-fixtures.js'

const AE_ID = `${GATEWAY_CSE_ID}/Ccert01`
const OTHER_AE_ID = `${GATEWAY_CSE_ID}/Cmallory`

test('certificate SAEF: an AE registered with an AE-ID certificate receives the notification over SA2, the gateway dialling its certificate as TLS client; a peer with another AE-ID, an untrusted CA or a client-only certificate gets nothing', async (t) => {
  const scope = new Scope(t)
  const files = await tempDir(t)
  const gatewayCa = await createTestPki('m2msec gateway CA')
  const deviceCa = await createTestPki('m2msec device CA')
  const rogueCa = await createTestPki('m2msec rogue CA')
  const gatewayPem = await gatewayCa.issue(GATEWAY_FQDN, { dns: [GATEWAY_FQDN], uri: [GATEWAY_CSE_ID] })
  // serverAuth and clientAuth: the device is TLS client on SA1 and TLS server on SA2.
  const devicePem = await deviceCa.issue('Ccert01', { uri: [AE_ID] })
  const otherPem = await deviceCa.issue('Cmallory', { uri: [OTHER_AE_ID] })
  const roguePem = await rogueCa.issue('Ccert01', { uri: [AE_ID] })
  const clientOnlyPem = await deviceCa.issue('Ccert01', { uri: [AE_ID] }, { serverAuth: false })

  const dataDir = scope.dir('gw-sa2-cert-data')
  const cse = await startCse(scope)
  const gateway = await startGateway(scope, dataDir, cse.port, [
    '--cert', await files.write('gw.pem', gatewayPem.cert), '--key', await files.write('gw.key', gatewayPem.key),
    '--client-ca', await files.write('device-ca.pem', deviceCa.ca.cert),
  ])
  const output = (): string => `${gateway.output()}\n${cse.output()}`
  const certificate = (pem: { cert: string; key: string }): EntityACredential => ({ kind: 'certificate', certPem: pem.cert, keyPem: pem.key, gatewayCaPem: gatewayCa.ca.cert })

  const mailbox = inbox()
  const sa2 = await serveSa2({ credential: certificate(devicePem), gatewayFqdn: GATEWAY_FQDN, onRequest: mailbox.onRequest })
  scope.after(() => sa2.close())

  const device = await connectEntityA({ gatewayUrl: `https://127.0.0.1:${gateway.port}`, gatewayFqdn: GATEWAY_FQDN, credential: certificate(devicePem) })
  scope.after(() => device.close())
  await device.registerAe(CSE_BASE, { rn: 'certdev', api: 'Nsensor-app', rr: true, poa: [sa2.poa()] })
  assert.equal(device.aeId, 'Ccert01', 'the AE-ID is the one the certificate names')
  const stored = await asCseAdmin(cse, 'GET', `/${CSE_BASE}/certdev`)
  const poa = (stored.body['m2m:ae'] as { poa?: string[] } | undefined)?.poa ?? []
  assert.ok(poa.length === 1 && poa[0]!.includes('/sa2/') && !poa[0]!.includes(`:${sa2.port}`), `the CSE holds the SA2 relay URL, not the device: ${JSON.stringify(poa)}`)

  await device.create(`${CSE_BASE}/certdev`, RESOURCE_TYPE.CONTAINER, { 'm2m:cnt': { rn: 'data' } })
  await device.create(`${CSE_BASE}/certdev/data`, RESOURCE_TYPE.CONTENT_INSTANCE, { 'm2m:cin': { cnf: 'text/plain:0', con: 'before-sub' } })
  await device.create(`${CSE_BASE}/certdev/data`, RESOURCE_TYPE.SUBSCRIPTION, { 'm2m:sub': { rn: 'sub', nu: ['Ccert01'], enc: { net: [3] } } })
  const first = mailbox.next()
  await device.create(`${CSE_BASE}/certdev/data`, RESOURCE_TYPE.CONTENT_INSTANCE, { 'm2m:cin': { cnf: 'text/plain:0', con: '21.5' } })

  const notify = await within(first, 10_000, 'the notification over certificate SA2', output)
  const sgn = (notify.pc as { 'm2m:sgn': { nev: { net: number; rep: { 'm2m:cin': { con: string } } } } })['m2m:sgn']
  assert.deepEqual([sgn.nev.net, sgn.nev.rep['m2m:cin'].con], [3, '21.5'])
  const relayed = await gateway.waitForEvents('sa2-relayed', (e) => e['event'] === 'sa2-relayed' && e['rsc'] === '2000')
  assert.equal(relayed[0]?.['credentialId'], `33-${AE_ID}`, 'SA2 ran for the Credential-ID SA1 bound')

  // Wrong peers at the pointOfAccess: the device moves its poa (an UPDATE through the gateway,
  // rewritten again) to a server presenting another certificate; the next notification finds it.
  const impostors = [
    { what: 'another AE-ID under the trusted device CA', pem: otherPem, code: 'M2MSEC_TLS_PEER_ID_MISMATCH' },
    { what: 'the right AE-ID under an untrusted CA', pem: roguePem, code: 'M2MSEC_TLS_PEER_UNTRUSTED' },
    // D-138: the entity's certificate must also be fit for a TLS server (serverAuth); OpenSSL checks the purpose.
    { what: 'the right AE-ID on a certificate without serverAuth', pem: clientOnlyPem, code: 'M2MSEC_TLS_PEER_UNTRUSTED' },
  ] as const
  for (const [i, impostor] of impostors.entries()) {
    const fake = inbox()
    const server = await serveSa2({ credential: certificate(impostor.pem), gatewayFqdn: GATEWAY_FQDN, onRequest: fake.onRequest })
    scope.after(() => server.close())
    const moved = await device.send({ op: OPERATION.UPDATE, to: `${CSE_BASE}/certdev`, pc: { 'm2m:ae': { poa: [server.poa()] } } })
    assert.equal(moved.rsc, 2004, JSON.stringify(moved))
    await device.create(`${CSE_BASE}/certdev/data`, RESOURCE_TYPE.CONTENT_INSTANCE, { 'm2m:cin': { cnf: 'text/plain:0', con: `impostor-${i}` } })
    const failed = await gateway.waitForEvents(`sa2-failed (${impostor.what})`, (e) => e['event'] === 'sa2-failed', i + 1)
    assert.deepEqual([failed[i]?.['reason'], failed[i]?.['credentialId'], failed[i]?.['code']], ['handshake', `33-${AE_ID}`, impostor.code], impostor.what)
    await cse.waitForEvents('notification-failed', (e) => e['event'] === 'notification-failed', i + 1)
    assert.equal(fake.all.length, 0, `nothing reached ${impostor.what}`)
  }
  assert.equal(mailbox.all.filter((r) => r.op === OPERATION.NOTIFY).length, 1, 'the device itself got exactly the one notification sent to it')

  // The device's SA2 server, for its part, serves the gateway only: the gateway certificate
  // delivers (the control), a client certificate under the gateway CA proving another FQDN, or one
  // under the device CA, is refused in the handshake and delivers nothing.
  const deliver = async (pem: { cert: string; key: string }, rqi: string): Promise<number> => {
    const socket = await connectCertificate({
      port: sa2.port, servername: GATEWAY_FQDN, credential: { cert: pem.cert, key: pem.key }, trustAnchors: [deviceCa.ca.cert], expected: { flavour: 'ae-id', absoluteAeId: AE_ID },
    })
    const client = createOneM2mClient(socket, { host: GATEWAY_FQDN })
    try {
      return (await client.send({ op: OPERATION.NOTIFY, to: '/notify', fr: '/CSE-B01', rqi, rvi: '3', pc: { 'm2m:sgn': { nev: { net: 3, rep: {} }, sur: 'direct' } } })).primitive.rsc
    } finally {
      client.close()
    }
  }
  assert.equal(await deliver(gatewayPem, 'direct-gateway'), 2000, 'the gateway certificate is accepted')
  const strangerPem = await gatewayCa.issue('evil.example.com', { dns: ['evil.example.com'] })
  for (const [what, pem] of [['another FQDN under the gateway CA', strangerPem], ['a device certificate', otherPem]] as const) {
    await assert.rejects(deliver(pem, 'direct-stranger'), { code: 'M2MSEC_TLS_HANDSHAKE_FAILED' }, what)
  }
  assert.deepEqual(mailbox.all.map((r) => r.rqi).slice(1), ['direct-gateway'], 'no stranger reached the device')

  // Each private key as PEM text and as its raw P-256 scalar (hex, base64 and base64url forms are searched).
  const keys = [devicePem.key, otherPem.key, roguePem.key, clientOnlyPem.key, gatewayPem.key, strangerPem.key]
    .flatMap((pem) => [Buffer.from(pem), Buffer.from(createPrivateKey(pem).export({ format: 'jwk' }).d ?? '', 'base64url')])
  assertNoSecrets([gateway.output(), cse.output()], [dataDir], keys)
})
