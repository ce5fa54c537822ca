// The certificate-based MAF Handshake (TS-0003 8.8.2.2; frameworks.md §3.5, §7.3; D-103) against
// `m2msec serve maf --client-ca`: a device with an AE-ID certificate from the client CA is the MAF
// Client named by that AE-ID (no KmID is assigned: no Km exists), registers Kc for IdB, and Entity
// B with a CSE-ID certificate from the same CA retrieves it. Refused: a certificate from another
// CA, one with no AE-ID/CSE-ID in its SAN, and a request whose `fr` is not the certificate's
// identity (4106). Each handshake refusal is audited with its reason.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { ClientError } from '../../src/client/errors.js'
import { mafKeyRegister, mafKeyRetrieve, mafRegister, openMafSession, type MafCredential } from '../../src/client/maf/index.js'
import { assertNoSecrets } from '../support/mef-process.js'
import { CliLog, auditEvents, startMaf } from '../support/maf-process.js'
import { createTestPki, tempDir, type Pem } from '../support/tls-fixtures.js'

const MAF_FQDN = 'maf.example.com'
const ADMIN = 'm2m.example.com'
const DEVICE_AE_ID = '//m2m.example.com/Sdev03'
const IDB = '//m2m.example.com/CSE-B01'

type T = TestContext

async function setup(t: T) {
  const mafCa = await createTestPki('m2msec MAF CA')
  const clientCa = await createTestPki('m2msec MAF client CA')
  const rogueCa = await createTestPki('m2msec rogue CA')
  const mafPem = await mafCa.issue(MAF_FQDN, { dns: [MAF_FQDN] })
  const pems = {
    device: await clientCa.issue('sdev03', { uri: [DEVICE_AE_ID] }, { serverAuth: false }),
    entityB: await clientCa.issue('cse-b01', { uri: [IDB] }, { serverAuth: false }),
    rogue: await rogueCa.issue('sdev03', { uri: [DEVICE_AE_ID] }, { serverAuth: false }),
    noEntityId: await clientCa.issue('plain', { dns: ['plain.m2m.example.com'] }, { serverAuth: false }),
  }
  const files = await tempDir(t)
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-maf-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const mafCaFile = await files.write('maf-ca.pem', mafCa.ca.cert)
  const maf = await startMaf(t, [
    '--data-dir', dir, '--fqdn', MAF_FQDN, '--cert', await files.write('maf.pem', mafPem.cert), '--key', await files.write('maf.key', mafPem.key),
    '--client-ca', await files.write('client-ca.pem', clientCa.ca.cert),
  ])
  const credential = (pem: Pem): MafCredential => ({ kind: 'certificate', certPem: pem.cert, keyPem: pem.key, mafCaPem: mafCa.ca.cert })
  const session = (pem: Pem, originator?: string) => openMafSession({ mafUrl: maf.url, mafFqdn: MAF_FQDN, credential: credential(pem), ...(originator ? { originator } : {}) })
  return { maf, dir, files, mafCaFile, pems, session }
}

test('a device with an AE-ID certificate from the client CA registers under that AE-ID, registers Kc for IdB, and Entity B with its CSE-ID certificate retrieves it', async (t) => {
  const { maf, dir, files, mafCaFile, pems, session } = await setup(t)
  const cli = new CliLog()
  const reg = await cli.json<{ clientId: string; assignedKmId: string | null }>([
    'maf', 'register', '--maf-url', maf.url, '--maf-fqdn', MAF_FQDN, '--cert', await files.write('device.pem', pems.device.cert),
    '--key', await files.write('device.key', pems.device.key), '--maf-ca', mafCaFile, '--admin-fqdn', ADMIN,
  ])
  assert.equal(reg.clientId, DEVICE_AE_ID, 'the MAF Client ID is the AE-ID of the certificate SAN (D-103)')
  assert.equal(reg.assignedKmId, null, 'a certificate client has no Km, so no KmID is assigned')

  const a = await session(pems.device)
  const key = await mafKeyRegister(a, { adminFqdn: ADMIN, targetIds: [IDB] })
  a.close()
  assert.equal(key.clientId, DEVICE_AE_ID)
  assert.match(key.keyIdentifier, /^[0-9A-F]{32}@maf\.example\.com$/)

  const b = await session(pems.entityB)
  const got = await mafKeyRetrieve(b, key.keyIdentifier)
  b.close()
  assert.ok(got.key.equals(key.key), 'Entity B gets the Kc the device exported')
  assert.equal(got.sourceClientId, DEVICE_AE_ID)

  // The certificate names the client: `fr` of another entity is impersonation (4106).
  const imposter = await session(pems.device, '//m2m.example.com/Sother')
  await assert.rejects(mafRegister(imposter, { adminFqdn: 'other.example.com' }), (e: unknown) => e instanceof ClientError && e.rsc === 4106)
  imposter.close()
  assertNoSecrets([maf.output(), ...cli.texts()], [dir], [key.key.reveal()])
})

test('a certificate from another CA, or without an AE-ID/CSE-ID in its SAN, fails the MAF Handshake and is audited with the reason', async (t) => {
  const { maf, dir, pems, session } = await setup(t)
  // The listener checks a client certificate once TLS completed (Node has no asynchronous verify
  // hook) and closes the connection before any request reaches the MAF: the client sees the
  // refusal at the handshake or as a dropped connection on its first request, never an answer.
  const refusedPeer = (e: unknown): boolean => e instanceof ClientError && ['M2MSEC_CLIENT_HANDSHAKE_FAILED', 'M2MSEC_CLIENT_UNREACHABLE'].includes(e.code)
  const registerWith = async (pem: Pem, originator?: string): Promise<unknown> => {
    const s = await session(pem, originator)
    try {
      return await mafRegister(s, { adminFqdn: ADMIN })
    } finally {
      s.close()
    }
  }
  await assert.rejects(registerWith(pems.rogue), refusedPeer, 'a certificate from another CA')
  await assert.rejects(registerWith(pems.noEntityId, DEVICE_AE_ID), refusedPeer, 'a certificate without an AE-ID/CSE-ID')

  // The good certificate still works on the same port: the refusals changed nothing.
  const ok = await session(pems.device)
  assert.equal((await mafRegister(ok, { adminFqdn: ADMIN })).clientId, DEVICE_AE_ID)
  ok.close()

  const events = await auditEvents(dir)
  assert.deepEqual(events.filter((e) => e.action === 'maf.client-registration').map((e) => [e.outcome, e.subject.registeredClientId]), [['ok', DEVICE_AE_ID]], 'only the good client registered')
  // The chain failure is the transport's verdict; a missing entity id the MAF resolver's own reason.
  const refusals = new Set(events.filter((e) => e.action === 'maf.handshake').map((e) => e.outcome))
  assert.ok(refusals.has('refused:M2MSEC_TLS_PEER_UNTRUSTED') && refusals.has('refused:no-entity-id'), `handshake refusals: ${[...refusals].join(', ')}`)
  assert.doesNotMatch(maf.output(), /BEGIN (?:EC )?PRIVATE KEY/)
})
