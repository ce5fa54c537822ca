// Logs and metrics of `m2msec up` (issue 8: "structured (pino), one line per request/handshake
// with a request id, never a secret"; "Prometheus /metrics — handshakes by framework and outcome,
// enrolments, key retrievals, MEF/MAF fetches, latencies"). The built CLI runs `up`; the printed
// first-enrolment commands run against it (enrolee add, PPSK enrol at the MEF, MAF register: the
// MAF fetches Km from the MEF); one PSK handshake with an unknown identity is refused. Then: every
// stderr line is a JSON log line; each request line has a fresh request id, its role and rsc, and
// the client got that id back as x-request-id; each role logs one line per handshake; and the
// metrics `up` wrote when it stopped (the hidden --metrics-file hook: the admin role serves the
// same text at /metrics) count exactly what the lines say. No Kpm bytes in any output.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { SecretBytes, fromHex } from '../../src/core/index.js'
import { connectPsk } from '../../src/transport/index.js'
import { assertNoSecrets } from '../support/mef-process.js'
import { KEK_VARIABLES, cliEnv, startUp } from '../support/up-process.js'

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js')
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

type Line = Readonly<Record<string, unknown>>

/** The children use the data directory's KEK file and no configuration file the parent names. */
const UNSET = [...KEK_VARIABLES, 'M2MSEC_CONFIG']

async function sh(line: string, cwd: string): Promise<{ code: number | null; output: string }> {
  const child = spawn('/bin/sh', ['-c', line], { cwd, env: cliEnv(UNSET) })
  let output = ''
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')))
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { code, output }
}

function sample(body: string, name: string, labels: string): number {
  const line = body.split('\n').find((l) => l.startsWith(`${name}{${labels}} `))
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1))
}

