/**
 * The gateway's PSK SAEF (TS-0003 8.2.2.1) per second, beside Node's bare TLS-PSK server in the
 * same run (issue 7: goal ≥ 0.9 for the handshake part). Four subjects, each a fresh connection
 * per operation, no session resumption:
 * - baseline: a full TLS-PSK handshake with Node's bare `tls` server (synchronous pskCallback);
 * - the gateway: the same handshake, its Kpsa found by the asynchronous resolver in the SQLite
 *   store and unsealed (what `m2msec psk add` provisions), the context bound to an AE-ID;
 * - the bare server again, handshake plus one fixed HTTP answer (what a request costs on bare TLS);
 * - the gateway, handshake plus one oneM2M RETRIEVE of the bound AE, checked against the binding
 *   and forwarded over HTTP to the reference CSE (own process), answered 2000.
 * Servers run in child processes of their own (as tls.bench.ts); the client is this process.
 * Each line notes the server CPU time per operation (Linux /proc): the gateway's, and for the
 * forwarded request the CSE's beside it — on 2 cores the client may be the bottleneck, and then
 * CPU per operation is what still tells the servers apart.
 *
 * Run directly with SERVE_FLAG, this file is the child: it reads one JSON config line on stdin,
 * starts that server and prints its port.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { connect, createServer, type ConnectionOptions } from 'node:tls'
import { SecretBytes } from '../src/core/index.js'
import { createCseService } from '../src/services/cse/index.js'
import { createGatewayService } from '../src/services/gateway/index.js'
import { openDataDirectoryStore } from '../src/store/index.js'
import { profileOptions } from '../src/transport/index.js'
import { measureConcurrent, type BenchGroup, type BenchResult } from './harness.js'

const KPSA_HEX = '6A7B8C9D6A7B8C9D6A7B8C9D6A7B8C9D6A7B8C9D6A7B8C9D6A7B8C9D6A7B8C9D'
const KPSA = Buffer.from(KPSA_HEX, 'hex')
const IDENTITY = 'bench-1@psk.m2msec.example'
const GATEWAY_FQDN = 'gw.m2msec.example'
const SP_ID = '//m2msec.example'
const CSE_ID = '/in-cse'
const CSE_BASE = 'cse-in'
const AE_STEM = 'Cbench'
const CONCURRENCY = 8
/**
 * Traffic before each measured case. V8 needs seconds at a few hundred operations per second to
 * optimise the gateway's path (gate, store, SAEF, HTTP relay): after 300 ms the request case still
 * spent about a fifth of the gateway's CPU compiling, which a running gateway does not. Bare Node
 * gets the same warm-up, so the ratio compares warm servers (D-37).
 */
const WARM_UP_MS = 3000
const SERVE_FLAG = '--serve-gateway-bench'
/** Linux USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const CLOCK_TICKS_PER_SECOND = 100

type ServeConfig =
  | { readonly kind: 'bare-psk' }
  | { readonly kind: 'cse' }
  | { readonly kind: 'gateway'; readonly dataDir: string; readonly upstreamPort: number }

interface ServerProcess {
  readonly port: number
  readonly child: ChildProcess
}

// ---- child side: one server per process --------------------------------------------------------

const FIXED_ANSWER = 'HTTP/1.1 200 OK\r\nX-M2M-RSC: 2000\r\nX-M2M-RI: b\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'

/** Node's bare TLS-PSK server; a peer that sends a request head gets one fixed answer. */
async function startBare(): Promise<number> {
  const server = createServer({ ...profileOptions(['psk']), pskCallback: (_s, identity) => (identity === IDENTITY ? KPSA : null) })
  server.on('secureConnection', (socket) => {
    socket.on('error', () => undefined)
    let head = ''
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1')
      if (head.includes('\r\n\r\n')) socket.end(FIXED_ANSWER)
    })
  })
  server.on('tlsClientError', () => undefined)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

async function startGateway(dataDir: string, upstreamPort: number): Promise<number> {
  const store = await openDataDirectoryStore({ dataDir, create: true })
  await store.transaction((tx) => tx.pskCredentials.put({
    usage: 'saef', identity: IDENTITY, key: new SecretBytes(new Uint8Array(KPSA)), owner: { kind: 'configured', ref: IDENTITY },
    credentialId: `12-${IDENTITY}`, boundEntity: { kind: 'ae', ids: [`${SP_ID}${CSE_ID}/${AE_STEM}`] },
  }))
  const service = await createGatewayService({
    store, config: { fqdn: GATEWAY_FQDN, cseId: `${SP_ID}${CSE_ID}`, upstream: { url: `http://127.0.0.1:${upstreamPort}`, timeoutMs: 10_000 }, saefs: { psk: {} } },
  })
  return service.port
}

async function startServer(config: ServeConfig): Promise<number> {
  switch (config.kind) {
    case 'bare-psk':
      return startBare()
    case 'cse':
      return (await createCseService({ cseId: CSE_ID, cseBaseName: CSE_BASE, spId: SP_ID })).port
    case 'gateway':
      return startGateway(config.dataDir, config.upstreamPort)
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

async function spawnServer(config: ServeConfig): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), SERVE_FLAG], { stdio: ['pipe', 'pipe', 'inherit'] })
  child.stdin!.write(`${JSON.stringify(config)}\n`)
  const lines = createInterface({ input: child.stdout! })
  const line = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve)
    child.once('exit', (code) => reject(new Error(`bench server ${config.kind} exited (${code})`)))
  })
  return { port: (JSON.parse(line) as { port: number }).port, child }
}

