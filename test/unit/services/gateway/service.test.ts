/**
 * The gateway in one process over real sockets: a TLS-PSK device, the gateway, and a fake upstream
 * CSE (node:http) that answers AE CREATE with an aei and echoes everything else, recording what
 * reached it. Real-process tests (spawned CLI, openssl, curl) build on the same fake.
 */
import assert from 'node:assert/strict'
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test, type TestContext } from 'node:test'
import { SecretBytes, fromHex } from '../../../../src/core/index.js'
import { createGatewayService } from '../../../../src/services/gateway/index.js'
import { connectPsk, pinnedAgent } from '../../../../src/transport/index.js'
import { GATEWAY_CSE_ID, KPSA_HEX, addKpsa, openTestStore } from './gateway-fixtures.js'

const FQDN = 'gw.example.com'
const KPSA_ID = 'dev-1@psk.example.com'

interface Seen { readonly method: string; readonly url: string; readonly origin: string | undefined }

async function fakeCse(t: TestContext): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = []
  const server = createServer((req, res) => {
    const origin = req.headers['x-m2m-origin'] as string | undefined
    seen.push({ method: req.method ?? '', url: req.url ?? '', origin })
    req.resume()
    req.on('end', () => {
      const ri = req.headers['x-m2m-ri'] as string
      const create = /ty=2/.test(String(req.headers['content-type']))
      const aei = origin === 'C' || origin === undefined ? 'Cassigned01' : origin
      const body = create ? JSON.stringify({ 'm2m:ae': { aei, ri: aei, api: 'Nsensor-app', rr: false } }) : JSON.stringify({ 'm2m:dbg': 'echo' })
      res.writeHead(create ? 201 : 200, { 'X-M2M-RSC': create ? '2001' : '2000', 'X-M2M-RI': ri, 'X-M2M-RVI': '3', 'Content-Type': 'application/json' })
      res.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}

async function send(port: number, headers: Record<string, string>, method: string, path: string, body = ''): Promise<{ rsc: string | undefined; body: string; headers: IncomingHttpHeaders }> {
  const socket = await connectPsk({ port, servername: FQDN, identity: KPSA_ID, key: new SecretBytes(fromHex(KPSA_HEX)) })
  const agent = pinnedAgent(socket)
  try {
    return await new Promise((resolve, reject) => {
      const req = httpRequest({ agent, method, path, headers: { Host: FQDN, 'X-M2M-RVI': '3', ...headers } }, (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString()))
        res.on('end', () => resolve({ rsc: res.headers['x-m2m-rsc'] as string | undefined, body: text, headers: res.headers }))
      })
      req.on('error', reject)
      req.end(body)
    })
  } finally {
    agent.destroy()
    socket.destroy()
  }
}

const AE_BODY = JSON.stringify({ 'm2m:ae': { api: 'Nsensor-app', rr: false, srv: ['3'] } })

test('gateway: a PSK device registers by the rules, its binding is stored, impersonation is 4106 and never forwarded (TS-0003 7.2.1)', async (t) => {
  const s = await openTestStore(t)
  await addKpsa(s, KPSA_ID, { credentialId: `12-${KPSA_ID}` })
  await s.store.transaction((tx) => tx.appRules.put({ ruleId: 'r1', applicableCredIds: ['12-*@psk.example.com'], allowedAppIds: ['N*'], allowedAes: ['C*'], allowedRoleIds: [] }))
  const cse = await fakeCse(t)
  const gw = await createGatewayService({ store: s.store, config: { fqdn: FQDN, cseId: GATEWAY_CSE_ID, upstream: { url: cse.url }, saefs: { psk: {} } }, clock: () => s.now })
  t.after(() => gw.close())
  const created = await send(gw.port, { 'X-M2M-Origin': 'C', 'X-M2M-RI': 'r1', 'Content-Type': 'application/json;ty=2' }, 'POST', '/cse-in', AE_BODY)
  assert.equal(created.rsc, '2001', created.body)
  const binding = await s.store.reader.findIdentityBinding(`12-${KPSA_ID}`, s.now)
  assert.deepEqual(binding?.entityIds, ['//m2m.example.com/CSE-B01/Cassigned01'])
  const own = await send(gw.port, { 'X-M2M-Origin': 'Cassigned01', 'X-M2M-RI': 'r2', 'Content-Type': 'application/json;ty=3' }, 'POST', '/cse-in/Cassigned01', JSON.stringify({ 'm2m:cnt': { rn: 'c1' } }))
  assert.equal(own.rsc, '2000')
  const before = cse.seen.length
  const other = await send(gw.port, { 'X-M2M-Origin': 'Cother', 'X-M2M-RI': 'r3' }, 'GET', '/cse-in')
  assert.equal(other.rsc, '4106')
  assert.equal(cse.seen.length, before, 'nothing forwarded')
  assert.deepEqual(cse.seen.map((r) => r.origin), ['C', 'Cassigned01'])
})

test('gateway: rules that do not allow the requested AE-ID refuse the registration with 4126; an unreachable CSE is 5103', async (t) => {
  const s = await openTestStore(t)
  await addKpsa(s, KPSA_ID, { credentialId: `12-${KPSA_ID}` })
  await s.store.transaction((tx) => tx.appRules.put({ ruleId: 'r1', applicableCredIds: ['12-*@psk.example.com'], allowedAppIds: ['N*'], allowedAes: ['Smeter*'], allowedRoleIds: [] }))
  const cse = await fakeCse(t)
  const gw = await createGatewayService({ store: s.store, config: { fqdn: FQDN, cseId: GATEWAY_CSE_ID, upstream: { url: cse.url }, saefs: { psk: {} } }, clock: () => s.now })
  t.after(() => gw.close())
  const refused = await send(gw.port, { 'X-M2M-Origin': 'Cmeter1', 'X-M2M-RI': 'r1', 'Content-Type': 'application/json;ty=2' }, 'POST', '/cse-in', AE_BODY)
  assert.equal(refused.rsc, '4126')
  assert.equal(cse.seen.length, 0)
  const dead = await createGatewayService({ store: s.store, config: { fqdn: FQDN, cseId: GATEWAY_CSE_ID, upstream: { url: 'http://127.0.0.1:1', timeoutMs: 2000 }, saefs: { psk: {} } }, clock: () => s.now })
  t.after(() => dead.close())
  const unreachable = await send(dead.port, { 'X-M2M-Origin': 'Smeter1', 'X-M2M-RI': 'r2', 'Content-Type': 'application/json;ty=2' }, 'POST', '/cse-in', AE_BODY)
  assert.equal(unreachable.rsc, '5103')
})