test('up logs one JSON line per request and handshake with request ids, and its metrics count the same enrolment, handshakes, fetches and requests', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'm2msec-obs-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  const dataDir = join(root, 'data')
  const metricsFile = join(root, 'metrics.txt')
  const up = await startUp(t, dataDir, { args: ['--metrics-file', metricsFile], unset: UNSET })

  // The newcomer's first four printed commands: Kpm file, enrolee add, enrol (MEF), maf register (MAF → MEF fetch).
  const steps = (up.stdout().split('Try a first enrolment')[1] ?? '').split('\n').map((l) => l.trim())
    .filter((l) => /^(mkdir|npx m2msec) /.test(l)).slice(0, 4).map((l) => l.replace(/^npx m2msec /, `"${process.execPath}" "${CLI}" `))
  assert.equal(steps.length, 4, up.stdout())
  const texts: string[] = []
  for (const line of steps) {
    const r = await sh(line, root)
    texts.push(r.output)
    assert.equal(r.code, 0, `${line}\n${r.output}\nup:\n${up.stderr()}`)
  }
  const kpmFile = /--kpm-file (\S+)/.exec(steps[2]!)?.[1]
  assert.ok(kpmFile, steps[2])
  const kpm = fromHex(readFileSync(kpmFile, 'utf8').trim())

  // One refused handshake: a psk_identity the MEF does not know.
  const mef = /--mef (https:\/\/\S+)/.exec(steps[2]!)?.[1]
  assert.ok(mef, steps[2])
  const { hostname, port } = new URL(mef)
  await assert.rejects(connectPsk({ host: hostname, port: Number(port), servername: 'mef.m2msec.localhost', identity: 'nobody@mef.m2msec.localhost', key: new SecretBytes(randomBytes(32)) }))

  // The request id comes back to the client: a RETRIEVE of the CSEBase at the (plain, loopback) CSE.
  const cse = await fetch(`${up.endpoints.roles['cse']!.url}/cse-in`, { headers: { 'X-M2M-Origin': 'CAdmin', 'X-M2M-RI': 'obs-1', 'X-M2M-RVI': '3', Accept: 'application/json' } })
  const cseRequestId = cse.headers.get('x-request-id')
  assert.match(String(cseRequestId), UUID_RE)

  assert.equal(await up.stop(), 0, up.stderr())
  const raw = up.stderr().split('\n').filter((l) => l.length > 0)
  const lines = raw.map((l) => JSON.parse(l) as Line)
  for (const line of lines) {
    assert.equal(typeof line['time'], 'string', JSON.stringify(line))
    assert.ok(['info', 'warn', 'error'].includes(String(line['level'])), JSON.stringify(line))
    assert.equal(typeof line['event'], 'string', JSON.stringify(line))
  }
  const of = (event: string, role?: string): Line[] => lines.filter((l) => l['event'] === event && (role === undefined || l['role'] === role))

  const requests = of('request')
  assert.ok(requests.length >= 4, up.stderr())
  assert.deepEqual(of('request', 'cse').map((r) => [r['requestId'], r['rqi'], r['op'], r['to']]), [[cseRequestId, 'obs-1', 2, 'cse-in']])
  for (const r of requests) {
    assert.match(String(r['requestId']), UUID_RE)
    assert.ok(['mef', 'maf', 'gateway', 'cse'].includes(String(r['role'])))
    assert.equal(typeof r['rsc'], 'number')
    assert.equal(typeof r['durationMs'], 'number')
  }
  assert.equal(new Set(requests.map((r) => r['requestId'])).size, requests.length, 'a fresh request id per request')
  assert.ok(of('request', 'mef').some((r) => r['op'] === 1 && r['rsc'] === 2001), 'the MEF Client Registration CREATE that enrolled')

  const handshakes = of('handshake')
  for (const h of handshakes) assert.equal(typeof h['durationMs'], 'number')
  const refused = handshakes.filter((h) => h['outcome'] === 'refused')
  assert.deepEqual(refused.map((h) => [h['role'], h['framework'], h['reason'], h['identity'], h['level']]), [['mef', 'psk', 'M2MSEC_TLS_PSK_UNKNOWN_IDENTITY', 'nobody@mef.m2msec.localhost', 'warn']])
  // enrol (PPSK) and the MAF's fetchCredentials (certificate) at the MEF; maf register (KeID PSK) at the MAF.
  assert.equal(of('handshake', 'mef').filter((h) => h['outcome'] === 'ok' && h['framework'] === 'psk').length, 1, up.stderr())
  assert.equal(of('handshake', 'mef').filter((h) => h['outcome'] === 'ok' && h['framework'] === 'certificate').length, 1, up.stderr())
  assert.equal(of('handshake', 'maf').filter((h) => h['outcome'] === 'ok' && h['framework'] === 'psk').length, 1, up.stderr())
  assert.deepEqual(of('enrolment').map((e) => [e['role'], e['outcome']]), [['mef', 'ok']])
  assert.deepEqual(of('key-fetch').map((e) => [e['role'], e['server'], e['outcome']]), [['maf', 'mef', 'ok']])

  const body = readFileSync(metricsFile, 'utf8')
  assert.equal(sample(body, 'm2msec_enrolments_total', 'outcome="ok"'), 1)
  assert.equal(sample(body, 'm2msec_handshakes_total', 'role="mef",framework="psk",outcome="ok"'), 1)
  assert.equal(sample(body, 'm2msec_handshakes_total', 'role="mef",framework="psk",outcome="refused"'), 1)
  assert.equal(sample(body, 'm2msec_handshakes_total', 'role="maf",framework="psk",outcome="ok"'), 1)
  assert.equal(sample(body, 'm2msec_key_fetches_total', 'from="maf",to="mef",outcome="ok"'), 1)
  assert.equal(sample(body, 'm2msec_key_fetch_duration_seconds_count', 'from="maf",to="mef"'), 1)
  for (const role of ['mef', 'maf']) {
    const counted = body.split('\n').filter((l) => l.startsWith(`m2msec_requests_total{role="${role}",`)).reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0)
    assert.equal(counted, of('request', role).length, `requests of ${role}: metrics and log lines agree`)
    assert.equal(sample(body, 'm2msec_request_duration_seconds_count', `role="${role}"`), counted)
  }
  assert.ok(/^process_cpu_user_seconds_total /m.test(body), 'Node default process metrics')
  assertNoSecrets([up.stdout(), up.stderr(), body, ...texts], [dataDir], [kpm])
})