async function stop(server: ServerProcess | undefined): Promise<void> {
  if (server === undefined || server.child.exitCode !== null) return
  const exited = new Promise((resolve) => server.child.once('exit', resolve))
  server.child.stdin?.end()
  server.child.kill()
  await exited
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

const CLIENT: ConnectionOptions = {
  ...profileOptions(['psk']), host: '127.0.0.1', servername: GATEWAY_FQDN,
  pskCallback: () => ({ identity: IDENTITY, psk: KPSA }), checkServerIdentity: () => undefined,
}

/** One connection: the handshake, then (with `request`) one request written and the whole answer read. */
function exchange(port: number, request?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ ...CLIENT, port })
    let answer = ''
    socket.once('secureConnect', () => {
      if (request === undefined) {
        socket.destroy()
        resolve('')
      } else socket.write(request)
    })
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')))
    socket.once('end', () => resolve(answer))
    socket.once('error', reject)
  })
}

function httpRequest(method: string, path: string, extra: readonly string[], body = ''): string {
  return [
    `${method} ${path} HTTP/1.1`, `Host: ${GATEWAY_FQDN}`, `X-M2M-Origin: ${AE_STEM}`, 'X-M2M-RI: bench', 'X-M2M-RVI: 3', 'Accept: application/json',
    ...extra, `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', '', body,
  ].join('\r\n')
}

const RETRIEVE = httpRequest('GET', `/${CSE_BASE}/bench`, [])

/** One operation that fails loudly unless the answer carries `rsc`. */
function expecting(port: number, request: string, rsc: number): () => Promise<string> {
  const pattern = new RegExp(`x-m2m-rsc: ${rsc}\\r\\n`, 'i')
  return async () => {
    const answer = await exchange(port, request)
    if (!pattern.test(answer)) throw new Error(`expected rsc ${rsc}, got: ${answer.slice(0, 200)}`)
    return answer
  }
}

/** Measures `operation`; notes the CPU per operation of each named server process. */
async function measureWithCpu(name: string, operation: () => Promise<unknown>, servers: readonly { label: string; process: ServerProcess }[], budgetMs: number): Promise<BenchResult> {
  await measureConcurrent(name, operation, CONCURRENCY, Math.max(WARM_UP_MS, budgetMs))
  const before = await Promise.all(servers.map((s) => cpuSeconds(s.process.child.pid)))
  const started = performance.now()
  const result = await measureConcurrent(name, operation, CONCURRENCY, budgetMs)
  const elapsedMs = performance.now() - started
  const after = await Promise.all(servers.map((s) => cpuSeconds(s.process.child.pid)))
  const ops = (result.opsPerSecond * elapsedMs) / 1000
  const cpu = servers.flatMap((s, i) => {
    const b = before[i]
    const a = after[i]
    return a === undefined || b === undefined ? [] : [`${s.label} ${Math.round(((a - b) * 1e6) / ops)} µs CPU/op`]
  })
  return cpu.length === 0 ? result : { ...result, note: `${result.note ?? ''}; ${cpu.join(', ')}` }
}

export const gatewayBenchGroup: BenchGroup = {
  title: 'gateway: PSK SAEF handshakes/s (+ one forwarded request per connection) beside bare Node TLS-PSK, each server in its own process',
  async run(budgetMs) {
    const dataDir = await mkdtemp(join(tmpdir(), 'm2msec-gateway-bench-'))
    let bare: ServerProcess | undefined
    let cse: ServerProcess | undefined
    let gateway: ServerProcess | undefined
    try {
      bare = await spawnServer({ kind: 'bare-psk' })
      cse = await spawnServer({ kind: 'cse' })
      gateway = await spawnServer({ kind: 'gateway', dataDir, upstreamPort: cse.port })
      // The bound AE registers once (fr = its stem); every measured request retrieves it.
      const ae = JSON.stringify({ 'm2m:ae': { rn: 'bench', api: 'Nbench', rr: false, srv: ['3'] } })
      await expecting(gateway.port, httpRequest('POST', `/${CSE_BASE}`, ['Content-Type: application/json;ty=2'], ae), 2001)()
      const b = bare
      const g = gateway
      const baseline = await measureWithCpu("Node's bare tls PSK server: handshake", () => exchange(b.port), [{ label: 'server', process: b }], budgetMs)
      const results = [
        await measureWithCpu('gateway PSK SAEF (store Kpsa, async resolver): handshake', () => exchange(g.port), [{ label: 'gateway', process: g }], budgetMs),
        await measureWithCpu("Node's bare tls PSK server: handshake + 1 fixed answer", expecting(b.port, RETRIEVE, 2000), [{ label: 'server', process: b }], budgetMs),
        await measureWithCpu('gateway: handshake + 1 RETRIEVE forwarded to the CSE', expecting(g.port, RETRIEVE, 2000), [{ label: 'gateway', process: g }, { label: 'cse', process: cse }], budgetMs),
      ]
      return { baseline, results }
    } finally {
      await stop(gateway)
      await stop(cse)
      await stop(bare)
      await rm(dataDir, { recursive: true, force: true })
    }
  },
}

if (process.argv.includes(SERVE_FLAG)) await serveChild()
