/**
 * Entity A's SA1 outlives the gateway closing its connection (D-76; TS-0003 8.2.1 SA1, D-190), in
 * one process over real sockets: the gateway service with a short idle bound, a fake upstream CSE
 * that counts what reaches it, and a TCP relay between device and gateway that counts connections
 * and can drop one. A request that finds its connection already closed runs on a new handshake
 * with the same credential; a revoked credential gets the refusal a first connect gets; a request
 * that was written when the connection dropped is not sent again.
 */
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage } from 'node:http'
import { connect as connectTcp, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net'
import { test, type TestContext } from 'node:test'
import { SecretBytes, fromHex } from '../../../src/core/index.js'
import { connectEntityA, type EntityAOptions, type EntityASession } from '../../../src/client/index.js'
import { RESOURCE_TYPE } from '../../../src/onem2m/index.js'
import { createGatewayService, type GatewayServiceEvent } from '../../../src/services/gateway/index.js'
import { GATEWAY_CSE_ID, KPSA_HEX, addKpsa, openTestStore, type TestStore } from '../services/gateway/gateway-fixtures.js'

const FQDN = 'gw.example.com'
const DEVICE = 'dev-a76@psk.example.com'
const STEM = 'Cdeva'
// Node's http client drops a keep-alive socket at once when the server announces under 2 s
// (`Keep-Alive: timeout=1`), so the bound must be at least 2 s for the pinned connection to stay;
// the server closes keepAliveTimeout + 1 s after the last response.
const IDLE_MS = 2_000
const WAIT_MS = 5_000

/** Resolves with `promise`, or fails naming `what` after `ms`. */
async function within<T>(promise: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)))
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

interface HeldRequest {
  readonly arrived: Promise<void>
  release(): void
}

/** An upstream CSE that answers AE registrations (aei = STEM), CREATEs and RETRIEVEs, and counts them. */
async function fakeCse(t: TestContext): Promise<{ url: string; creates: (ty: number) => number; holdNextCreate(): HeldRequest }> {
  const created = new Map<number, number>()
  let hold: { arrived: () => void; released: Promise<void> } | undefined
  const answer = async (req: IncomingMessage, end: (status: number, rsc: string, body: string) => void): Promise<void> => {
    const ty = Number(/ty=(\d+)/.exec(String(req.headers['content-type']))?.[1] ?? 0)
    if (req.method !== 'POST') return end(200, '2000', '{}')
    created.set(ty, (created.get(ty) ?? 0) + 1)
    if (ty === RESOURCE_TYPE.AE) return end(201, '2001', JSON.stringify({ 'm2m:ae': { aei: STEM, ri: STEM, api: 'Nsensor-app', rr: false } }))
    const held = hold
    hold = undefined
    if (held !== undefined) {
      held.arrived()
      await held.released
    }
    return end(201, '2001', JSON.stringify({ 'm2m:cin': { ri: `cin-${created.get(ty)}`, con: 'reading' } }))
  }
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => void answer(req, (status, rsc, body) => {
      if (res.destroyed) return
      res.writeHead(status, { 'X-M2M-RSC': rsc, 'X-M2M-RI': String(req.headers['x-m2m-ri']), 'X-M2M-RVI': '3', 'Content-Type': 'application/json' })
      res.end(body)
    }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    creates: (ty) => created.get(ty) ?? 0,
    holdNextCreate: () => {
      let arrived = (): void => undefined
      let release = (): void => undefined
      const arrival = new Promise<void>((resolve) => (arrived = resolve))
      hold = { arrived, released: new Promise<void>((resolve) => (release = resolve)) }
      return { arrived: arrival, release: () => release() }
    },
  }
}

interface Relayed {
  /** Resolves once both sides of the relayed connection are closed. */
  readonly closed: Promise<void>
  /**
   * Loses the gateway side and ends the device side, as a middlebox that lost the connection would;
   * `closed` then also means the device has seen the end.
   */
  drop(): void
}

