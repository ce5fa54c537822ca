/**
 * service.ts wiring of live sessions and the audit trail (issue 7), in one process over real
 * sockets: TLS-PSK devices, the gateway, and a fake upstream CSE. `recheckSessions` cuts only the
 * association whose Kpsa was revoked; the interval recheck does the same without a call; the
 * audit chain holds the refused handshake, the 4106 refusal, the registration and the cut.
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { test, type TestContext } from 'node:test'
import { SecretBytes, fromHex } from '../../../../src/core/index.js'
import { createGatewayService, type GatewayServiceEvent } from '../../../../src/services/gateway/index.js'
import { connectPsk, createOneM2mClient } from '../../../../src/transport/index.js'
import { GATEWAY_CSE_ID, KPSA_HEX, addKpsa, openTestStore } from './gateway-fixtures.js'

const FQDN = 'gw.example.com'
const A = 'dev-a@psk.example.com'
const B = 'dev-b@psk.example.com'
const AE_A = `${GATEWAY_CSE_ID}/Cdeva`

async function fakeCse(t: TestContext): Promise<string> {
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const create = /ty=2/.test(String(req.headers['content-type']))
      const body = create ? JSON.stringify({ 'm2m:ae': { aei: 'Cdeva', ri: 'Cdeva', api: 'Nsensor-app', rr: false } }) : '{}'
      res.writeHead(create ? 201 : 200, { 'X-M2M-RSC': create ? '2001' : '2000', 'X-M2M-RI': String(req.headers['x-m2m-ri']), 'X-M2M-RVI': '3', 'Content-Type': 'application/json' })
      res.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function closed(socket: TLSSocket, what: string, ms = 5000): Promise<void> {
  if (socket.destroyed) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what} to close`)), ms)
    socket.once('close', () => (clearTimeout(timer), resolve()))
  })
}

async function device(t: TestContext, port: number, identity: string): Promise<TLSSocket> {
  const socket = await connectPsk({ port, servername: FQDN, identity, key: new SecretBytes(fromHex(KPSA_HEX)) })
  t.after(() => socket.destroy())
  return socket
}

test('gateway: recheckSessions cuts only the live session of a revoked Kpsa; the audit chain records refusals, registration and the cut', async (t) => {
  const s = await openTestStore(t)
  await addKpsa(s, A, { credentialId: `12-${A}`, bound: { kind: 'ae', ids: [AE_A] } })
  await addKpsa(s, B, { credentialId: `12-${B}` })
  const events: GatewayServiceEvent[] = []
  const gw = await createGatewayService({
    store: s.store, config: { fqdn: FQDN, cseId: GATEWAY_CSE_ID, upstream: { url: await fakeCse(t) }, saefs: { psk: {} }, sessionRecheckMs: 3_600_000 },
    clock: () => s.now, onEvent: (e) => events.push(e),
  })
  t.after(() => gw.close())

  const a = await device(t, gw.port, A)
  const client = createOneM2mClient(a, { host: FQDN })
  const reg = await client.send({ op: 1, to: 'cse-in', fr: 'C', ty: 2, rqi: 'r1', rvi: '3', pc: { 'm2m:ae': { api: 'Nsensor-app', rr: false, srv: ['3'] } } })
  assert.equal(reg.primitive.rsc, 2001)
  const impersonation = await client.send({ op: 2, to: 'cse-in', fr: 'Cother', rqi: 'r2', rvi: '3' })
  assert.equal(impersonation.primitive.rsc, 4106)
  const b = await device(t, gw.port, B)
  await assert.rejects(connectPsk({ port: gw.port, servername: FQDN, identity: 'nobody@psk.example.com', key: new SecretBytes(fromHex(KPSA_HEX)) }))

  assert.deepEqual(await gw.recheckSessions(), { checked: 2, cut: 0 })
  await s.store.transaction((tx) => tx.pskCredentials.revokeByOwner('configured', B, s.now))
  assert.deepEqual(await gw.recheckSessions([`12-${A}`]), { checked: 1, cut: 0 }, 'only the named credential is looked at')
  assert.deepEqual(await gw.recheckSessions([`12-${B}`]), { checked: 1, cut: 1 })
  await closed(b, 'the revoked device session')
  assert.equal(a.destroyed, false, 'the other device keeps its session')
  assert.ok(events.some((e) => e.type === 'session-cut' && e.credentialId === `12-${B}` && e.reason === 'revoked'))

  await gw.close()
  const audit = await s.store.transaction((tx) => tx.audit.list())
  const rows = audit.map((e) => [e.actor, e.action, e.outcome, e.subject['identity'] ?? e.subject['fr'] ?? e.subject['aeId'] ?? e.subject['credentialId']])
  assert.deepEqual(rows, [
    ['gateway', 'gateway.registration', 'ok', AE_A],
    ['gateway', 'gateway.request', 'refused:4106', 'Cother'],
    ['gateway', 'gateway.handshake', 'refused:unknown-identity', 'nobody@psk.example.com'],
    ['gateway', 'gateway.session-cut', 'cut:revoked', B],
  ])
})

test('gateway: the interval recheck (sessionRecheckMs) cuts a session whose Kpsa another writer removed', async (t) => {
  const s = await openTestStore(t)
  await addKpsa(s, A, { credentialId: `12-${A}` })
  const gw = await createGatewayService({
    store: s.store, config: { fqdn: FQDN, cseId: GATEWAY_CSE_ID, upstream: { url: await fakeCse(t) }, saefs: { psk: {} }, sessionRecheckMs: 100 }, clock: () => s.now,
  })
  t.after(() => gw.close())
  const a = await device(t, gw.port, A)
  await s.store.transaction((tx) => tx.pskCredentials.delete('saef', A))
  await closed(a, 'the session of the removed Kpsa', 3000)
})

test('gateway: sessionRecheckMs and fetchedKeyMaxAgeMs must be positive', async (t) => {
  const s = await openTestStore(t)
  const config = { fqdn: FQDN, cseId: GATEWAY_CSE_ID, upstream: { url: 'http://127.0.0.1:9' }, saefs: { psk: {} } }
  await assert.rejects(createGatewayService({ store: s.store, config: { ...config, sessionRecheckMs: 0 } }), { code: 'M2MSEC_GATEWAY_CONFIG_INVALID' })
  await assert.rejects(createGatewayService({ store: s.store, config: { ...config, fetchedKeyMaxAgeMs: -1 } }), { code: 'M2MSEC_GATEWAY_CONFIG_INVALID' })
})
