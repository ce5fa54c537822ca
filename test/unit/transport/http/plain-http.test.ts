// oneM2M primitives over plain HTTP (TS-0009 without TLS, for loopback/private hops): the server
// decodes and answers every request, errors included, as a oneM2M response; the client sends a
// primitive to a URL whose path, not `to`, decides where it lands.
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { RSC, refused, type RequestPrimitive } from '../../../../src/onem2m/index.js'
import { createPlainOneM2mHttpServer, sendPlainOneM2mRequest } from '../../../../src/transport/http/plain-http.js'

async function serve(t: { after: (fn: () => Promise<void>) => void }, seen: RequestPrimitive[]): Promise<number> {
  const server = createPlainOneM2mHttpServer(async (p) => {
    seen.push(p)
    if (p.to === 'deny') throw refused(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, 'no')
    return { response: { rsc: RSC.OK, rqi: p.rqi, ...(p.rvi ? { rvi: p.rvi } : {}), pc: { 'm2m:dbg': `to=${p.to}` } } }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return (server.address() as AddressInfo).port
}

test('a NOTIFY sent to a URL arrives at that path with its primitive parameters (TS-0009 §6.2)', async (t) => {
  const seen: RequestPrimitive[] = []
  const port = await serve(t, seen)
  const answer = await sendPlainOneM2mRequest(`http://127.0.0.1:${port}/hooks/ae1`, { op: 5, to: '/in-cse', fr: '/in-cse', rqi: 'n1', rvi: '3', pc: { 'm2m:sgn': { vrq: true } } })
  assert.equal(answer.primitive.rsc, 2000)
  assert.equal(answer.primitive.rqi, 'n1')
  assert.equal(seen[0]?.op, 5)
  assert.equal(seen[0]?.to, 'hooks/ae1')
  assert.equal(seen[0]?.fr, '/in-cse')
  assert.deepEqual(seen[0]?.pc, { 'm2m:sgn': { vrq: true } })
})

test('a handler refusal and an undecodable request both come back as oneM2M errors', async (t) => {
  const port = await serve(t, [])
  const denied = await sendPlainOneM2mRequest(`http://127.0.0.1:${port}/deny`, { op: 2, to: 'x', fr: 'Ca', rqi: 'd1', rvi: '3' })
  assert.equal(denied.primitive.rsc, 4103)
  const raw = await fetch(`http://127.0.0.1:${port}/x`, { headers: { 'X-M2M-Origin': 'Ca' } })
  assert.equal(raw.headers.get('x-m2m-rsc'), '4000', 'X-M2M-RI is missing')
})

test('the client refuses a non-http URL and reports an unreachable target', async () => {
  const p: RequestPrimitive = { op: 5, to: 'x', fr: '/in-cse', rqi: 'n', pc: {} }
  await assert.rejects(sendPlainOneM2mRequest('mqtt://127.0.0.1/x', p), { code: 'M2MSEC_HTTP_EXCHANGE_FAILED' })
  await assert.rejects(sendPlainOneM2mRequest('not a url', p), { code: 'M2MSEC_HTTP_EXCHANGE_FAILED' })
  await assert.rejects(sendPlainOneM2mRequest('http://127.0.0.1:1/x', p, { timeoutMs: 2000 }), { code: 'M2MSEC_HTTP_EXCHANGE_FAILED' })
})
