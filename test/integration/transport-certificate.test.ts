// Certificate-based TLS (TS-0003 10.2.3, 8.1.2.5 / frameworks.md §3.5) and the mixed listener,
// our client against our listener on loopback with a PKI generated at test time.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { SecretBytes } from '../../src/core/index.js'
import {
  connectCertificate,
  connectPsk,
  createCertificateServer,
  createMixedServer,
  exportKeyingMaterial,
  type SecureConnection,
  type SecureListener,
  type TransportError,
} from '../../src/transport/index.js'
import { peerIdentifiers, type ExpectedPeerIdentity } from '../../src/pki/index.js'
import { createTestPki, type TestSan } from '../support/tls-fixtures.js'

const AE_ID = '//sp.m2msec.example/in-cse/Cae-meter-7'
const CSE_DOMAIN = 'in-cse.sp.m2msec.example'
const KEY = new SecretBytes(Buffer.from('C0FFEE00C0FFEE00C0FFEE00C0FFEE00', 'hex'))

/** Listens and, after the test, destroys every socket it saw and closes (close waits for them). */
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

async function pkiSetup() {
  const pki = await createTestPki()
  const server = await pki.issue('in-cse', { dns: [CSE_DOMAIN] })
  const other = await pki.issue('other', { dns: ['other.sp.m2msec.example'] })
  const client = await pki.issue('ae', { uri: [AE_ID], hardwareModule: { hwType: '1.3.6.1.4.1.99999.1', serialHex: '0A0B0C0D' } }, { serverAuth: false })
  const stranger = await createTestPki('stranger CA')
  const untrusted = await stranger.issue('ae', { uri: [AE_ID] })
  return { pki, server, other, client, untrusted }
}

