// HTTP/1.1 over the TLS listeners: each request sees its connection's authenticated identity and
// binding, and a pinned client sends a request over the very TLS session whose exporter it used
// (TS-0003 8.8.2.7 key registration).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { SecretBytes, toHex } from '../../src/core/index.js'
import {
  connectPsk,
  createPskServer,
  createSecureHttpServer,
  exportKeyingMaterial,
  pinnedAgent,
  requestConnection,
  type TransportError,
} from '../../src/transport/index.js'

const KEY = new SecretBytes(Buffer.from('0BADF00D0BADF00D0BADF00D0BADF00D', 'hex'))
const LABEL = 'EXPORTER-oneM2M-Connection'

function get(agent: ReturnType<typeof pinnedAgent>, port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: '127.0.0.1', port, path, headers: { host: 'maf.m2msec.example' } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

test('each HTTP request carries its TLS identity and binding; a pinned request exports from its own session', async (t) => {
  const listener = createPskServer<{ aeId: string }>({ resolve: async (identity) => ({ key: KEY, binding: { aeId: `C${identity}` } }) })
  const http = createSecureHttpServer(listener, (req, res) => {
    const connection = requestConnection<{ aeId: string }>(req)
    const exported = toHex(exportKeyingMaterial(connection.socket, LABEL, 48).reveal())
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ aeId: connection.binding.aeId, identity: connection.peer.kind === 'psk' ? connection.peer.identity : '', exported }))
  })
  const { port } = await listener.listen()
  t.after(async () => {
    http.closeAllConnections()
    http.close()
    await listener.close()
  })
  const sessions = await Promise.all(['dev-a', 'dev-b'].map((identity) => connectPsk({ port, servername: 'maf.m2msec.example', identity, key: KEY })))
  for (const [i, socket] of sessions.entries()) {
    const agent = pinnedAgent(socket)
    const mine = toHex(exportKeyingMaterial(socket, LABEL, 48).reveal())
    for (let n = 0; n < 2; n++) {
      const reply = await get(agent, port, `/reg/${n}`)
      assert.equal(reply.status, 200)
      const body = JSON.parse(reply.body) as { aeId: string; identity: string; exported: string }
      assert.equal(body.identity, i === 0 ? 'dev-a' : 'dev-b')
      assert.equal(body.aeId, i === 0 ? 'Cdev-a' : 'Cdev-b')
      assert.equal(body.exported, mine, 'server exported from the same TLS session the request used')
    }
    socket.destroy()
    await assert.rejects(get(agent, port, '/after-close'), (e: TransportError) => e.code === 'M2MSEC_TLS_NOT_ESTABLISHED')
    agent.destroy()
  }
})
