/**
 * The gateway's events for logs and metrics (issue 8), in one process over real sockets: one
 * `handshake` per TLS connection with the SAEF that ran and its outcome, one `key-fetch` per Kpsa
 * the MEF was asked for (ok, refused, failed), one `request` per request with the request id the
 * device receives as x-request-id — the gateway's, not the one the upstream CSE sent.
 */
import assert from 'node:assert/strict'
import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test, type TestContext } from 'node:test'
import { SecretBytes, fromHex } from '../../../../src/core/index.js'
import { createGatewayService, type GatewayServiceEvent } from '../../../../src/services/gateway/index.js'
import type { KeyFetchOutcome } from '../../../../src/services/gateway/saef/index.js'
import { connectPsk, pinnedAgent } from '../../../../src/transport/index.js'
import { FETCHED_HEX, GATEWAY_CSE_ID, KPSA_HEX, addKpsa, openTestStore } from './gateway-fixtures.js'

const FQDN = 'gw.example.com'
const MEF = 'mef.example.com'
const KPSA_ID = 'dev-1@psk.example.com'
const KE_OK = `${'0A'.repeat(16)}@${MEF}`
const KE_REFUSED = `${'0B'.repeat(16)}@${MEF}`
const KE_FAILING = `${'0C'.repeat(16)}@${MEF}`
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** An upstream CSE that answers 2000 with its own x-request-id. */
async function upstream(t: TestContext): Promise<string> {
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'X-M2M-RSC': '2000', 'X-M2M-RI': String(req.headers['x-m2m-ri']), 'X-M2M-RVI': '3', 'X-Request-Id': 'upstream-id', 'Content-Type': 'application/json' })
      res.end('{"m2m:dbg":"ok"}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function eventually(events: readonly GatewayServiceEvent[], match: (e: GatewayServiceEvent) => boolean, what: string): Promise<GatewayServiceEvent> {
  const deadline = Date.now() + 5000
  for (;;) {
    const found = events.find(match)
    if (found !== undefined) return found
    if (Date.now() > deadline) throw new Error(`no ${what} event in ${JSON.stringify(events)}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

test('gateway events: a handshake per connection by SAEF and outcome, a key-fetch per MEF fetch, a request with the x-request-id the device got', async (t) => {
  const s = await openTestStore(t)
  await addKpsa(s, KPSA_ID, { credentialId: `12-${KPSA_ID}`, bound: { kind: 'ae', ids: [`${GATEWAY_CSE_ID}/Cdev1`] } })
  const kpsaFetcher = async (keId: string): Promise<KeyFetchOutcome> => {
    if (keId === KE_OK) return { ok: true, key: new SecretBytes(fromHex(FETCHED_HEX)), ownerId: '//m2m.example.com/Sdev7', expiresAt: new Date(s.now.getTime() + 60_000) }
    if (keId === KE_REFUSED) return { ok: false, rsc: 4004 }
    throw new Error('MEF unreachable')
  }
  const events: GatewayServiceEvent[] = []
  const gw = await createGatewayService({
    store: s.store, config: { fqdn: FQDN, cseId: GATEWAY_CSE_ID, upstream: { url: await upstream(t) }, saefs: { psk: { mefFqdn: MEF } }, sa2: false },
    clock: () => s.now, kpsaFetcher, onEvent: (e) => events.push(e),
  })
  t.after(() => gw.close())

  const socket = await connectPsk({ port: gw.port, servername: FQDN, identity: KPSA_ID, key: new SecretBytes(fromHex(KPSA_HEX)) })
  const agent = pinnedAgent(socket)
  const answer = await new Promise<{ rsc: unknown; requestId: unknown }>((resolve, reject) => {
    const req = httpRequest({ agent, method: 'GET', path: '/cse-in', headers: { Host: FQDN, 'X-M2M-Origin': 'Cdev1', 'X-M2M-RI': 'q1', 'X-M2M-RVI': '3' } }, (res) => {
      res.resume()
      res.on('end', () => resolve({ rsc: res.headers['x-m2m-rsc'], requestId: res.headers['x-request-id'] }))
    })
    req.on('error', reject)
    req.end()
  })
  agent.destroy()
  socket.destroy()
  assert.equal(answer.rsc, '2000')
  assert.match(String(answer.requestId), UUID_RE, 'the gateway id replaces the upstream one')
  const request = await eventually(events, (e) => e.type === 'request', 'request')
  assert.deepEqual(request.type === 'request' && [request.requestId, request.rsc, request.op, request.fr, request.rqi], [answer.requestId, 2000, 2, 'Cdev1', 'q1'])

  const fetched = await connectPsk({ port: gw.port, servername: FQDN, identity: KE_OK, key: new SecretBytes(fromHex(FETCHED_HEX)) })
  fetched.destroy()
  await assert.rejects(connectPsk({ port: gw.port, servername: FQDN, identity: KE_REFUSED, key: new SecretBytes(fromHex(FETCHED_HEX)) }))
  await assert.rejects(connectPsk({ port: gw.port, servername: FQDN, identity: KE_FAILING, key: new SecretBytes(fromHex(FETCHED_HEX)) }))
  await eventually(events, (e) => e.type === 'handshake' && e.identity === KE_FAILING, 'failed handshake')

  const handshakes = events.flatMap((e) => (e.type === 'handshake' ? [[e.identity, e.framework, e.outcome, e.reason ?? null]] : []))
  assert.deepEqual(handshakes, [
    [KPSA_ID, 'psk', 'ok', null],
    [KE_OK, 'psk', 'ok', null],
    [KE_REFUSED, 'psk', 'refused', 'M2MSEC_TLS_PSK_UNKNOWN_IDENTITY'],
    [KE_FAILING, 'psk', 'failed', 'M2MSEC_TLS_RESOLVE_FAILED'],
  ])
  for (const e of events) if (e.type === 'handshake' || e.type === 'key-fetch' || e.type === 'request') assert.ok(e.durationMs >= 0)
  assert.deepEqual(events.flatMap((e) => (e.type === 'key-fetch' ? [[e.server, e.outcome]] : [])), [['mef', 'ok'], ['mef', 'refused'], ['mef', 'failed']])
})
