/**
 * Full TLS 1.2 handshakes per second (TS-0003 10.2): our listeners beside Node's bare `tls`
 * server (baseline) and `openssl s_server`, all driven by the same Node client so the client
 * cost is identical. PSK: our listener resolves every identity asynchronously through the gate.
 * Certificate: mutual authentication with P-256 ECDSA. No session resumption anywhere.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer as createNetServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect, createServer, type ConnectionOptions, type Server } from 'node:tls'
import { SecretBytes } from '../src/core/index.js'
import { createCertificateServer, createPskServer, profileOptions, type SecureListener } from '../src/transport/index.js'
import { createTestPki } from '../test/support/tls-fixtures.js'
import { measureConcurrent, type BenchGroup, type BenchResult } from './harness.js'

const PSK_HEX = 'BE4C8BE4C8BE4C8BE4C8BE4C8BE4C8BE'
const KEY = new SecretBytes(Buffer.from(PSK_HEX, 'hex'))
const IDENTITY = 'Cbench@psk.m2msec.example'
const SNI = 'in-cse.sp.m2msec.example'
const CONCURRENCY = 8

function handshake(port: number, options: ConnectionOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ ...options, host: '127.0.0.1', port, servername: SNI })
    socket.once('secureConnect', () => {
      socket.destroy()
      resolve()
    })
    socket.once('error', reject)
  })
}

async function listenBare(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  server.on('secureConnection', (s) => s.on('error', () => undefined))
  server.on('tlsClientError', () => undefined)
  return (server.address() as AddressInfo).port
}

async function freePort(): Promise<number> {
  const server = createNetServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Starts `openssl s_server` on a free port and resolves once it printed ACCEPT (undefined without openssl). */
async function startOpenssl(args: string[]): Promise<{ port: number; child: ChildProcess } | undefined> {
  const port = await freePort()
  const child = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
  const ready = await new Promise<boolean>((resolve) => {
    let text = ''
    const onData = (chunk: Buffer): void => {
      if (text.length < 4096) text += chunk.toString() // then only drained: s_server prints per connection
      if (text.includes('ACCEPT')) resolve(true)
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('error', () => resolve(false))
    child.once('exit', () => resolve(false))
    setTimeout(() => resolve(false), 5000)
  })
  if (!ready) {
    child.kill()
    return undefined
  }
  return { port, child }
}

async function measureAll(
  budgetMs: number,
  client: ConnectionOptions,
  subjects: { name: string; port: number | undefined }[],
): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  for (const subject of subjects) {
    if (subject.port === undefined) continue
    const port = subject.port
    await measureConcurrent(subject.name, () => handshake(port, client), CONCURRENCY, Math.min(200, budgetMs / 4)) // warm-up
    results.push(await measureConcurrent(subject.name, () => handshake(port, client), CONCURRENCY, budgetMs))
  }
  return results
}

async function closeAll(bare: Server, ours: SecureListener<string>, child: ChildProcess | undefined): Promise<void> {
  child?.kill()
  await new Promise<void>((resolve) => bare.close(() => resolve()))
  await ours.close()
}

export const TLS_PSK_HANDSHAKES: BenchGroup = {
  title: 'tls: TLS-PSK full handshakes/s (PSK-AES128-CBC-SHA256)',
  async run(budgetMs) {
    const bare = createServer({ ...profileOptions(['psk']), pskCallback: (_s, identity) => (identity === IDENTITY ? KEY.reveal() : null) })
    const barePort = await listenBare(bare)
    const ours = createPskServer<string>({ resolve: async (identity) => (identity === IDENTITY ? { key: KEY, binding: identity } : null) })
    ours.on('connection', (c) => c.socket.on('error', () => undefined))
    ours.on('handshakeError', () => undefined)
    const { port: ourPort } = await ours.listen()
    const foreign = await startOpenssl(['-nocert', '-tls1_2', '-cipher', 'PSK-AES128-CBC-SHA256', '-psk', PSK_HEX, '-psk_identity', IDENTITY, '-no_ticket'])
    const client: ConnectionOptions = { ...profileOptions(['psk']), pskCallback: () => ({ identity: IDENTITY, psk: KEY.reveal() }), checkServerIdentity: () => undefined }
    try {
      const [baseline, ...results] = await measureAll(budgetMs, client, [
        { name: "Node's bare tls PSK server (sync pskCallback)", port: barePort },
        { name: 'm2msec PSK listener, async resolution', port: ourPort },
        { name: 'openssl s_server -psk', port: foreign?.port },
      ])
      return { baseline: baseline!, results }
    } finally {
      await closeAll(bare, ours, foreign?.child)
    }
  },
}

export const TLS_CERTIFICATE_HANDSHAKES: BenchGroup = {
  title: 'tls: certificate mutual TLS full handshakes/s (ECDHE-ECDSA-AES128-SHA256, P-256)',
  async run(budgetMs) {
    const pki = await createTestPki('bench CA')
    const server = await pki.issue('in-cse', { dns: [SNI] })
    const clientCred = await pki.issue('ae', { uri: ['//sp.m2msec.example/in-cse/Cbench'] }, { serverAuth: false })
    const dir = await mkdtemp(join(tmpdir(), 'm2msec-bench-'))
    const file = async (name: string, text: string): Promise<string> => {
      await writeFile(join(dir, name), text, { mode: 0o600 })
      return join(dir, name)
    }
    const tlsOptions = { ...profileOptions(['certificate']), ...server, ca: [pki.ca.cert], requestCert: true, rejectUnauthorized: true }
    const bare = createServer(tlsOptions)
    const barePort = await listenBare(bare)
    const ours = createCertificateServer<string>({ fallback: server, trustAnchors: [pki.ca.cert], resolve: async () => ({ binding: 'ae' }) })
    ours.on('connection', (c) => c.socket.on('error', () => undefined))
    ours.on('handshakeError', () => undefined)
    const { port: ourPort } = await ours.listen()
    const foreign = await startOpenssl(['-tls1_2', '-cipher', 'ECDHE-ECDSA-AES128-SHA256', '-cert', await file('s.pem', server.cert), '-key', await file('s.key', server.key),
      '-CAfile', await file('ca.pem', pki.ca.cert), '-Verify', '1', '-verify_return_error', '-no_ticket'])
    const client: ConnectionOptions = { ...profileOptions(['certificate']), ...clientCred, ca: [pki.ca.cert], checkServerIdentity: () => undefined }
    try {
      const [baseline, ...results] = await measureAll(budgetMs, client, [
        { name: "Node's bare tls server (requestCert, rejectUnauthorized)", port: barePort },
        { name: 'm2msec certificate listener (§3.5 checks, async resolver)', port: ourPort },
        { name: 'openssl s_server -Verify 1', port: foreign?.port },
      ])
      return { baseline: baseline!, results }
    } finally {
      await closeAll(bare, ours, foreign?.child)
      await rm(dir, { recursive: true, force: true })
    }
  },
}

export const TLS_BENCH_GROUPS: readonly BenchGroup[] = [TLS_PSK_HANDSHAKES, TLS_CERTIFICATE_HANDSHAKES]
