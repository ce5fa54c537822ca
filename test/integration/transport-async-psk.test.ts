// Asynchronous PSK resolution (ARCHITECTURE.md §3, TS-0003 10.2.2 / RFC 4279): our listener
// against our own Node client over loopback. Interop with OpenSSL is in test/interop/.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { connect as connectNet, createServer as createNetServer, type AddressInfo } from 'node:net'
import { SecretBytes } from '../../src/core/index.js'
import {
  connectPsk,
  createPskServer,
  exportKeyingMaterial,
  type HandshakeInfo,
  type PskResolver,
  type SecureConnection,
  type TransportError,
} from '../../src/transport/index.js'
import { byteByByteProxy } from '../support/tls-fixtures.js'

const LABEL = 'EXPORTER-oneM2M-Bootstrap'
const KEY = new SecretBytes(Buffer.from('5A17C0DE5A17C0DE5A17C0DE5A17C0DE', 'hex'))
const SNI = 'mef.m2msec.example'

async function start<B>(t: { after: (fn: () => Promise<void>) => void }, resolve: PskResolver<B>, handshakeTimeoutMs = 5000) {
  const server = createPskServer<B>({ resolve, handshakeTimeoutMs })
  const { port } = await server.listen()
  const errors: { error: TransportError; info: HandshakeInfo }[] = []
  server.on('handshakeError', (error: TransportError, info: HandshakeInfo) => errors.push({ error, info }))
  const connections: SecureConnection<B>[] = []
  server.on('connection', (c: SecureConnection<B>) => connections.push(c))
  t.after(async () => {
    for (const c of connections) c.socket.destroy()
    await server.close()
  })
  return { server, port, errors, connections }
}

async function nextHandshakeError(server: { once: (e: string, f: (...a: unknown[]) => void) => unknown }): Promise<TransportError> {
  const [error] = (await once(server as never, 'handshakeError')) as [TransportError]
  return error
}

test('PSK listener resolves 100 concurrent identities at once while each look-up takes 200 ms', async (t) => {
  let inFlight = 0
  let maxInFlight = 0
  const { port, connections } = await start<string>(t, async (identity, sni) => {
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    await new Promise((r) => setTimeout(r, 200))
    inFlight--
    return { key: KEY, binding: `${identity}|${sni}` }
  })
  const sockets = await Promise.all(
    Array.from({ length: 100 }, (_, i) => connectPsk({ port, servername: SNI, identity: `dev-${i}@psk.example`, key: KEY })),
  )
  t.after(() => sockets.forEach((s) => s.destroy()))
  assert.equal(sockets.length, 100)
  assert.ok(maxInFlight >= 50, `resolutions overlapped: at most ${maxInFlight} in flight`)
  while (connections.length < 100) await new Promise((r) => setImmediate(r))
  const bindings = new Set(connections.map((c) => c.binding))
  assert.equal(bindings.size, 100)
  assert.ok(bindings.has(`dev-7@psk.example|${SNI}`))
  for (const c of connections) assert.equal(c.framework, 'psk')
})

test('the binding, identity, SNI and exported keying material travel with the established connection', async (t) => {
  const { server, port } = await start<{ aeId: string }>(t, async (identity) => (identity === 'dev-1' ? { key: KEY, binding: { aeId: 'Cdev1' } } : null))
  const established = once(server, 'connection') as Promise<[SecureConnection<{ aeId: string }>]>
  const client = await connectPsk({ port, servername: SNI, identity: 'dev-1', key: KEY })
  t.after(() => client.destroy())
  const [connection] = await established
  assert.deepEqual(connection.binding, { aeId: 'Cdev1' })
  assert.deepEqual(connection.peer, { kind: 'psk', identity: 'dev-1' })
  assert.equal(connection.sni, SNI)
  assert.equal(connection.cipher, 'TLS_PSK_WITH_AES_128_CBC_SHA256')
  const ours = exportKeyingMaterial(client, LABEL, 48)
  const theirs = exportKeyingMaterial(connection.socket, LABEL, 48)
  assert.equal(ours.length, 48)
  assert.ok(ours.equals(theirs))
  assert.ok(!ours.equals(exportKeyingMaterial(client, 'EXPORTER-oneM2M-Connection', 48)))
})

test('an unknown identity ends the handshake with the unknown_psk_identity alert', async (t) => {
  const { server, port } = await start<string>(t, async () => null)
  const serverError = nextHandshakeError(server)
  await assert.rejects(connectPsk({ port, servername: SNI, identity: 'nobody', key: KEY }), (e: TransportError) => {
    assert.equal(e.code, 'M2MSEC_TLS_HANDSHAKE_FAILED')
    assert.equal((e.cause as { code?: string }).code, 'ERR_SSL_TLSV1_ALERT_UNKNOWN_PSK_IDENTITY')
    return true
  })
  assert.equal((await serverError).code, 'M2MSEC_TLS_PSK_UNKNOWN_IDENTITY')
})

