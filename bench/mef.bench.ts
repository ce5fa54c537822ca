/**
 * Complete PPSK enrolments per second at the MEF (issue 5): TLS-PSK handshake with KpmID/Kpm
 * resolved from the store, `EXPORTER-oneM2M-Bootstrap` export on both ends, the device's target
 * key derivation (§10.3.7), and a MEF Client Registration whose Ke, registration and audit rows
 * are committed durably (SQLite, store mode 'full': answered after the WAL's fdatasync) —
 * against bare TLS-PSK handshakes per second on Node's own `tls` server in the same run (goal:
 * ratio ≥ 0.7). Both run in this process with the same client options and concurrency, so the
 * client's cost is charged to both.
 *
 * A third line is the ceiling of the ratio for any MEF that answers over HTTP: the same device
 * steps against Node's own `https` server (no async PSK gate, no store, no procedure) that
 * exports the keying material and answers 2001 at once. It shows how much of the gap to the
 * baseline is the extra round trip and HTTP on both ends rather than the MEF's own work.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import { connect, createServer, type TLSSocket } from 'node:tls'
import {
  deriveEnrolmentTargetKey, enrolmentKeyFromExport, EXPORTER_LABEL_BOOTSTRAP, EXPORTER_LENGTH, SecretBytes,
} from '../src/core/index.js'
import { OPERATION, formatTimestamp } from '../src/onem2m/index.js'
import { createMefService } from '../src/services/mef/index.js'
import { addEnrolee } from '../src/services/mef/operator/index.js'
import { createAesGcmSealer, openStore } from '../src/store/index.js'
import { connectPsk, createOneM2mClient, exportKeyingMaterial, profileOptions } from '../src/transport/index.js'
import { createTestPki } from '../test/support/tls-fixtures.js'
import { measureConcurrent, type BenchGroup } from './harness.js'

const FQDN = 'mef.bench.example'
const KPM_ID = 'kpm-bench@mef.bench.example'
const KPM_HEX = '5B3D9E1F7A2C4860B1D3F5E7092A4C6E8F1B3D5A7C9E0F2B4D6A8C1E3F5B7D90'
const KPM = new SecretBytes(Buffer.from(KPM_HEX, 'hex'))
const REGISTRAR = '//m2m.bench.example/CSE-B01'
const CONCURRENCY = 8

function bareHandshake(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      ...profileOptions(['psk']), host: '127.0.0.1', port, servername: FQDN,
      pskCallback: () => ({ identity: KPM_ID, psk: KPM.reveal() }), checkServerIdentity: () => undefined,
    })
    socket.once('secureConnect', () => {
      socket.destroy()
      resolve()
    })
    socket.once('error', reject)
  })
}

let sequence = 0

/** The ceiling line: Node's https server doing only what HTTP and the export require. */
function ceilingServer(): HttpsServer {
  const server = createHttpsServer({ ...profileOptions(['psk']), pskCallback: () => KPM.reveal() }, (request, response) => {
    request.resume()
    request.on('end', () => {
      exportKeyingMaterial(request.socket as TLSSocket, EXPORTER_LABEL_BOOTSTRAP, EXPORTER_LENGTH).wipe()
      const body = JSON.stringify({ 'sec:mecr': { ri: 'ecr0000000000000000', adfq: 'ceiling.bench.example' } })
      response.writeHead(201, {
        'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body),
        'X-M2M-RSC': '2001', 'X-M2M-RI': String(request.headers['x-m2m-ri'] ?? ''), 'X-M2M-RVI': '3',
      })
      response.end(body)
    })
  })
  server.on('tlsClientError', () => undefined)
  return server
}

/** One device enrolment: handshake, export, derivation, registration CREATE committed by the MEF. */
async function enrolOnce(port: number): Promise<number> {
  const socket = await connectPsk({ port, servername: FQDN, identity: KPM_ID, key: KPM })
  const client = createOneM2mClient(socket, { host: FQDN })
  try {
    const { ke } = enrolmentKeyFromExport(exportKeyingMaterial(socket, EXPORTER_LABEL_BOOTSTRAP, EXPORTER_LENGTH).reveal())
    deriveEnrolmentTargetKey(ke, { targetId: REGISTRAR, suid: 22 }, 'usage-constrained').wipe()
    // A fresh adminFQDN each time: one registration per (client, adfq), and every CREATE enrols.
    const pc = { 'sec:mecr': { et: formatTimestamp(new Date(Date.now() + 86_400_000)), adfq: `a${++sequence}.bench.example` } }
    const reply = await client.send({ op: OPERATION.CREATE, to: 'mef', fr: '//m2m.bench.example/Sdev01', rqi: String(sequence), rvi: '3', ty: 32004, pc })
    if (reply.primitive.rsc !== 2001) throw new Error(`enrolment answered ${reply.primitive.rsc}`)
    return reply.primitive.rsc
  } finally {
    client.close()
  }
}

export const mefBenchGroup: BenchGroup = {
  title: 'mef: complete PPSK enrolments (handshake + export + derivation + durable commit) vs bare TLS-PSK handshakes',
  run: async (budgetMs) => {
    const bare = createServer({ ...profileOptions(['psk']), pskCallback: () => KPM.reveal() })
    bare.on('tlsClientError', () => undefined)
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve))
    const ceiling = ceilingServer()
    await new Promise<void>((resolve) => ceiling.listen(0, '127.0.0.1', resolve))
    const dir = await mkdtemp(join(tmpdir(), 'm2msec-bench-mef-'))
    const sealer = createAesGcmSealer([{ id: 'bench', key: new SecretBytes(new Uint8Array(32).fill(7)) }], 'bench')
    const store = await openStore({ kind: 'sqlite', path: join(dir, 'mef.sqlite') }, { sealer })
    const pki = await createTestPki('m2msec bench MEF CA')
    const mefPem = await pki.issue(FQDN, { dns: [FQDN] })
    await addEnrolee(store, { kpmId: KPM_ID, kpm: KPM_HEX, enroleeId: '//m2m.bench.example/Sdev01', enrolmentExpiry: '1d', targets: [`22:${REGISTRAR}`] }, new Date())
    const mef = await createMefService({
      store, config: { fqdn: FQDN, targetKeyMode: 'usage-constrained', maxKeyLifetimeMs: 86_400_000 },
      credential: { certPem: mefPem.cert, keyPem: mefPem.key }, targets: [], targetTrustAnchors: [],
    })
    try {
      const barePort = (bare.address() as AddressInfo).port
      const baseline = await measureConcurrent('Node tls server, bare TLS-PSK handshake', () => bareHandshake(barePort), CONCURRENCY, budgetMs)
      const ceilingPort = (ceiling.address() as AddressInfo).port
      const bound = await measureConcurrent('ceiling: same device steps, Node https answering 2001, no store', () => enrolOnce(ceilingPort), CONCURRENCY, budgetMs)
      const enrolments = await measureConcurrent('m2msec MEF, complete PPSK enrolment (SQLite, durable commit)', () => enrolOnce(mef.port), CONCURRENCY, budgetMs)
      return { baseline, results: [bound, enrolments] }
    } finally {
      await mef.close()
      await store.close()
      await new Promise<void>((resolve) => bare.close(() => resolve()))
      ceiling.closeAllConnections()
      await new Promise<void>((resolve) => ceiling.close(() => resolve()))
      await rm(dir, { recursive: true, force: true })
    }
  },
}
