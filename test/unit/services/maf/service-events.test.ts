/**
 * The MAF's events for logs and metrics (issue 8), in one process over real sockets: a `handshake`
 * per TLS connection, a `request` per request with its request id (the x-request-id the client
 * would read) and rsc, and a `key-retrieval` only for a RETRIEVE of `maf/<RelativeKeyID>`
 * (TS-0003 8.8.2.8) — here refused, the key being unknown — never for other resources.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { SecretBytes, fromHex } from '../../../../src/core/index.js'
import { OPERATION } from '../../../../src/onem2m/index.js'
import { createMafService, type MafServiceEvent } from '../../../../src/services/maf/index.js'
import { openDataDirectoryStore } from '../../../../src/store/index.js'
import { connectPsk, createOneM2mClient } from '../../../../src/transport/index.js'
import { createTestPki } from '../../../support/tls-fixtures.js'

const MAF_FQDN = 'maf.example.com'
const KM_ID = 'km-events-01@maf.example.com'
const KM_HEX = '0FF1CE0FF1CE0FF1CE0FF1CE0FF1CE0FF1CE0FF1CE0FF1CE0FF1CE0FF1CE0FF1'
const DEVICE_ID = '//m2m.example.com/Sdev07'

test('MAF events: one handshake, one request line per request, and key-retrieval only for a Key Retrieval', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-maf-events-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const store = await openDataDirectoryStore({ dataDir: dir, create: true, env: {} })
  await store.transaction((tx) => tx.pskCredentials.put({
    usage: 'maf', identity: KM_ID, key: new SecretBytes(fromHex(KM_HEX)), owner: { kind: 'configured', ref: KM_ID }, boundEntity: { kind: 'ae', ids: [DEVICE_ID] },
  }))
  const cert = await (await createTestPki('m2msec MAF CA')).issue(MAF_FQDN, { dns: [MAF_FQDN] })
  const events: MafServiceEvent[] = []
  const maf = await createMafService({
    store, config: { fqdn: MAF_FQDN, kcLifetimeMs: 86_400_000, registrationMaxLifetimeMs: 30 * 86_400_000 },
    credential: { certPem: cert.cert, keyPem: cert.key }, onEvent: (e) => events.push(e),
  })
  t.after(async () => {
    await maf.close()
    await store.close()
  })

  const socket = await connectPsk({ port: maf.port, servername: MAF_FQDN, identity: KM_ID, key: new SecretBytes(fromHex(KM_HEX)) })
  const client = createOneM2mClient(socket, { host: MAF_FQDN })
  t.after(() => client.close())
  const missing = await client.send({ op: OPERATION.RETRIEVE, to: 'maf/00112233445566778899AABBCCDDEEFF', fr: DEVICE_ID, rqi: 'k1', rvi: '3' })
  const base = await client.send({ op: OPERATION.RETRIEVE, to: 'maf', fr: DEVICE_ID, rqi: 'b1', rvi: '3' })
  assert.equal(missing.primitive.rsc, 4004)
  const deadline = Date.now() + 5000
  while (events.filter((e) => e.type === 'request').length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))

  const requests = events.flatMap((e) => (e.type === 'request' ? [e] : []))
  assert.deepEqual(requests.map((r) => [r.rqi, r.op, r.rsc]), [['k1', 2, 4004], ['b1', 2, base.primitive.rsc]])
  assert.notEqual(requests[0]?.requestId, requests[1]?.requestId)
  const retrievals = events.flatMap((e) => (e.type === 'key-retrieval' ? [e] : []))
  assert.deepEqual(retrievals.map((r) => [r.outcome, r.requestId]), [['refused', requests[0]?.requestId]])
  const handshakes = events.flatMap((e) => (e.type === 'handshake' ? [e] : []))
  assert.deepEqual(handshakes.map((h) => [h.framework, h.outcome, h.identity]), [['psk', 'ok', KM_ID]])
})
