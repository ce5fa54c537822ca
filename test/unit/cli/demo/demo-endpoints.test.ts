// How `m2msec demo` finds a running `up` (issue 8; D-142 endpoints.json): the roles it needs, the
// Registrar's CSE-ID split into its SP, and a clear M2MSEC_DEMO_UNAVAILABLE for a missing, stale
// or malformed file.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import fc from 'fast-check'
import { DemoError } from '../../../../src/cli/demo/errors.js'
import { parseDemoEndpoints, readDemoEndpoints } from '../../../../src/cli/demo/demo-endpoints.js'

function document(overrides: Record<string, unknown> = {}, roles: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1, pid: process.pid, startedAt: '2026-01-01T00:00:00.000Z', dataDir: '/data', caCertificate: '/data/pki/ca.pem', caFingerprint: 'AB',
    roles: {
      mef: { url: 'https://127.0.0.1:4001', fqdn: 'mef.m2msec.localhost', caCertificate: '/data/pki/ca.pem' },
      maf: { url: 'https://127.0.0.1:4002', fqdn: 'maf.m2msec.localhost', caCertificate: '/data/pki/ca.pem' },
      cse: { url: 'http://127.0.0.1:4003', fqdn: 'cse.m2msec.localhost', cseId: '//m2msec.localhost/in-cse', cseBaseName: 'cse-in' },
      gateway: { url: 'https://127.0.0.1:4004', fqdn: 'gateway.m2msec.localhost', caCertificate: '/data/pki/ca.pem', cseId: '//m2msec.localhost/in-cse', cseBaseName: 'cse-in' },
      ...roles,
    },
    ...overrides,
  }
}

const parse = (doc: unknown): ReturnType<typeof parseDemoEndpoints> => parseDemoEndpoints(JSON.stringify(doc), '/fallback')

test('an endpoints.json as m2msec up writes it gives the MEF, MAF and gateway, the Registrar CSE-ID, CSEBase and SP', () => {
  const e = parse(document())
  assert.deepEqual(e.mef, { url: 'https://127.0.0.1:4001', fqdn: 'mef.m2msec.localhost' })
  assert.deepEqual(e.maf, { url: 'https://127.0.0.1:4002', fqdn: 'maf.m2msec.localhost' })
  assert.deepEqual(e.gateway, { url: 'https://127.0.0.1:4004', fqdn: 'gateway.m2msec.localhost', cseId: '//m2msec.localhost/in-cse', cseBaseName: 'cse-in', spId: '//m2msec.localhost' })
  assert.equal(e.dataDir, '/data')
  assert.equal(e.pid, process.pid)
  assert.equal(e.targetKeyMode, undefined, 'absent unless endpoints.json records it')
  assert.equal(parse(document({ targetKeyMode: 'seed-000' })).targetKeyMode, 'seed-000')
  assert.equal(parse(document({ targetKeyMode: 'nonsense' })).targetKeyMode, undefined)
  assert.equal(parse(document({ dataDir: 7 })).dataDir, '/fallback')
})

const BROKEN: readonly [string, unknown, RegExp][] = [
  ['no gateway role', document({}, { gateway: undefined }), /lists no gateway role/],
  ['no maf role', document({}, { maf: undefined }), /lists no maf role/],
  ['a plain-HTTP MEF URL', document({}, { mef: { url: 'http://127.0.0.1:1', fqdn: 'mef.x' } }), /roles\.mef\.url is not https/],
  ['a gateway without CSE-ID', document({}, { gateway: { url: 'https://127.0.0.1:1', fqdn: 'gw.x', cseBaseName: 'cse-in' } }), /roles\.gateway\.cseId is missing/],
  ['a CSE-relative gateway CSE-ID', document({}, { gateway: { url: 'https://127.0.0.1:1', fqdn: 'gw.x', cseId: '/in-cse', cseBaseName: 'cse-in' } }), /not an absolute CSE-ID/],
  ['roles as an array', document({ roles: [] }), /roles is not an object/],
]

for (const [what, doc, message] of BROKEN) {
  test(`endpoints.json with ${what} is refused with M2MSEC_DEMO_UNAVAILABLE`, () => {
    assert.throws(() => parse(doc), (e: unknown) => e instanceof DemoError && e.code === 'M2MSEC_DEMO_UNAVAILABLE' && message.test(e.message))
  })
}

test('text that is not JSON is refused with M2MSEC_DEMO_UNAVAILABLE', () => {
  assert.throws(() => parseDemoEndpoints('{"roles":', '/x'), { code: 'M2MSEC_DEMO_UNAVAILABLE', message: 'endpoints.json is not JSON' })
})

test('property: any text either parses or is refused with M2MSEC_DEMO_UNAVAILABLE, never another error', () => {
  fc.assert(fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
    try {
      parseDemoEndpoints(text, '/x')
    } catch (error) {
      assert.ok(error instanceof DemoError && error.code === 'M2MSEC_DEMO_UNAVAILABLE', String(error))
    }
  }), { numRuns: 300 })
})

test('readDemoEndpoints: no file, or a file naming a process that is gone, is M2MSEC_DEMO_UNAVAILABLE; the caller\'s own pid counts as running', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-demo-endpoints-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  assert.throws(() => readDemoEndpoints(dir), { code: 'M2MSEC_DEMO_UNAVAILABLE', message: /no running m2msec up: .*endpoints\.json does not exist/ })
  // A pid no process has (above the kernel's pid_max default of 2^22).
  writeFileSync(join(dir, 'endpoints.json'), JSON.stringify(document({ pid: 2 ** 22 + 11, dataDir: dir })))
  assert.throws(() => readDemoEndpoints(dir), { code: 'M2MSEC_DEMO_UNAVAILABLE', message: /names pid 4194315, which is not running/ })
  writeFileSync(join(dir, 'endpoints.json'), JSON.stringify(document({ pid: process.pid, dataDir: dir })))
  assert.throws(() => readDemoEndpoints(dir), { code: 'M2MSEC_DEMO_UNAVAILABLE' }, 'this process is not "another up" unless it says so')
  assert.equal(readDemoEndpoints(dir, process.pid).dataDir, dir)
})
