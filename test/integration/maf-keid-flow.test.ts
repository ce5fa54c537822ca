// The MAF end to end with real processes (issue 6 "Done means"): `m2msec serve maf` as a child
// process and a fake MEF built here from the transport (mef-maf-interface.md §6 fetchCredentials,
// counting fetches). A device presents its KeID → the MAF pulls Km from the MEF exactly once →
// the device registers (gets a KmID, OQ-7/OQ-29) and registers a key for IdB → an Entity B
// stand-in retrieves Kc (Key Retrieval) and completes TLS-PSK with the device using the Key
// Identifier as psk_identity. Refusals: a target other than IdB gets 4103 and no key; an expired
// Kc is refused (4004); a second contact with the KeID makes no MEF request. Every test ends with
// no key bytes in captured output or database files.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { SecretBytes, deriveEnrolmentTargetKey, fromHex, toHex } from '../../src/core/index.js'
import { OPERATION, RSC, formatTimestamp, parseFetchCredentialsTarget, refused, writeFetchCredentialsResult } from '../../src/onem2m/index.js'
import { connectPsk, createMixedServer, createOneM2mHttpServer, createPskServer } from '../../src/transport/index.js'
import { openDataDirectoryStore } from '../../src/store/index.js'
import { ClientError } from '../../src/client/errors.js'
import {
  mafKeyFromEnrolment, mafKeyRegister, mafKeyRetrieve, mafRegister, openMafSession, type MafCredential,
} from '../../src/client/maf/index.js'
import { assertNoSecrets } from '../support/mef-process.js'
import { createTestPki, tempDir, type Pem } from '../support/tls-fixtures.js'
import { startMaf } from '../support/maf-process.js'

const MAF_FQDN = 'maf.example.com'
const MEF_FQDN = 'mef.example.com'
const DEVICE_ID = '//m2m.example.com/Sdev01'
const IDB = '//m2m.example.com/CSE-B01'
const OTHER = '//m2m.example.com/CSE-B02'
const ADMIN = 'm2m.example.com'
const KE_HEX = 'E1E1E1E1A5A5A5A5000102030405060708090A0B0C0D0E0F1011121314155A5A'
const KE_ID = `${'9A8B7C6D5E4F30211203F4E5D6C7B8A9'}@${MEF_FQDN}`
const KM_B_HEX = 'B0B0B0B0C1C1C1C1D2D2D2D2E3E3E3E3F4F4F4F405050505161616162727B0B0'
const KM_C_HEX = 'C0C0C0C0D1D1D1D1E2E2E2E2F3F3F3F304040404151515152626262637373737'

type T = TestContext

interface FakeMef {
  readonly port: number
  readonly fetches: string[]
}

/** The MEF side of fetchCredentials: mutual TLS with the MAF's FQDN certificate, Km = §10.3.7(Ke, 21, MAF FQDN). */
async function startFakeMef(t: T, pki: { mef: Pem; caCert: string }): Promise<FakeMef> {
  const fetches: string[] = []
  const ke = new SecretBytes(fromHex(KE_HEX))
  const listener = createMixedServer<string>({
    certificate: {
      fallback: { cert: pki.mef.cert, key: pki.mef.key }, trustAnchors: [pki.caCert],
      resolve: async (peer) => {
        const dns = peer.sans.find((e) => e.kind === 'dns')
        return dns?.value === MAF_FQDN ? { binding: dns.value } : null
      },
    },
  })
  const http = createOneM2mHttpServer<string>(listener, async (p, context) => {
    const target = parseFetchCredentialsTarget(p.to)
    if (p.op !== OPERATION.RETRIEVE || target === undefined) throw refused(RSC.NOT_FOUND, 'fake MEF serves fetchCredentials only')
    fetches.push(`${target.keId}/${target.suid}`)
    const base = { rqi: p.rqi, ...(p.rvi ? { rvi: p.rvi } : {}) }
    if (p.fr !== MAF_FQDN || context.connection.binding !== MAF_FQDN || target.suid !== 21) {
      return { response: { ...base, rsc: RSC.ORIGINATOR_HAS_NO_PRIVILEGE, pc: writeFetchCredentialsResult({ stat: false, errs: 'not allowed' }) } }
    }
    if (target.keId !== KE_ID) return { response: { ...base, rsc: RSC.NOT_FOUND, pc: writeFetchCredentialsResult({ stat: false, errs: 'unknown KeID' }) } }
    const cred = deriveEnrolmentTargetKey(ke, { targetId: MAF_FQDN, suid: 21 }, 'usage-constrained')
    const lftm = formatTimestamp(new Date(Date.now() + 7 * 86_400_000))
    return { response: { ...base, rsc: RSC.OK, pc: writeFetchCredentialsResult({ stat: true, cred, enid: DEVICE_ID, lftm }) } }
  })
  const { port } = await listener.listen(0)
  t.after(async () => {
    http.closeAllConnections()
    await listener.close()
  })
  return { port, fetches }
}

