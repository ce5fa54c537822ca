// endpoints.json of `m2msec up` (issue 8): written whole, retired on stop, read back for the
// ports of the last run, and used to tell whether another `up` runs on the directory.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import {
  endpointsDocument, ENDPOINTS_FILE, PREVIOUS_ENDPOINTS_FILE, previousPorts, previousSa2Port, retireEndpointsFile, runningUpPid, writeEndpointsFile,
} from '../../../../src/cli/up/endpoints-file.js'
import type { RunningRole } from '../../../../src/cli/up/role-registry.js'

function dir(t: TestContext): string {
  const path = mkdtempSync(join(tmpdir(), 'm2msec-endpoints-'))
  t.after(() => rmSync(path, { recursive: true, force: true }))
  return path
}

const role = (name: 'mef' | 'maf', port: number): RunningRole => ({
  name, url: `https://127.0.0.1:${port}`, host: '127.0.0.1', port, fqdn: `${name}.m2msec.localhost`, close: async () => undefined,
})

function document(dataDir: string, pid = process.pid) {
  return { ...endpointsDocument({ dataDir, caCertificate: join(dataDir, 'pki/ca.pem'), caFingerprint: 'AB', targetKeyMode: 'usage-constrained', roles: [role('mef', 4101), role('maf', 4102)], now: new Date(0) }), pid }
}

test('endpoints.json: role → URL, FQDN and CA certificate, written without leftovers', (t) => {
  const d = dir(t)
  const path = writeEndpointsFile(d, document(d))
  const read = JSON.parse(readFileSync(path, 'utf8')) as ReturnType<typeof document>
  assert.deepEqual(read.roles.mef, { url: 'https://127.0.0.1:4101', fqdn: 'mef.m2msec.localhost', caCertificate: join(d, 'pki/ca.pem') })
  assert.equal(read.version, 1)
  assert.equal(read.targetKeyMode, 'usage-constrained', 'devices and the demo must derive Target keys as the MEF does')
  assert.deepEqual(readdirSync(d), [ENDPOINTS_FILE], 'no temporary file left')
})

test('endpoints.json: retired on stop; the next start takes the ports from the retired file, a leftover file wins', (t) => {
  const d = dir(t)
  assert.equal(previousPorts(d).size, 0)
  writeEndpointsFile(d, document(d))
  retireEndpointsFile(d)
  assert.equal(existsSync(join(d, ENDPOINTS_FILE)), false)
  assert.deepEqual([...previousPorts(d)], [['mef', 4101], ['maf', 4102]])
  writeFileSync(join(d, ENDPOINTS_FILE), JSON.stringify({ roles: { mef: { url: 'https://127.0.0.1:5000' } } }))
  assert.deepEqual([...previousPorts(d)], [['mef', 5000]])
  retireEndpointsFile(d)
  retireEndpointsFile(d) // nothing to retire: no error
  assert.ok(existsSync(join(d, PREVIOUS_ENDPOINTS_FILE)))
})

test('endpoints.json: unreadable or out-of-range ports count as none', (t) => {
  const d = dir(t)
  for (const text of ['not json', '{"roles":null}', '{"roles":{"mef":{"url":"https://127.0.0.1:70000"}}}', '{"roles":{"mef":{"url":42}}}']) {
    writeFileSync(join(d, ENDPOINTS_FILE), text)
    assert.equal(previousPorts(d).size, 0, text)
  }
})

test('endpoints.json: a live pid other than ours means another up runs; a dead one, ours or none does not', (t) => {
  const d = dir(t)
  assert.equal(runningUpPid(d), undefined)
  writeEndpointsFile(d, document(d, process.pid))
  assert.equal(runningUpPid(d), undefined, 'our own pid')
  writeEndpointsFile(d, document(d, process.ppid))
  assert.equal(runningUpPid(d), process.ppid)
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  writeEndpointsFile(d, document(d, Number(dead.stdout)))
  assert.equal(runningUpPid(d), undefined, 'a crashed run')
})

test('endpoints.json: the plain loopback CSE has no CA certificate; gateway and CSE name the Registrar CSE-ID and CSEBase', (t) => {
  const d = dir(t)
  const registrar = { cseId: '//m2msec.localhost/in-cse', cseBaseName: 'cse-in' }
  const cse: RunningRole = { name: 'cse', url: 'http://127.0.0.1:4103', host: '127.0.0.1', port: 4103, fqdn: 'cse.m2msec.localhost', plain: true, registrar, close: async () => undefined }
  const gateway: RunningRole = {
    name: 'gateway', url: 'https://127.0.0.1:4104', host: '127.0.0.1', port: 4104, fqdn: 'gateway.m2msec.localhost', registrar, sa2Url: 'http://127.0.0.1:4105',
    close: async () => undefined,
  }
  const doc = endpointsDocument({ dataDir: d, caCertificate: join(d, 'pki/ca.pem'), caFingerprint: 'AB', targetKeyMode: 'seed-000', roles: [cse, gateway], now: new Date(0) })
  assert.deepEqual(doc.roles.cse, { url: 'http://127.0.0.1:4103', fqdn: 'cse.m2msec.localhost', ...registrar })
  assert.deepEqual(doc.roles.gateway, { url: 'https://127.0.0.1:4104', fqdn: 'gateway.m2msec.localhost', caCertificate: join(d, 'pki/ca.pem'), ...registrar, sa2Url: 'http://127.0.0.1:4105' })
  writeEndpointsFile(d, doc)
  retireEndpointsFile(d)
  assert.deepEqual([...previousPorts(d)], [['cse', 4103], ['gateway', 4104]], 'an http URL gives its port back too')
  assert.equal(previousSa2Port(d), 4105, 'the SA2 relay comes back on its port: the CSE keeps the rewritten pointOfAccess')
})

test('endpoints.json: no gateway, no SA2 relay, or an unreadable relay URL gives no previous SA2 port', (t) => {
  const d = dir(t)
  assert.equal(previousSa2Port(d), undefined)
  for (const text of ['{"roles":{"mef":{"url":"https://127.0.0.1:4101"}}}', '{"roles":{"gateway":{"url":"https://127.0.0.1:4104"}}}', '{"roles":{"gateway":{"sa2Url":"http://127.0.0.1:99999"}}}']) {
    writeFileSync(join(d, ENDPOINTS_FILE), text)
    assert.equal(previousSa2Port(d), undefined, text)
  }
})