/** A TCP relay to `port` that records each connection a device opens through it. */
async function relay(t: TestContext, port: number): Promise<{ port: number; connections: Relayed[] }> {
  const connections: Relayed[] = []
  const sockets: Socket[] = []
  const server = createTcpServer((device) => {
    const gateway = connectTcp(port, '127.0.0.1')
    sockets.push(device, gateway)
    // By hand rather than pipe(): pipe() stops reading a source whose destination closed, and a
    // device's FIN would then never be read, so `closed` would wait for ever.
    device.on('data', (chunk: Buffer) => gateway.write(chunk))
    gateway.on('data', (chunk: Buffer) => device.write(chunk))
    device.on('end', () => gateway.end())
    gateway.on('end', () => device.end())
    device.on('error', () => gateway.destroy())
    gateway.on('error', () => device.destroy())
    const closed = Promise.all([device, gateway].map((s) => new Promise<void>((resolve) => s.once('close', () => resolve())))).then(() => undefined)
    connections.push({ closed, drop: () => (gateway.destroy(), device.end()) })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy()
    server.close(() => resolve())
  }))
  return { port: (server.address() as AddressInfo).port, connections }
}

interface Setup {
  readonly s: TestStore
  readonly cse: Awaited<ReturnType<typeof fakeCse>>
  readonly relayed: Relayed[]
  readonly options: EntityAOptions
  readonly handshakes: (outcome: string) => number
  readonly recheckSessions: () => Promise<{ readonly checked: number; readonly cut: number }>
}

/** The gateway (PSK SAEF, idle bound IDLE_MS) behind a relay, one Kpsa bound to the device's AE-ID. */
async function setup(t: TestContext): Promise<Setup> {
  const s = await openTestStore(t)
  await addKpsa(s, DEVICE, { credentialId: `12-${DEVICE}`, bound: { kind: 'ae', ids: [`${GATEWAY_CSE_ID}/${STEM}`] } })
  const cse = await fakeCse(t)
  const events: GatewayServiceEvent[] = []
  const gw = await createGatewayService({
    store: s.store, config: { fqdn: FQDN, cseId: GATEWAY_CSE_ID, upstream: { url: cse.url }, saefs: { psk: {} }, sessionRecheckMs: 3_600_000 },
    clock: () => s.now, onEvent: (e) => events.push(e), idleTimeoutMs: IDLE_MS,
  })
  t.after(() => gw.close())
  const r = await relay(t, gw.port)
  return {
    s, cse, relayed: r.connections,
    options: { gatewayUrl: `https://127.0.0.1:${r.port}`, gatewayFqdn: FQDN, credential: { kind: 'psk', identity: DEVICE, key: new SecretBytes(fromHex(KPSA_HEX)) } },
    handshakes: (outcome) => events.filter((e) => e.type === 'handshake' && e.outcome === outcome).length,
    recheckSessions: () => gw.recheckSessions(),
  }
}

async function registered(t: TestContext, x: Setup): Promise<EntityASession> {
  const session = await connectEntityA(x.options)
  t.after(() => session.close())
  await session.registerAe('cse-in', { rn: 'sensor', api: 'Nsensor-app', rr: false })
  assert.equal(session.aeId, STEM)
  return session
}

const reading = { 'm2m:cin': { cnf: 'text/plain:0', con: '21.5' } }

test('D-76: a session left idle past the gateway\'s idle bound sends its next reading over a new SA1 handshake, once', async (t) => {
  const x = await setup(t)
  const session = await registered(t, x)
  await within(x.relayed[0]!.closed, 'the gateway to end the idle connection')

  const cin = await session.create('cse-in/sensor', RESOURCE_TYPE.CONTENT_INSTANCE, reading)
  assert.equal(cin.rsc, 2001)
  assert.equal(x.cse.creates(RESOURCE_TYPE.CONTENT_INSTANCE), 1, 'the reading reached the CSE exactly once')
  assert.equal(x.relayed.length, 2, 'one new connection')
  assert.equal(session.handshakes, 2)
  assert.equal(x.handshakes('ok'), 2)

})

