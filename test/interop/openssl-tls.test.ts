// Interop of the TS-0003 10.2 TLS profiles with OpenSSL's s_client and s_server: PSK
// (10.2.2, with our asynchronous resolution) and certificate mutual TLS (10.2.3), and the
// RFC 5705 exporter (label EXPORTER-oneM2M-Bootstrap, 48 bytes, no context) on both sides.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { SecretBytes, toHex } from '../../src/core/index.js'
import {
  connectCertificate,
  connectPsk,
  createCertificateServer,
  createPskServer,
  exportKeyingMaterial,
  type SecureConnection,
  type SecureListener,
  type TransportError,
} from '../../src/transport/index.js'
import { KEYING_MATERIAL, freePort, openssl, opensslAvailable } from '../support/openssl.js'
import { createTestPki, tempDir } from '../support/tls-fixtures.js'

const LABEL = 'EXPORTER-oneM2M-Bootstrap'
const PSK_HEX = '7E57AB1E7E57AB1E0123456789ABCDEF'
const KEY = new SecretBytes(Buffer.from(PSK_HEX, 'hex'))
const IDENTITY = 'Cinterop01@psk.m2msec.example'
const SNI = 'in-cse.sp.m2msec.example'
const skip = !opensslAvailable()

async function serve(t: { after: (fn: () => Promise<void>) => void }, listener: SecureListener<string>): Promise<number> {
  const { port } = await listener.listen()
  const seen: SecureConnection<string>[] = []
  listener.on('connection', (c: SecureConnection<string>) => seen.push(c))
  t.after(async () => {
    for (const c of seen) c.socket.destroy()
    await listener.close()
  })
  return port
}

function pskListener(): SecureListener<string> {
  return createPskServer<string>({
    resolve: async (identity, sni) => {
      await new Promise((r) => setTimeout(r, 20)) // genuinely asynchronous look-up
      return identity === IDENTITY ? { key: KEY, binding: `${identity}|${sni}` } : null
    },
  })
}

function sClientPsk(port: number, identity: string, pskHex: string): string[] {
  return ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', SNI, '-tls1_2', '-cipher', 'PSK-AES128-CBC-SHA256',
    '-psk', pskHex, '-psk_identity', identity, '-keymatexport', LABEL, '-keymatexportlen', '48']
}

test('openssl s_client completes TLS-PSK with our asynchronous listener and exports the same keying material', { skip }, async (t) => {
  const listener = pskListener()
  const port = await serve(t, listener)
  const established = once(listener, 'connection') as Promise<[SecureConnection<string>]>
  const client = openssl(t, sClientPsk(port, IDENTITY, PSK_HEX))
  const [connection] = await established
  const [, hex] = await client.waitFor(KEYING_MATERIAL)
  assert.equal(connection.binding, `${IDENTITY}|${SNI}`)
  assert.equal(connection.cipher, 'TLS_PSK_WITH_AES_128_CBC_SHA256')
  assert.equal(toHex(exportKeyingMaterial(connection.socket, LABEL, 48).reveal()), hex!.toUpperCase())
})

test('openssl s_client with an unknown identity receives the unknown_psk_identity alert', { skip }, async (t) => {
  const listener = pskListener()
  const port = await serve(t, listener)
  const refused = once(listener, 'handshakeError') as Promise<[TransportError]>
  const client = openssl(t, sClientPsk(port, 'Cnobody@psk.m2msec.example', PSK_HEX))
  await client.waitFor(/alert unknown psk identity|alert number 115/)
  assert.equal((await refused)[0].code, 'M2MSEC_TLS_PSK_UNKNOWN_IDENTITY')
})

test('openssl s_client with a wrong key fails the handshake', { skip }, async (t) => {
  const listener = pskListener()
  const port = await serve(t, listener)
  const refused = once(listener, 'handshakeError') as Promise<[TransportError]>
  const client = openssl(t, sClientPsk(port, IDENTITY, PSK_HEX.replace(/F$/, 'E')))
  await client.waitFor(/alert|error/i)
  assert.equal((await refused)[0].code, 'M2MSEC_TLS_HANDSHAKE_FAILED')
})

function sServerPsk(port: number): string[] {
  return ['s_server', '-accept', `127.0.0.1:${port}`, '-nocert', '-tls1_2', '-cipher', 'PSK-AES128-CBC-SHA256', '-psk', PSK_HEX,
    '-psk_identity', IDENTITY, '-keymatexport', LABEL, '-keymatexportlen', '48']
}

