// What the transport tells services for logs and metrics (issue 8): every accepted TCP connection
// ends in exactly one 'handshake' summary (ok / refused / failed, the framework tried, the code,
// the duration), and every oneM2M request gets a request id that the client receives as
// x-request-id and the service receives in its context, onError and onServed.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { connect as connectNet, type AddressInfo } from 'node:net'
import { test } from 'node:test'
import { SecretBytes } from '../../src/core/index.js'
import { RSC, refused } from '../../src/onem2m/index.js'
import {
  connectPsk, createPlainOneM2mHttpServer, createPskServer, sendPlainOneM2mRequest, type HandshakeSummary, type PlainOneM2mRequestContext, type ServedRequest,
} from '../../src/transport/index.js'

const KEY = new SecretBytes(randomBytes(32))
const SNI = 'mef.m2msec.example'
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

async function waitFor<T>(list: readonly T[], count: number, what: string): Promise<void> {
  const deadline = Date.now() + 5000
  while (list.length < count) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} ${what}, got ${JSON.stringify(list)}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

test('each handshake ends in one summary: ok with its framework and duration, an unknown identity refused, garbage failed', async (t) => {
  const server = createPskServer<string>({
    resolve: async (identity) => {
      await new Promise((r) => setTimeout(r, 50))
      return identity === 'known@psk.example' ? { key: KEY, binding: identity } : null
    },
    handshakeTimeoutMs: 2000,
  })
  const { port } = await server.listen()
  const summaries: HandshakeSummary[] = []
  server.on('handshake', (s: HandshakeSummary) => summaries.push(s))
  t.after(() => server.close(100))

  const socket = await connectPsk({ port, servername: SNI, identity: 'known@psk.example', key: KEY })
  await waitFor(summaries, 1, 'handshake summaries')
  socket.destroy()
  await assert.rejects(connectPsk({ port, servername: SNI, identity: 'stranger@psk.example', key: KEY }))
  await waitFor(summaries, 2, 'handshake summaries')
  const raw = connectNet(port, '127.0.0.1', () => raw.end(Buffer.from('GET / HTTP/1.1\r\n\r\n')))
  await waitFor(summaries, 3, 'handshake summaries')

  const [ok, unknown, garbage] = summaries
  assert.deepEqual([ok?.outcome, ok?.framework, ok?.identity, ok?.sni, ok?.code], ['ok', 'psk', 'known@psk.example', SNI, undefined])
  assert.ok(ok!.durationMs >= 45, `the look-up is inside the measured time: ${ok!.durationMs} ms`)
  assert.deepEqual([unknown?.outcome, unknown?.framework, unknown?.identity, unknown?.code], ['refused', 'psk', 'stranger@psk.example', 'M2MSEC_TLS_PSK_UNKNOWN_IDENTITY'])
  assert.deepEqual([garbage?.outcome, garbage?.framework, garbage?.identity], ['failed', undefined, undefined])
  assert.match(String(garbage?.code), /^M2MSEC_TLS_/)
  await new Promise((r) => setTimeout(r, 50))
  assert.equal(summaries.length, 3, 'exactly one summary per connection')
})

test('every request gets its own id: sent back as x-request-id, given to the handler, onError and onServed with the rsc', async (t) => {
  const contexts: PlainOneM2mRequestContext[] = []
  const served: ServedRequest[] = []
  const errors: string[] = []
  const server = createPlainOneM2mHttpServer(async (p, context) => {
    contexts.push(context)
    if (p.to === 'deny') throw refused(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, 'no')
    return { response: { rsc: RSC.OK, rqi: p.rqi, pc: {} } }
  }, { onServed: (s) => served.push(s), onError: (_e, _r, requestId) => errors.push(requestId) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const ok = await fetch(`${base}/x`, { headers: { 'X-M2M-Origin': 'Ca', 'X-M2M-RI': 'r1', 'X-M2M-RVI': '3' } })
  const denied = await fetch(`${base}/deny`, { headers: { 'X-M2M-Origin': 'Ca', 'X-M2M-RI': 'r2', 'X-M2M-RVI': '3' } })
  const malformed = await fetch(`${base}/x`, { headers: { 'X-M2M-Origin': 'Ca' } })
  await sendPlainOneM2mRequest(`${base}/y`, { op: 2, to: 'y', fr: 'Ca', rqi: 'r3', rvi: '3' })
  await waitFor(served, 4, 'served requests')

  const ids = [ok, denied, malformed].map((r) => r.headers.get('x-request-id'))
  for (const id of ids) assert.match(String(id), UUID_RE)
  assert.equal(new Set([...ids, served[3]?.requestId]).size, 4, 'a fresh id per request')
  assert.deepEqual(served.slice(0, 3).map((s) => [s.requestId, s.rsc, s.request?.rqi]), [[ids[0], 2000, 'r1'], [ids[1], 4103, 'r2'], [ids[2], 4000, undefined]])
  assert.deepEqual(contexts.slice(0, 2).map((c) => c.requestId), ids.slice(0, 2), 'the handler sees the id it answers under')
  assert.deepEqual(errors, ids.slice(1, 3), 'onError gets the id of the failed request')
  for (const s of served) assert.ok(s.durationMs >= 0 && s.durationMs < 5000)
})