test('a wrong key fails the handshake on both sides', async (t) => {
  const { server, port } = await start<string>(t, async () => ({ key: KEY, binding: 'x' }))
  const serverError = nextHandshakeError(server)
  const wrong = new SecretBytes(Buffer.from('5A17C0DE5A17C0DE5A17C0DE5A17C0DF', 'hex'))
  await assert.rejects(connectPsk({ port, servername: SNI, identity: 'dev-1', key: wrong }), { code: 'M2MSEC_TLS_HANDSHAKE_FAILED' })
  assert.equal((await serverError).code, 'M2MSEC_TLS_HANDSHAKE_FAILED')
})

test('a resolver that throws ends the handshake with internal_error and reaches the resolveError event', async (t) => {
  const { server, port } = await start<string>(t, async () => {
    throw new Error('database down')
  })
  const resolveError = once(server, 'resolveError')
  const serverError = nextHandshakeError(server)
  await assert.rejects(connectPsk({ port, servername: SNI, identity: 'dev-1', key: KEY }), (e: TransportError) => {
    assert.equal((e.cause as { code?: string }).code, 'ERR_SSL_TLSV1_ALERT_INTERNAL_ERROR')
    return true
  })
  const [cause, info] = (await resolveError) as [Error, HandshakeInfo]
  assert.equal(cause.message, 'database down')
  assert.equal(info.identity, 'dev-1')
  assert.equal((await serverError).code, 'M2MSEC_TLS_RESOLVE_FAILED')
})

test('a resolver that never answers is aborted and its connection dropped at the handshake deadline', async (t) => {
  let seen: AbortSignal | undefined
  const { server, port } = await start<string>(
    t,
    (_identity, _sni, signal) => {
      seen = signal
      return new Promise(() => undefined)
    },
    300,
  )
  const serverError = nextHandshakeError(server)
  await assert.rejects(connectPsk({ port, servername: SNI, identity: 'dev-1', key: KEY }), { code: 'M2MSEC_TLS_HANDSHAKE_FAILED' })
  assert.equal((await serverError).code, 'M2MSEC_TLS_HANDSHAKE_TIMEOUT')
  assert.equal(seen?.aborted, true)
  assert.equal(await server.getConnections(), 0)
})

test('a client that stalls mid-record is dropped at the handshake deadline without leaking the socket', async (t) => {
  const { server, port } = await start<string>(t, async () => ({ key: KEY, binding: 'x' }), 300)
  const serverError = nextHandshakeError(server)
  const raw = connectNet(port, '127.0.0.1')
  t.after(() => raw.destroy())
  await once(raw, 'connect')
  raw.write(Buffer.from([22, 3, 1, 0, 200, 1, 0])) // a ClientHello record header promising 200 bytes, then silence
  assert.equal(await server.getConnections(), 1)
  assert.equal((await serverError).code, 'M2MSEC_TLS_HANDSHAKE_TIMEOUT')
  await once(raw, 'close')
  assert.equal(await server.getConnections(), 0)
})

test('bytes that are not TLS records close the connection as malformed', async (t) => {
  const { server, port } = await start<string>(t, async () => ({ key: KEY, binding: 'x' }))
  const serverError = nextHandshakeError(server)
  const raw = connectNet(port, '127.0.0.1')
  t.after(() => raw.destroy())
  raw.resume()
  raw.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
  assert.equal((await serverError).code, 'M2MSEC_TLS_RECORD_MALFORMED')
  await once(raw, 'close')
})

test('records split into single bytes still complete the handshake with the resolved binding', async (t) => {
  const { server, port } = await start<string>(t, async (identity, sni) => ({ key: KEY, binding: `${identity}|${sni}` }))
  const proxyPort = await byteByByteProxy(t, port)
  const established = once(server, 'connection') as Promise<[SecureConnection<string>]>
  const client = await connectPsk({ port: proxyPort, servername: SNI, identity: 'split-1', key: KEY })
  t.after(() => client.destroy())
  const [connection] = await established
  assert.equal(connection.binding, `split-1|${SNI}`)
  assert.ok(exportKeyingMaterial(client, LABEL, 48).equals(exportKeyingMaterial(connection.socket, LABEL, 48)))
})