test('our PSK client completes TLS-PSK with openssl s_server and exports the same keying material', { skip }, async (t) => {
  const port = await freePort()
  const server = openssl(t, sServerPsk(port))
  await server.waitFor(/ACCEPT/)
  const socket = await connectPsk({ port, servername: SNI, identity: IDENTITY, key: KEY })
  t.after(() => socket.destroy())
  const [, hex] = await server.waitFor(KEYING_MATERIAL)
  assert.equal(toHex(exportKeyingMaterial(socket, LABEL, 48).reveal()), hex!.toUpperCase())
})

test('our PSK client with a wrong key is refused by openssl s_server', { skip }, async (t) => {
  const port = await freePort()
  const server = openssl(t, sServerPsk(port))
  await server.waitFor(/ACCEPT/)
  const wrong = new SecretBytes(Buffer.from(PSK_HEX.replace(/^7/, '6'), 'hex'))
  await assert.rejects(connectPsk({ port, servername: SNI, identity: IDENTITY, key: wrong }), { code: 'M2MSEC_TLS_HANDSHAKE_FAILED' })
})

async function certificateFiles(t: { after: (fn: () => Promise<void>) => void }) {
  const pki = await createTestPki()
  const stranger = await createTestPki('stranger CA')
  const dir = await tempDir(t)
  const server = await pki.issue('in-cse', { dns: [SNI] })
  const client = await pki.issue('ae', { uri: ['//sp.m2msec.example/in-cse/Cae-interop'] }, { serverAuth: false })
  const untrusted = await stranger.issue('ae', { uri: ['//sp.m2msec.example/in-cse/Cae-interop'] })
  return {
    pki, server, client,
    ca: await dir.write('ca.pem', pki.ca.cert),
    serverCert: await dir.write('server.pem', server.cert),
    serverKey: await dir.write('server.key', server.key),
    clientCert: await dir.write('client.pem', client.cert),
    clientKey: await dir.write('client.key', client.key),
    untrustedCert: await dir.write('untrusted.pem', untrusted.cert),
    untrustedKey: await dir.write('untrusted.key', untrusted.key),
  }
}

test('openssl s_client completes certificate mutual TLS with our listener; an untrusted client certificate is refused', { skip }, async (t) => {
  const f = await certificateFiles(t)
  const listener = createCertificateServer<string>({ fallback: f.server, trustAnchors: [f.pki.ca.cert], resolve: async () => ({ binding: 'ae' }) })
  const port = await serve(t, listener)
  const base = ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', SNI, '-tls1_2', '-cipher', 'ECDHE-ECDSA-AES128-SHA256',
    '-CAfile', f.ca, '-verify_return_error', '-keymatexport', LABEL, '-keymatexportlen', '48']
  const established = once(listener, 'connection') as Promise<[SecureConnection<string>]>
  const good = openssl(t, [...base, '-cert', f.clientCert, '-key', f.clientKey])
  const [connection] = await established
  const [, hex] = await good.waitFor(KEYING_MATERIAL)
  assert.equal(connection.cipher, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256')
  assert.equal(toHex(exportKeyingMaterial(connection.socket, LABEL, 48).reveal()), hex!.toUpperCase())
  const refused = once(listener, 'handshakeError') as Promise<[TransportError]>
  openssl(t, [...base, '-cert', f.untrustedCert, '-key', f.untrustedKey])
  assert.equal((await refused)[0].code, 'M2MSEC_TLS_PEER_UNTRUSTED')
})

test('our certificate client completes mutual TLS with openssl s_server and exports the same keying material', { skip }, async (t) => {
  const f = await certificateFiles(t)
  const port = await freePort()
  const server = openssl(t, ['s_server', '-accept', `127.0.0.1:${port}`, '-tls1_2', '-cipher', 'ECDHE-ECDSA-AES128-SHA256',
    '-cert', f.serverCert, '-key', f.serverKey, '-CAfile', f.ca, '-Verify', '1', '-verify_return_error',
    '-keymatexport', LABEL, '-keymatexportlen', '48'])
  await server.waitFor(/ACCEPT/)
  const socket = await connectCertificate({ port, servername: SNI, credential: f.client, trustAnchors: [f.pki.ca.cert] })
  t.after(() => socket.destroy())
  const [, hex] = await server.waitFor(KEYING_MATERIAL)
  assert.equal(toHex(exportKeyingMaterial(socket, LABEL, 48).reveal()), hex!.toUpperCase())
})