function dataDir(t: T): string {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-maf-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Pre-provisioned KmIDs for the Entity B stand-in and a third party, bound to their CSE-IDs. */
async function provisionTargets(dir: string): Promise<void> {
  const store = await openDataDirectoryStore({ dataDir: dir, create: true, env: {} })
  try {
    await store.transaction(async (tx) => {
      await tx.pskCredentials.put({ usage: 'maf', identity: `km-b@${MAF_FQDN}`, key: new SecretBytes(fromHex(KM_B_HEX)), owner: { kind: 'configured', ref: 'b' }, boundEntity: { kind: 'cse', ids: [IDB] } })
      await tx.pskCredentials.put({ usage: 'maf', identity: `km-c@${MAF_FQDN}`, key: new SecretBytes(fromHex(KM_C_HEX)), owner: { kind: 'configured', ref: 'c' }, boundEntity: { kind: 'cse', ids: [OTHER] } })
    })
  } finally {
    await store.close()
  }
}

async function setup(t: T) {
  const ca = await createTestPki('m2msec MAF/MEF test CA')
  const mefPem = await ca.issue(MEF_FQDN, { dns: [MEF_FQDN] })
  const mafPem = await ca.issue(MAF_FQDN, { dns: [MAF_FQDN] })
  const files = await tempDir(t)
  const mef = await startFakeMef(t, { mef: mefPem, caCert: ca.ca.cert })
  const dir = dataDir(t)
  await provisionTargets(dir)
  const maf = await startMaf(t, [
    '--data-dir', dir, '--fqdn', MAF_FQDN, '--cert', await files.write('maf.pem', mafPem.cert), '--key', await files.write('maf.key', mafPem.key),
    '--mef-url', `https://127.0.0.1:${mef.port}`, '--mef-fqdn', MEF_FQDN, '--mef-ca', await files.write('ca.pem', ca.ca.cert),
  ])
  const url = `https://127.0.0.1:${maf.port}`
  const session = (credential: MafCredential) => openMafSession({ mafUrl: url, mafFqdn: MAF_FQDN, credential })
  const deviceKey = mafKeyFromEnrolment(new SecretBytes(fromHex(KE_HEX)), MAF_FQDN, 'usage-constrained')
  return { mef, maf, dir, session, deviceKey }
}

test('device with a KeID registers at the MAF (Km pulled from the MEF once), registers Kc for IdB, and Entity B completes TLS-PSK with the Key Identifier', async (t) => {
  const { mef, maf, dir, session, deviceKey } = await setup(t)

  const first = await session({ kind: 'psk', identity: KE_ID, key: deviceKey })
  const reg = await mafRegister(first, { adminFqdn: ADMIN })
  first.close()
  assert.deepEqual(mef.fetches, [`${KE_ID}/21`], 'the MAF fetched Km once, inside the handshake')
  assert.equal(reg.clientId, DEVICE_ID, 'the MEF-given EnroleeID is the MAF Client ID (OQ-20)')
  const kmId = reg.assignedKmId
  assert.match(kmId ?? '', /^[0-9A-F]{32}@maf\.example\.com$/)

  // KmID and KeID now name the same Km: both handshakes succeed; the KeID one asks the MEF nothing.
  const again = await session({ kind: 'psk', identity: KE_ID, key: deviceKey })
  again.close()
  const a = await session({ kind: 'psk', identity: kmId as string, key: deviceKey })
  const key = await mafKeyRegister(a, { adminFqdn: ADMIN, targetIds: [IDB] })
  a.close()
  assert.equal(mef.fetches.length, 1, 'second contact with the KeID made no MEF request')
  assert.match(key.keyIdentifier, /^[0-9A-F]{32}@maf\.example\.com$/)

  const b = await session({ kind: 'psk', identity: `km-b@${MAF_FQDN}`, key: new SecretBytes(fromHex(KM_B_HEX)) })
  const got = await mafKeyRetrieve(b, key.keyIdentifier)
  b.close()
  assert.equal(toHex(got.key.reveal()), toHex(key.key.reveal()))
  assert.equal(got.sourceClientId, DEVICE_ID)
  assert.equal(got.suid, 32)

  // Entity B accepts the device's TLS-PSK handshake: psk_identity = Key Identifier, psk = Kc (OQ-13).
  const server = createPskServer<string>({ resolve: async (identity) => (identity === got.keyIdentifier ? { key: got.key, binding: got.sourceClientId } : null) })
  const { port } = await server.listen(0)
  t.after(() => server.close())
  const accepted = new Promise<string>((resolve) => server.once('connection', (c: { binding: string; socket: { destroy(): void } }) => (c.socket.destroy(), resolve(c.binding))))
  const socket = await connectPsk({ port, servername: 'cse-b01.m2m.example.com', identity: key.keyIdentifier, key: key.key })
  socket.destroy()
  assert.equal(await accepted, DEVICE_ID)

  // A target other than IdB gets 4103 and no key.
  const c = await session({ kind: 'psk', identity: `km-c@${MAF_FQDN}`, key: new SecretBytes(fromHex(KM_C_HEX)) })
  await assert.rejects(mafKeyRetrieve(c, key.keyIdentifier), (e: unknown) => e instanceof ClientError && e.rsc === 4103)
  c.close()

  const km = deriveEnrolmentTargetKey(new SecretBytes(fromHex(KE_HEX)), { targetId: MAF_FQDN, suid: 21 }, 'usage-constrained')
  assertNoSecrets([maf.output()], [dir], [fromHex(KE_HEX), km.reveal(), key.key.reveal(), fromHex(KM_B_HEX)])
})

test('an expired Kc is refused (4004) and an unknown KeID fails the MAF Handshake after one MEF refusal', async (t) => {
  const { mef, maf, dir, session, deviceKey } = await setup(t)
  const first = await session({ kind: 'psk', identity: KE_ID, key: deviceKey })
  const reg = await mafRegister(first, { adminFqdn: ADMIN })
  first.close()
  const a = await session({ kind: 'psk', identity: reg.assignedKmId as string, key: deviceKey })
  const expiresAt = new Date(Math.ceil((Date.now() + 1500) / 1000) * 1000)
  const key = await mafKeyRegister(a, { adminFqdn: ADMIN, targetIds: [IDB], expiresAt })
  a.close()
  assert.equal(key.expiresAt.getTime(), expiresAt.getTime())
  // Wait for the expiry instant the MAF granted, then ask.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, key.expiresAt.getTime() - Date.now()) + 50))
  const b = await session({ kind: 'psk', identity: `km-b@${MAF_FQDN}`, key: new SecretBytes(fromHex(KM_B_HEX)) })
  await assert.rejects(mafKeyRetrieve(b, key.keyIdentifier), (e: unknown) => e instanceof ClientError && e.rsc === 4004)
  b.close()

  const unknownKeId = `${toHex(randomBytes(16))}@${MEF_FQDN}`
  await assert.rejects(session({ kind: 'psk', identity: unknownKeId, key: deviceKey }), { code: 'M2MSEC_CLIENT_HANDSHAKE_FAILED' })
  assert.deepEqual(mef.fetches, [`${KE_ID}/21`, `${unknownKeId}/21`])
  assertNoSecrets([maf.output()], [dir], [fromHex(KE_HEX), key.key.reveal(), deviceKey.reveal()])
})