test('the SNI selects the PSK namespace: the same identity resolves per virtual server', async (t) => {
  const namespaces: Record<string, string> = { 'a.example': 'A', 'b.example': 'B' }
  const { server, port } = await start<string>(t, async (identity, sni) => {
    const ns = sni === undefined ? undefined : namespaces[sni]
    return ns === undefined ? null : { key: KEY, binding: `${ns}:${identity}` }
  })
  for (const [sni, ns] of Object.entries(namespaces)) {
    const established = once(server, 'connection') as Promise<[SecureConnection<string>]>
    const client = await connectPsk({ port, servername: sni, identity: 'dev', key: KEY })
    t.after(() => client.destroy())
    assert.equal((await established)[0].binding, `${ns}:dev`)
  }
  await assert.rejects(connectPsk({ port, servername: 'c.example', identity: 'dev', key: KEY }), { code: 'M2MSEC_TLS_HANDSHAKE_FAILED' })
})

test('after release the gate passes application data both ways unchanged, the client records arriving one byte at a time', async (t) => {
  const { server, port } = await start<string>(t, async (identity) => ({ key: KEY, binding: identity }))
  const proxyPort = await byteByByteProxy(t, port)
  const established = once(server, 'connection') as Promise<[SecureConnection<string>]>
  const client = await connectPsk({ port: proxyPort, servername: SNI, identity: 'echo-1', key: KEY })
  t.after(() => client.destroy())
  const [connection] = await established
  connection.socket.pipe(connection.socket) // echo: every byte crosses the gate in both directions
  const sent = Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 7 + 3) & 0xff)) // three TLS records and more
  const chunks: Buffer[] = []
  let received = 0
  const echoed = new Promise<void>((resolve) => {
    client.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      received += chunk.length
      if (received >= sent.length) resolve()
    })
  })
  client.write(sent)
  await echoed
  assert.ok(Buffer.concat(chunks).equals(sent))
})

test('a client that hangs up is answered with close_notify before FIN, and the server connection ends without an error', async (t) => {
  const { server, port } = await start<string>(t, async (identity) => ({ key: KEY, binding: identity }))
  // A half-close-aware proxy that records what the server sends (RFC 5246 §7.2.1: close_notify, then close).
  const fromServer: Buffer[] = []
  const proxy = createNetServer({ allowHalfOpen: true }, (downstream) => {
    const upstream = connectNet({ port, host: '127.0.0.1', allowHalfOpen: true })
    downstream.pipe(upstream)
    upstream.on('data', (chunk: Buffer) => {
      fromServer.push(chunk)
      downstream.write(chunk)
    })
    upstream.on('end', () => downstream.end())
    downstream.on('error', () => undefined) // the client is gone when the server answers
    t.after(() => {
      upstream.destroy()
      downstream.destroy()
    })
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => proxy.close(() => resolve())))
  const established = once(server, 'connection') as Promise<[SecureConnection<string>]>
  const client = await connectPsk({ port: (proxy.address() as AddressInfo).port, servername: SNI, identity: 'close-1', key: KEY })
  t.after(() => client.destroy())
  const [connection] = await established
  const serverErrors: Error[] = []
  connection.socket.on('error', (error) => serverErrors.push(error))
  const serverClosed = once(connection.socket, 'close')
  client.destroy() // FIN without the client's close_notify, as most clients hang up
  await serverClosed
  assert.deepEqual(serverErrors, [])
  const stream = Buffer.concat(fromServer)
  const types: number[] = []
  for (let offset = 0; offset + 5 <= stream.length; offset += 5 + stream.readUInt16BE(offset + 3)) types.push(stream[offset]!)
  assert.equal(types.at(-1), 21, `last record from the server is an alert (close_notify), got types ${types.join(',')}`)
})

test('close() cuts connections a peer keeps open once its bound has passed', { timeout: 10_000 }, async () => {
  const listener = createPskServer<string>({ resolve: async (identity) => ({ key: KEY, binding: identity }) })
  const { port } = await listener.listen()
  const socket = await connectPsk({ port, servername: 'mef.m2msec.example', identity: 'keeps-open', key: KEY })
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  const started = Date.now()
  await listener.close(200)
  await closed
  assert.ok(Date.now() - started < 5000, 'close() returned after its bound, not when the peer chose to leave')
  assert.equal(await listener.getConnections(), 0)
})

test('a connection listener that throws closes that connection and leaves the server serving the next one', async (t) => {
  const { server, port } = await start<string>(t, async () => ({ key: KEY, binding: 'b' }))
  let calls = 0
  server.on('connection', () => {
    calls++
    if (calls === 1) throw new Error('a listener bug')
  })
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason)
  process.on('unhandledRejection', onUnhandled)
  t.after(() => process.off('unhandledRejection', onUnhandled))
  const first = await connectPsk({ port, servername: SNI, identity: 'dev-1', key: KEY })
  await once(first, 'close')
  const second = await connectPsk({ port, servername: SNI, identity: 'dev-2', key: KEY })
  t.after(() => second.destroy())
  while (calls < 2) await new Promise((r) => setImmediate(r))
  assert.equal(second.destroyed, false, 'the next connection is served')
  await new Promise((r) => setImmediate(r))
  assert.deepEqual(unhandled, [])
})
