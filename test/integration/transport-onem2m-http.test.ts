// oneM2M primitives over the secure HTTP server and the pinned client: the handler sees the
// decoded primitive with its connection's binding; every failure reaches the peer as a oneM2M
// error response with the right rsc (never a hang, never a secret).
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { connect } from 'node:tls'
import { SecretBytes } from '../../src/core/index.js'
import { DEFAULT_LIMITS, OneM2mError, RSC, type RequestPrimitive } from '../../src/onem2m/index.js'
import { connectPsk, createOneM2mClient, createOneM2mHttpServer, createPskServer } from '../../src/transport/index.js'

const KEY_HEX = '5EC12E75EC12E75EC12E75EC12E75EC1'
const KEY = new SecretBytes(Buffer.from(KEY_HEX, 'hex'))
const HOST = 'mef.m2msec.example'

async function startServer(t: TestContext, handler: Parameters<typeof createOneM2mHttpServer<{ aeId: string }>>[1]) {
  const listener = createPskServer<{ aeId: string }>({ resolve: async (identity) => ({ key: KEY, binding: { aeId: `C${identity}` } }) })
  const errors: unknown[] = []
  const server = createOneM2mHttpServer(listener, handler, { onError: (error) => errors.push(error), limits: { ...DEFAULT_LIMITS, maxBodyBytes: 4096 } })
  const { port } = await listener.listen()
  t.after(async () => {
    server.closeAllConnections()
    server.close()
    await listener.close()
  })
  return { port, errors }
}

const retrieve = (rqi: string, to = 'mef'): RequestPrimitive => ({ op: 2, to, fr: '//sp.example.com/Cdev', rqi, rvi: '3' })

test('a request primitive reaches the handler with its binding, and the response comes back decoded', async (t) => {
  const { port } = await startServer(t, async (request, context) => ({
    response: { rsc: RSC.OK, rqi: request.rqi, rvi: request.rvi ?? '3', pc: { 'm2m:dbg': `${context.connection.binding.aeId} ${request.to} ${context.host}` } },
  }))
  const client = createOneM2mClient(await connectPsk({ port, servername: HOST, identity: 'dev1', key: KEY }), { host: HOST })
  t.after(() => client.close())
  for (const rqi of ['r1', 'r2']) {
    const { primitive } = await client.send(retrieve(rqi))
    assert.equal(primitive.rsc, RSC.OK)
    assert.equal(primitive.rqi, rqi)
    assert.deepEqual(primitive.pc, { 'm2m:dbg': `Cdev1 mef ${HOST}` })
  }
})

test('a handler failure becomes its rsc; an unexpected one becomes 5000 without its message', async (t) => {
  const { port, errors } = await startServer(t, async (request) => {
    if (request.to === 'mef/missing') throw new OneM2mError('M2MSEC_ONEM2M_REFUSED', 'not-found', 'no such registration', { rsc: RSC.NOT_FOUND })
    throw new Error(`database exploded near key ${KEY_HEX}`)
  })
  const client = createOneM2mClient(await connectPsk({ port, servername: HOST, identity: 'dev1', key: KEY }), { host: HOST })
  t.after(() => client.close())
  const missing = await client.send(retrieve('r1', 'mef/missing'))
  assert.equal(missing.primitive.rsc, RSC.NOT_FOUND)
  assert.equal(missing.primitive.rqi, 'r1')
  const broken = await client.send(retrieve('r2'))
  assert.equal(broken.primitive.rsc, RSC.INTERNAL_SERVER_ERROR)
  assert.ok(!JSON.stringify(broken.primitive.pc).includes(KEY_HEX), 'internal error text never reaches the peer')
  assert.equal(errors.length, 2, 'every failure is reported to onError')
})

function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', servername: HOST, pskCallback: () => ({ psk: Buffer.from(KEY_HEX, 'hex'), identity: 'raw' }), ciphers: 'PSK-AES128-CBC-SHA256', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', checkServerIdentity: () => undefined })
    let text = ''
    socket.setEncoding('utf8')
    socket.on('secureConnect', () => socket.write(request))
    socket.on('data', (d: string) => {
      text += d
      if (/\r\n\r\n/.test(text) && /content-length: (\d+)/i.test(text)) {
        const length = Number(/content-length: (\d+)/i.exec(text)![1])
        if (Buffer.byteLength(text.split('\r\n\r\n')[1] ?? '') >= length) socket.end()
      }
    })
    socket.on('end', () => resolve(text))
    socket.on('close', () => resolve(text))
    socket.on('error', reject)
  })
}

test('malformed and oversized requests get 4000 with X-M2M-RI echoed and never reach the handler', async (t) => {
  let calls = 0
  const { port } = await startServer(t, async (request) => {
    calls++
    return { response: { rsc: RSC.OK, rqi: request.rqi } }
  })
  const badJson = await rawExchange(port, `POST /mef HTTP/1.1\r\nHost: ${HOST}\r\nX-M2M-Origin: Cdev\r\nX-M2M-RI: bad1\r\nX-M2M-RVI: 3\r\nContent-Type: application/json;ty=32004\r\nContent-Length: 5\r\n\r\n{"a":`)
  assert.match(badJson, /x-m2m-rsc: 4000/i)
  assert.match(badJson, /x-m2m-ri: bad1/i)
  const big = 'x'.repeat(5000)
  const oversized = await rawExchange(port, `POST /mef HTTP/1.1\r\nHost: ${HOST}\r\nX-M2M-Origin: Cdev\r\nX-M2M-RI: big1\r\nContent-Type: application/json;ty=32004\r\nContent-Length: ${big.length}\r\n\r\n${big}`)
  assert.match(oversized, /x-m2m-rsc: 4000/i)
  assert.equal(calls, 0)
})