test('D-76: two requests that find the connection closed together share one new handshake', async (t) => {
  const x = await setup(t)
  const session = await registered(t, x)
  x.relayed[0]!.drop()
  await within(x.relayed[0]!.closed, 'the dropped connection to close')
  const [a, b] = await Promise.all([session.retrieve('cse-in/sensor'), session.retrieve('cse-in/sensor')])
  assert.deepEqual([a.rsc, b.rsc], [2000, 2000])
  assert.equal(x.relayed.length, 2)
  assert.equal(session.handshakes, 2)
})

test('D-76: a session whose Kpsa was revoked meanwhile gets M2MSEC_CLIENT_HANDSHAKE_FAILED at its next request, as a first connect does', async (t) => {
  const x = await setup(t)
  const session = await registered(t, x)
  await x.s.store.transaction((tx) => tx.pskCredentials.revokeByOwner('configured', DEVICE, x.s.now))
  assert.deepEqual(await x.recheckSessions(), { checked: 1, cut: 1 })
  await within(x.relayed[0]!.closed, 'the gateway to cut the session of the revoked Kpsa')

  await assert.rejects(session.create('cse-in/sensor', RESOURCE_TYPE.CONTENT_INSTANCE, reading), { code: 'M2MSEC_CLIENT_HANDSHAKE_FAILED' })
  assert.equal(x.cse.creates(RESOURCE_TYPE.CONTENT_INSTANCE), 0)
  assert.equal(session.handshakes, 1)
  await assert.rejects(connectEntityA(x.options), { code: 'M2MSEC_CLIENT_HANDSHAKE_FAILED' })
  // Once per request: the next request tries one handshake again, and is refused again.
  await assert.rejects(session.retrieve('cse-in/sensor'), { code: 'M2MSEC_CLIENT_HANDSHAKE_FAILED' })
  assert.equal(x.handshakes('refused'), 3, 'one refused handshake per request and one for the fresh connect')
})

test('D-76: a CREATE in flight when the connection drops fails with M2MSEC_CLIENT_UNREACHABLE and is not sent again; the next request reconnects', async (t) => {
  const x = await setup(t)
  const session = await registered(t, x)
  const held = x.cse.holdNextCreate()
  const inFlight = session.create('cse-in/sensor', RESOURCE_TYPE.CONTENT_INSTANCE, reading)
  await within(held.arrived, 'the CREATE to reach the CSE')
  x.relayed[0]!.drop()

  await assert.rejects(inFlight, { code: 'M2MSEC_CLIENT_UNREACHABLE' })
  held.release()
  assert.equal(x.relayed.length, 1, 'no new connection was opened to resend it')
  assert.equal(session.handshakes, 1)
  assert.equal(x.cse.creates(RESOURCE_TYPE.CONTENT_INSTANCE), 1)

  assert.equal((await session.retrieve('cse-in/sensor')).rsc, 2000)
  assert.equal(x.relayed.length, 2)
  assert.equal(x.cse.creates(RESOURCE_TYPE.CONTENT_INSTANCE), 1, 'the dropped CREATE was not replayed on the new connection')
})

test('D-76: closing the session while a request re-establishes SA1 ends that request with M2MSEC_CLIENT_SESSION_CLOSED', async (t) => {
  const x = await setup(t)
  const session = await registered(t, x)
  x.relayed[0]!.drop()
  await within(x.relayed[0]!.closed, 'the dropped connection to close')
  const pending = session.retrieve('cse-in/sensor')
  session.close()
  await assert.rejects(pending, { code: 'M2MSEC_CLIENT_SESSION_CLOSED' })
  await assert.rejects(session.retrieve('cse-in/sensor'), { code: 'M2MSEC_CLIENT_SESSION_CLOSED' })
  assert.equal(x.cse.creates(RESOURCE_TYPE.CONTENT_INSTANCE), 0)
})
