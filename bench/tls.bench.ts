/**
 * Full TLS 1.2 handshakes per second (TS-0003 10.2): our listeners beside Node's bare `tls`
 * server (baseline) and `openssl s_server`. Every server runs in a child process of its own and
 * the same Node client in this process drives each one the same way, so no server shares an
 * event loop with the client (openssl never did; in-process Node servers were charged for half
 * of the client's work). Beside the rate, each line notes the server process's own CPU time per
 * handshake (Linux /proc, same reading for all three): on 2 cores the client can be the
 * bottleneck, and then the CPU cost is the figure that still tells the servers apart.
 * PSK: our listener resolves every identity asynchronously through the gate. Certificate:
 * mutual authentication with P-256 ECDSA. No session resumption anywhere.
 *
 * Run directly with SERVE_FLAG, this file is the child: it reads one JSON config line on stdin,
 * starts that server and prints its port.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { connect as connectNet, createServer as createNetServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
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
const SERVE_FLAG = '--serve-tls-bench'
/** Linux USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const CLOCK_TICKS_PER_SECOND = 100

type NodeServerKind = 'bare-psk' | 'ours-psk' | 'bare-certificate' | 'ours-certificate'

interface ServeConfig {
  readonly kind: NodeServerKind
  /** Server credential and trust anchor (PEM), for the certificate kinds. */
  readonly certificate?: { readonly key: string; readonly cert: string; readonly ca: string }
}

interface ServerProcess {
  readonly port: number
  readonly child: ChildProcess
}

// ---- child side: one server per process --------------------------------------------------------

async function listenBare(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  server.on('secureConnection', (s) => s.on('error', () => undefined))
  server.on('tlsClientError', () => undefined)
  return (server.address() as AddressInfo).port
}

async function listenOurs(listener: SecureListener<string>): Promise<number> {
  listener.on('connection', (c) => c.socket.on('error', () => undefined))
  listener.on('handshakeError', () => undefined)
  return (await listener.listen()).port
}

async function startServer(config: ServeConfig): Promise<number> {
  const c = config.certificate
  switch (config.kind) {
    case 'bare-psk':
      return listenBare(createServer({ ...profileOptions(['psk']), pskCallback: (_s, identity) => (identity === IDENTITY ? KEY.reveal() : null) }))
    case 'ours-psk':
      return listenOurs(createPskServer<string>({ resolve: async (identity) => (identity === IDENTITY ? { key: KEY, binding: identity } : null) }))
    case 'bare-certificate':
      return listenBare(createServer({ ...profileOptions(['certificate']), key: c!.key, cert: c!.cert, ca: [c!.ca], requestCert: true, rejectUnauthorized: true }))
    case 'ours-certificate':
      return listenOurs(createCertificateServer<string>({ fallback: { key: c!.key, cert: c!.cert }, trustAnchors: [c!.ca], resolve: async () => ({ binding: 'ae' }) }))
  }
}

async function serveChild(): Promise<void> {
  const lines = createInterface({ input: process.stdin })
  const first = await new Promise<string>((resolve) => lines.once('line', resolve))
  const port = await startServer(JSON.parse(first) as ServeConfig)
  process.stdout.write(`${JSON.stringify({ port })}\n`)
  lines.once('close', () => process.exit(0)) // the parent closed our stdin: done
}

// ---- parent side: spawn, drive, read CPU -------------------------------------------------------

async function spawnNodeServer(config: ServeConfig): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), SERVE_FLAG], { stdio: ['pipe', 'pipe', 'inherit'] })
  child.stdin!.write(`${JSON.stringify(config)}\n`)
  const lines = createInterface({ input: child.stdout! })
  const line = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve)
    child.once('exit', (code) => reject(new Error(`bench server ${config.kind} exited (${code})`)))
  })
  return { port: (JSON.parse(line) as { port: number }).port, child }
}

async function freePort(): Promise<number> {
  const server = createNetServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Resolves once something accepts TCP connections on `port`, false after `timeoutMs`. */
async function accepting(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const probe = connectNet(port, '127.0.0.1', () => {
        probe.destroy()
        resolve(true)
      })
      probe.once('error', () => resolve(false))
    })
    if (ok) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return false
}

/**
 * Starts `openssl s_server` on a free port (undefined without openssl). `-quiet`: without it
 * s_server prints the session of every connection, work the Node servers are not charged with;
 * it then prints no ACCEPT either, so readiness is a TCP probe.
 */
async function startOpenssl(args: string[]): Promise<ServerProcess | undefined> {
  const port = await freePort()
  const child = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-quiet', ...args], { stdio: ['pipe', 'ignore', 'ignore'] })
  const started = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(false))
    child.once('spawn', () => resolve(true))
  })
  if (started && (await accepting(port, 5000)) && child.exitCode === null) return { port, child }
  child.kill()
  return undefined
}

