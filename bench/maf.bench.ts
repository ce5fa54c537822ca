/**
 * MAF throughput (issue 6; TS-0003 8.8.2.7, 8.8.2.8): complete MAF Key Registrations per second
 * (TLS-PSK MAF Handshake with a KmID resolved from the store, `EXPORTER-oneM2M-Connection` export
 * on both ends, CREATE `<symmKeyReg>` committed durably with its audit event) and complete Key
 * Retrievals per second by Entity B (handshake + RETRIEVE of Kc), beside bare TLS-PSK handshakes
 * per second on Node's own `tls` server measured in the same run. As in tls.bench.ts every server
 * runs in a child process of its own and this process is only the client, so no server shares
 * an event loop with the client; each line notes the server's CPU time per operation (Linux
 * /proc), the figure that still separates the servers when the client is the bottleneck.
 *
 * Run directly with SERVE_FLAG, this file is the child: it reads one JSON config line on stdin,
 * starts that server and prints its port; it stops when its stdin closes.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { connect, createServer } from 'node:tls'
import { fileURLToPath } from 'node:url'
import { SecretBytes } from '../src/core/index.js'
import { mafKeyRegister, mafKeyRetrieve, mafRegister, openMafSession, type MafCredential } from '../src/client/maf/index.js'
import { createMafService } from '../src/services/maf/index.js'
import { createAesGcmSealer, openStore } from '../src/store/index.js'
import { profileOptions } from '../src/transport/index.js'
import { createTestPki } from '../test/support/tls-fixtures.js'
import { measureConcurrent, type BenchGroup, type BenchResult } from './harness.js'

const FQDN = 'maf.bench.example'
const ADMIN = 'm2m.bench.example'
const SOURCE = { kmId: 'km-source@maf.bench.example', km: '4D41460A5352430A0123456789ABCDEF4D41460A5352430AFEDCBA9876543210', entity: '//m2m.bench.example/Sdev01' }
const TARGET = { kmId: 'km-target@maf.bench.example', km: '4D41460A5447540AFEDCBA98765432104D41460A5447540A0123456789ABCDEF', entity: '//m2m.bench.example/CSE-B01' }
const CONCURRENCY = 8
const SERVE_FLAG = '--serve-maf-bench'
/** Linux USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const CLOCK_TICKS_PER_SECOND = 100

type ServeKind = 'bare-psk' | 'maf'

const key = (hex: string): SecretBytes => new SecretBytes(Buffer.from(hex, 'hex'))

// ---- child side: one server per process --------------------------------------------------------

/** Node's TLS-PSK server with a synchronous pskCallback: the baseline. */
async function startBare(): Promise<{ port: number; close: () => Promise<void> }> {
  const km = key(SOURCE.km)
  const server = createServer({ ...profileOptions(['psk']), pskCallback: (_s, identity) => (identity === SOURCE.kmId ? km.reveal() : null) })
  server.on('secureConnection', (s) => s.on('error', () => undefined))
  server.on('tlsClientError', () => undefined)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

/** The MAF service on a fresh SQLite store holding the two pre-provisioned KmIDs. */
async function startMaf(): Promise<{ port: number; close: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'm2msec-bench-maf-'))
  const sealer = createAesGcmSealer([{ id: 'bench', key: new SecretBytes(new Uint8Array(32).fill(9)) }], 'bench')
  const store = await openStore({ kind: 'sqlite', path: join(dir, 'maf.sqlite') }, { sealer })
  await store.transaction(async (tx) => {
    await tx.pskCredentials.put({ usage: 'maf', identity: SOURCE.kmId, key: key(SOURCE.km), owner: { kind: 'configured', ref: 'source' }, boundEntity: { kind: 'ae', ids: [SOURCE.entity] } })
    await tx.pskCredentials.put({ usage: 'maf', identity: TARGET.kmId, key: key(TARGET.km), owner: { kind: 'configured', ref: 'target' }, boundEntity: { kind: 'cse', ids: [TARGET.entity] } })
  })
  const pki = await createTestPki('m2msec bench MAF CA')
  const pem = await pki.issue(FQDN, { dns: [FQDN] })
  const maf = await createMafService({
    store, config: { fqdn: FQDN, kcLifetimeMs: 3_600_000, registrationMaxLifetimeMs: 86_400_000 }, credential: { certPem: pem.cert, keyPem: pem.key },
  })
  return {
    port: maf.port,
    close: async () => {
      await maf.close()
      await store.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

async function serveChild(): Promise<void> {
  const lines = createInterface({ input: process.stdin })
  const first = await new Promise<string>((resolve) => lines.once('line', resolve))
  const kind = (JSON.parse(first) as { kind: ServeKind }).kind
  const server = kind === 'maf' ? await startMaf() : await startBare()
  process.stdout.write(`${JSON.stringify({ port: server.port })}\n`)
  lines.once('close', () => void server.close().then(() => process.exit(0))) // the parent closed our stdin: done
}

// ---- parent side: spawn, drive, read CPU -------------------------------------------------------

interface ServerProcess {
  readonly port: number
  readonly child: ChildProcess
}

async function spawnServer(kind: ServeKind): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), SERVE_FLAG], { stdio: ['pipe', 'pipe', 'inherit'] })
  child.stdin!.write(`${JSON.stringify({ kind })}\n`)
  const lines = createInterface({ input: child.stdout! })
  const line = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve)
    child.once('exit', (code) => reject(new Error(`bench server ${kind} exited (${code})`)))
  })
  return { port: (JSON.parse(line) as { port: number }).port, child }
}