test('certificate mutual TLS binds the AE-ID from the client SAN and exports equal keying material', async (t) => {
  const { pki, server, client } = await pkiSetup()
  const listener = createCertificateServer<string>({
    fallback: server,
    trustAnchors: [pki.ca.cert],
    resolve: async (peer) => ({ binding: peerIdentifiers(peer.sans).aeIds[0] ?? 'none' }),
  })
  const port = await serve(t, listener)
  const established = once(listener, 'connection') as Promise<[SecureConnection<string>]>
  const socket = await connectCertificate({ port, servername: CSE_DOMAIN, credential: client, trustAnchors: [pki.ca.cert], expected: { flavour: 'cse-id', publicDomainName: CSE_DOMAIN } })
  const [connection] = await established
  t.after(() => socket.destroy())
  assert.equal(connection.framework, 'certificate')
  assert.equal(connection.cipher, 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256')
  assert.equal(connection.binding, AE_ID)
  assert.ok(connection.peer.kind === 'certificate' && connection.peer.sans.some((s) => s.kind === 'hardware-module' && s.serialHex === '0A0B0C0D'))
  assert.ok(exportKeyingMaterial(socket, 'EXPORTER-oneM2M-Bootstrap', 48).equals(exportKeyingMaterial(connection.socket, 'EXPORTER-oneM2M-Bootstrap', 48)))
})

test('a valid chain the resolver refuses is reported as refused, not as untrusted', async (t) => {
  const { pki, server, client } = await pkiSetup()
  const listener = createCertificateServer<string>({ fallback: server, trustAnchors: [pki.ca.cert], resolve: async () => null })
  const port = await serve(t, listener)
  const refused = once(listener, 'handshakeError') as Promise<[TransportError]>
  const socket = await connectCertificate({ port, servername: CSE_DOMAIN, credential: client, trustAnchors: [pki.ca.cert] }).catch(() => undefined)
  if (socket !== undefined && !socket.destroyed) await once(socket, 'close')
  assert.equal((await refused)[0].code, 'M2MSEC_TLS_PEER_REFUSED')
})

test('a client certificate from an unconfigured CA is refused as untrusted', async (t) => {
  const { pki, server, untrusted } = await pkiSetup()
  const listener = createCertificateServer<string>({ fallback: server, trustAnchors: [pki.ca.cert], resolve: async () => ({ binding: 'x' }) })
  const port = await serve(t, listener)
  const refused = once(listener, 'handshakeError') as Promise<[TransportError]>
  // TLS 1.2 finishes on the client before the server checks; the server then closes without serving.
  const socket = await connectCertificate({ port, servername: CSE_DOMAIN, credential: untrusted, trustAnchors: [pki.ca.cert] }).catch(() => undefined)
  if (socket !== undefined && !socket.destroyed) await once(socket, 'close')
  assert.equal((await refused)[0].code, 'M2MSEC_TLS_PEER_UNTRUSTED')
})

test('the client aborts when the server certificate lacks the configured CSE public domain name', async (t) => {
  const { pki, server, client } = await pkiSetup()
  const listener = createCertificateServer<string>({ fallback: server, trustAnchors: [pki.ca.cert], resolve: async () => ({ binding: 'x' }) })
  const port = await serve(t, listener)
  await assert.rejects(
    connectCertificate({ port, servername: CSE_DOMAIN, credential: client, trustAnchors: [pki.ca.cert], expected: { flavour: 'cse-id', publicDomainName: 'mn-cse.sp.m2msec.example' } }),
    { code: 'M2MSEC_TLS_PEER_ID_MISMATCH' },
  )
  const stranger = await createTestPki('other root')
  await assert.rejects(connectCertificate({ port, servername: CSE_DOMAIN, credential: client, trustAnchors: [stranger.ca.cert] }), { code: 'M2MSEC_TLS_PEER_UNTRUSTED' })
})

interface FlavourCase {
  readonly subject: string
  readonly sni: string
  readonly san: TestSan
  readonly match: ExpectedPeerIdentity
  /** Same flavour, one character or byte off. */
  readonly nearMiss: ExpectedPeerIdentity
}

// 002-09 (TS-0003 8.1.2.4, 8.2.1; frameworks.md §3.5 step 3.1). The raw public key flavour is
// not here: Node 20 cannot negotiate RFC 7250 raw keys, so it stays unsupported (D-30).
test('for each certificate flavour (AE-ID, Node-ID, device, CSE-ID) a configured identifier that matches connects and one that does not aborts', async (t) => {
  const pki = await createTestPki()
  const client = await pki.issue('ae', { uri: [AE_ID] }, { serverAuth: false })
  const nodeId = 'urn:dev:ops:m2msec-node-7'
  const hw = { hwType: '1.3.6.1.4.1.99999.1', serialHex: '0A0B0C0D' }
  const cases: readonly FlavourCase[] = [
    { subject: 'ae-id', sni: 'ae.flavours.m2msec.example', san: { uri: [AE_ID] }, match: { flavour: 'ae-id', absoluteAeId: AE_ID }, nearMiss: { flavour: 'ae-id', absoluteAeId: `${AE_ID}8` } },
    { subject: 'node-id', sni: 'node.flavours.m2msec.example', san: { uri: [nodeId] }, match: { flavour: 'node-id', nodeId }, nearMiss: { flavour: 'node-id', nodeId: 'urn:dev:ops:m2msec-node-8' } },
    { subject: 'device', sni: 'device.flavours.m2msec.example', san: { hardwareModule: hw }, match: { flavour: 'device', ...hw }, nearMiss: { flavour: 'device', hwType: hw.hwType, serialHex: '0A0B0C0E' } },
    { subject: 'cse-id', sni: CSE_DOMAIN, san: { dns: [CSE_DOMAIN] }, match: { flavour: 'cse-id', publicDomainName: CSE_DOMAIN }, nearMiss: { flavour: 'cse-id', publicDomainName: 'mn-cse.sp.m2msec.example' } },
  ]
  const credentials = await Promise.all(cases.map((c) => pki.issue(c.subject, c.san)))
  const listener = createCertificateServer<string>({
    fallback: credentials[cases.length - 1]!,
    bySni: new Map(cases.map((c, i) => [c.sni, credentials[i]!])),
    trustAnchors: [pki.ca.cert],
    resolve: async () => ({ binding: 'x' }),
  })
  const port = await serve(t, listener)
  const connect = (sni: string, expected: ExpectedPeerIdentity) =>
    connectCertificate({ port, servername: sni, credential: client, trustAnchors: [pki.ca.cert], expected })
  assert.equal(cases.length, 4)
  for (const c of cases) {
    const socket = await connect(c.sni, c.match)
    assert.equal(socket.getPeerCertificate().subject.CN, c.subject, `${c.subject}: SNI ${c.sni} selected its certificate`)
    socket.destroy()
    await assert.rejects(connect(c.sni, c.nearMiss), { code: 'M2MSEC_TLS_PEER_ID_MISMATCH' }, `${c.subject}: a near-miss identifier aborts`)
    for (const other of cases.filter((o) => o !== c)) {
      await assert.rejects(connect(c.sni, other.match), { code: 'M2MSEC_TLS_PEER_ID_MISMATCH' }, `${c.subject} certificate against a configured ${other.subject}`)
    }
  }
})

test('SNI selects the server certificate', async (t) => {
  const { pki, server, other, client } = await pkiSetup()
  const listener = createCertificateServer<string>({
    fallback: server,
    bySni: new Map([['other.sp.m2msec.example', other]]),
    trustAnchors: [pki.ca.cert],
    resolve: async () => ({ binding: 'x' }),
  })
  const port = await serve(t, listener)
  const a = await connectCertificate({ port, servername: 'other.sp.m2msec.example', credential: client, trustAnchors: [pki.ca.cert] })
  a.destroy()
  const b = await connectCertificate({ port, servername: CSE_DOMAIN, credential: client, trustAnchors: [pki.ca.cert] })
  b.destroy()
})

test('a mixed listener offers both suites and reports which one ran', async (t) => {
  const { pki, server, client } = await pkiSetup()
  const listener = createMixedServer<string>({
    psk: { resolve: async (identity) => (identity === 'dev-9' ? { key: KEY, binding: 'psk:dev-9' } : null) },
    certificate: { fallback: server, trustAnchors: [pki.ca.cert], resolve: async () => ({ binding: 'cert' }) },
  })
  const port = await serve(t, listener)
  const seen: SecureConnection<string>[] = []
  listener.on('connection', (c: SecureConnection<string>) => seen.push(c))
  const p = await connectPsk({ port, servername: CSE_DOMAIN, identity: 'dev-9', key: KEY })
  const c = await connectCertificate({ port, servername: CSE_DOMAIN, credential: client, trustAnchors: [pki.ca.cert] })
  t.after(() => {
    p.destroy()
    c.destroy()
  })
  while (seen.length < 2) await new Promise((r) => setImmediate(r))
  assert.deepEqual(
    seen.map((s) => [s.framework, s.cipher, s.binding]).sort(),
    [
      ['certificate', 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 'cert'],
      ['psk', 'TLS_PSK_WITH_AES_128_CBC_SHA256', 'psk:dev-9'],
    ],
  )
})