/** User + system CPU seconds of a process so far, or undefined where /proc is not there. */
async function cpuSeconds(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'latin1')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ') // field 3 (state) is index 0
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND // utime, stime
  } catch {
    return undefined
  }
}

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

async function measureServer(name: string, server: ServerProcess, client: ConnectionOptions, budgetMs: number): Promise<BenchResult> {
  const run = (): Promise<void> => handshake(server.port, client)
  await measureConcurrent(name, run, CONCURRENCY, Math.min(300, budgetMs / 4)) // warm-up
  const before = await cpuSeconds(server.child.pid)
  const result = await measureConcurrent(name, run, CONCURRENCY, budgetMs)
  const after = await cpuSeconds(server.child.pid)
  if (before === undefined || after === undefined) return result
  const handshakes = (result.opsPerSecond * budgetMs) / 1000
  const cpuMicros = Math.round(((after - before) * 1e6) / handshakes)
  return { ...result, note: `${result.note ?? ''}; server ${cpuMicros} µs CPU/handshake` }
}

async function stop(server: ServerProcess | undefined): Promise<void> {
  if (server === undefined || server.child.exitCode !== null) return
  const exited = new Promise((resolve) => server.child.once('exit', resolve))
  if (server.child.stdin) server.child.stdin.end()
  server.child.kill()
  await exited
}

/** Measures each server in turn (baseline first); a server missing (no openssl) is left out. */
async function measureAll(budgetMs: number, client: ConnectionOptions, subjects: { name: string; start: () => Promise<ServerProcess | undefined> }[]): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  for (const subject of subjects) {
    const server = await subject.start()
    if (server === undefined) continue
    try {
      results.push(await measureServer(subject.name, server, client, budgetMs))
    } finally {
      await stop(server)
    }
  }
  return results
}

export const TLS_PSK_HANDSHAKES: BenchGroup = {
  title: 'tls: TLS-PSK full handshakes/s (PSK-AES128-CBC-SHA256), each server in its own process',
  async run(budgetMs) {
    const client: ConnectionOptions = { ...profileOptions(['psk']), pskCallback: () => ({ identity: IDENTITY, psk: KEY.reveal() }), checkServerIdentity: () => undefined }
    const [baseline, ...results] = await measureAll(budgetMs, client, [
      { name: "Node's bare tls PSK server (sync pskCallback)", start: () => spawnNodeServer({ kind: 'bare-psk' }) },
      { name: 'm2msec PSK listener, async resolution', start: () => spawnNodeServer({ kind: 'ours-psk' }) },
      {
        name: 'openssl s_server -psk',
        start: () => startOpenssl(['-nocert', '-tls1_2', '-cipher', 'PSK-AES128-CBC-SHA256', '-psk', PSK_HEX, '-psk_identity', IDENTITY, '-no_ticket']),
      },
    ])
    return { baseline: baseline!, results }
  },
}

export const TLS_CERTIFICATE_HANDSHAKES: BenchGroup = {
  title: 'tls: certificate mutual TLS full handshakes/s (ECDHE-ECDSA-AES128-SHA256, P-256), each server in its own process',
  async run(budgetMs) {
    const pki = await createTestPki('bench CA')
    const server = await pki.issue('in-cse', { dns: [SNI] })
    const clientCred = await pki.issue('ae', { uri: ['//sp.m2msec.example/in-cse/Cbench'] }, { serverAuth: false })
    const dir = await mkdtemp(join(tmpdir(), 'm2msec-bench-'))
    const file = async (name: string, text: string): Promise<string> => {
      await writeFile(join(dir, name), text, { mode: 0o600 })
      return join(dir, name)
    }
    const certificate = { ...server, ca: pki.ca.cert }
    const client: ConnectionOptions = { ...profileOptions(['certificate']), ...clientCred, ca: [pki.ca.cert], checkServerIdentity: () => undefined }
    try {
      const opensslArgs = ['-tls1_2', '-cipher', 'ECDHE-ECDSA-AES128-SHA256', '-cert', await file('s.pem', server.cert), '-key', await file('s.key', server.key),
        '-CAfile', await file('ca.pem', pki.ca.cert), '-Verify', '1', '-verify_return_error', '-no_ticket']
      const [baseline, ...results] = await measureAll(budgetMs, client, [
        { name: "Node's bare tls server (requestCert, rejectUnauthorized)", start: () => spawnNodeServer({ kind: 'bare-certificate', certificate }) },
        { name: 'm2msec certificate listener (§3.5 checks, async resolver)', start: () => spawnNodeServer({ kind: 'ours-certificate', certificate }) },
        { name: 'openssl s_server -Verify 1', start: () => startOpenssl(opensslArgs) },
      ])
      return { baseline: baseline!, results }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  },
}

export const TLS_BENCH_GROUPS: readonly BenchGroup[] = [TLS_PSK_HANDSHAKES, TLS_CERTIFICATE_HANDSHAKES]

if (process.argv.includes(SERVE_FLAG)) await serveChild()