async function stop(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null) return
  const exited = new Promise((resolve) => server.child.once('exit', resolve))
  server.child.stdin!.end()
  const timer = setTimeout(() => server.child.kill(), 5000)
  await exited
  clearTimeout(timer)
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

/** Warm-up, then `operation` at CONCURRENCY for `budgetMs`, with the server's CPU per operation. */
async function measureServer(name: string, server: ServerProcess, operation: () => Promise<unknown>, budgetMs: number): Promise<BenchResult> {
  await measureConcurrent(name, operation, CONCURRENCY, Math.min(300, budgetMs / 4))
  const before = await cpuSeconds(server.child.pid)
  const started = performance.now()
  const result = await measureConcurrent(name, operation, CONCURRENCY, budgetMs)
  const elapsedMs = performance.now() - started
  const after = await cpuSeconds(server.child.pid)
  if (before === undefined || after === undefined) return result
  const operations = (result.opsPerSecond * elapsedMs) / 1000
  return { ...result, note: `${result.note ?? ''}; server ${Math.round(((after - before) * 1e6) / operations)} µs CPU/op` }
}

function bareHandshake(port: number): Promise<void> {
  const km = key(SOURCE.km)
  return new Promise((resolve, reject) => {
    const socket = connect({
      ...profileOptions(['psk']), host: '127.0.0.1', port, servername: FQDN,
      pskCallback: () => ({ identity: SOURCE.kmId, psk: km.reveal() }), checkServerIdentity: () => undefined,
    })
    socket.once('secureConnect', () => {
      socket.destroy()
      resolve()
    })
    socket.once('error', reject)
  })
}

function pskOf(who: typeof SOURCE): MafCredential {
  return { kind: 'psk', identity: who.kmId, key: key(who.km) }
}

/** One complete MAF Key Registration: handshake, CREATE with Kc from this session's export. */
async function registerOnce(url: string): Promise<string> {
  const session = await openMafSession({ mafUrl: url, mafFqdn: FQDN, credential: pskOf(SOURCE) })
  try {
    const reg = await mafKeyRegister(session, { adminFqdn: ADMIN, targetIds: [TARGET.entity] })
    reg.key.wipe()
    return reg.keyIdentifier
  } finally {
    session.close()
  }
}

/** One complete MAF Key Retrieval by Entity B: handshake, RETRIEVE of Kc. */
async function retrieveOnce(url: string, keyIdentifier: string): Promise<number> {
  const session = await openMafSession({ mafUrl: url, mafFqdn: FQDN, credential: pskOf(TARGET) })
  try {
    const got = await mafKeyRetrieve(session, keyIdentifier)
    got.key.wipe()
    return got.suid
  } finally {
    session.close()
  }
}

export const mafBenchGroup: BenchGroup = {
  title: 'maf: key registrations/s and key retrievals/s (full TLS-PSK handshake + request, SQLite) vs bare TLS-PSK handshakes/s, each server in its own process',
  run: async (budgetMs) => {
    const bare = await spawnServer('bare-psk')
    let baseline: BenchResult
    try {
      baseline = await measureServer("Node's bare tls PSK server, handshake only", bare, () => bareHandshake(bare.port), budgetMs)
    } finally {
      await stop(bare)
    }
    const maf = await spawnServer('maf')
    try {
      const url = `https://127.0.0.1:${maf.port}`
      // Key Registration needs the Source's MAF Client Registration for the adfq (8.8.2.7 pre-condition).
      const setup = await openMafSession({ mafUrl: url, mafFqdn: FQDN, credential: pskOf(SOURCE) })
      await mafRegister(setup, { adminFqdn: ADMIN }).finally(() => setup.close())
      const registrations = await measureServer('m2msec MAF, Key Registration (handshake + CREATE, Kc exported)', maf, () => registerOnce(url), budgetMs)
      const keyIdentifier = await registerOnce(url)
      const retrievals = await measureServer('m2msec MAF, Key Retrieval by Entity B (handshake + RETRIEVE)', maf, () => retrieveOnce(url, keyIdentifier), budgetMs)
      return { baseline, results: [registrations, retrievals] }
    } finally {
      await stop(maf)
    }
  },
}

if (process.argv.includes(SERVE_FLAG)) await serveChild()
