// The development PKI on disk (issue 8): first start creates the CA and one certificate per role
// with private keys 0600; later starts reuse them; a role certificate that no longer fits is
// reissued under the same CA; a broken or exposed CA is refused, never silently replaced.
import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { ensureDevPki, type DevPkiOptions } from '../../../src/pki/dev-pki.js'

const DAY = 86_400_000

function options(t: TestContext, overrides: Partial<DevPkiOptions> = {}): DevPkiOptions {
  const dir = overrides.dir ?? join(mkdtempSync(join(tmpdir(), 'm2msec-devpki-')), 'pki')
  t.after(() => rmSync(join(dir, '..'), { recursive: true, force: true }))
  return {
    dir, caCommonName: 'm2msec test dev CA', permittedDnsDomains: ['m2msec.localhost'],
    leaves: [{ name: 'mef', fqdn: 'mef.m2msec.localhost' }, { name: 'maf', fqdn: 'maf.m2msec.localhost' }],
    ...overrides,
  }
}

const mode = (path: string): number => statSync(path).mode & 0o777

test('dev PKI: the first call creates CA and role credentials, keys 0600, directory 0700', async (t) => {
  const o = options(t)
  const pki = await ensureDevPki(o)
  assert.deepEqual(pki.written, [{ name: 'ca', reason: 'created' }, { name: 'mef', reason: 'created' }, { name: 'maf', reason: 'created' }])
  assert.equal(mode(o.dir), 0o700)
  for (const name of ['ca', 'mef', 'maf']) {
    assert.equal(mode(join(o.dir, `${name}.key`)), 0o600, `${name}.key`)
    assert.equal(mode(join(o.dir, `${name}.pem`)), 0o644, `${name}.pem`)
  }
  assert.equal(pki.caCertPem, readFileSync(pki.caCertPath, 'utf8'))
  assert.equal(pki.leaves.get('mef')?.certPem, readFileSync(join(o.dir, 'mef.pem'), 'utf8'))
})

test('dev PKI: a second call reuses everything and writes nothing', async (t) => {
  const o = options(t)
  const first = await ensureDevPki(o)
  const second = await ensureDevPki(o)
  assert.deepEqual(second.written, [])
  assert.equal(second.caCertPem, first.caCertPem)
  for (const name of ['mef', 'maf']) assert.deepEqual(second.leaves.get(name), first.leaves.get(name))
})

test('dev PKI: a role certificate for another FQDN, without its key, or near expiry is reissued under the same CA', async (t) => {
  const o = options(t)
  const first = await ensureDevPki(o)
  const renamed = await ensureDevPki({ ...o, leaves: [{ name: 'mef', fqdn: 'mef2.m2msec.localhost' }] })
  assert.deepEqual(renamed.written, [{ name: 'mef', reason: 'wrong-name' }])
  assert.equal(renamed.caCertPem, first.caCertPem)
  unlinkSync(join(o.dir, 'maf.key'))
  assert.deepEqual((await ensureDevPki(o)).written, [{ name: 'mef', reason: 'wrong-name' }, { name: 'maf', reason: 'created' }])
  const later = await ensureDevPki({ ...o, now: new Date(Date.now() + 350 * DAY) })
  assert.deepEqual(later.written, [{ name: 'mef', reason: 'expiring' }, { name: 'maf', reason: 'expiring' }])
})

test('dev PKI: an incomplete or exposed CA is refused with M2MSEC_PKI_DEV_CA_INVALID and left as it is', async (t) => {
  const o = options(t)
  await ensureDevPki(o)
  const caPem = readFileSync(join(o.dir, 'ca.pem'), 'utf8')
  chmodSync(join(o.dir, 'ca.key'), 0o644)
  await assert.rejects(ensureDevPki(o), { code: 'M2MSEC_PKI_DEV_CA_INVALID', message: /chmod 600/ })
  unlinkSync(join(o.dir, 'ca.key'))
  await assert.rejects(ensureDevPki(o), { code: 'M2MSEC_PKI_DEV_CA_INVALID', message: /ca\.key is missing/ })
  assert.equal(readFileSync(join(o.dir, 'ca.pem'), 'utf8'), caPem, 'the CA certificate was not replaced')
})

test('dev PKI: a role key readable by others is refused, not repaired', async (t) => {
  const o = options(t)
  await ensureDevPki(o)
  chmodSync(join(o.dir, 'maf.key'), 0o640)
  await assert.rejects(ensureDevPki(o), { code: 'M2MSEC_PKI_DEV_CA_INVALID' })
})

test('dev PKI: a CA certificate that does not match its key is refused', async (t) => {
  const o = options(t)
  await ensureDevPki(o)
  const other = options(t)
  await ensureDevPki(other)
  copyFileSync(join(other.dir, 'ca.pem'), join(o.dir, 'ca.pem'))
  await assert.rejects(ensureDevPki(o), { code: 'M2MSEC_PKI_DEV_CA_INVALID', message: /key-mismatch/ })
})

test('dev PKI: a role that needs a URI SAN (the gateway CSE-ID, D-135) gets it; an older certificate without it is reissued', async (t) => {
  const o = options(t, { leaves: [{ name: 'gateway', fqdn: 'gateway.m2msec.localhost' }] })
  await ensureDevPki(o)
  const withUri = { ...o, leaves: [{ name: 'gateway', fqdn: 'gateway.m2msec.localhost', uris: ['//m2msec.localhost/in-cse'] }] }
  const upgraded = await ensureDevPki(withUri)
  assert.deepEqual(upgraded.written, [{ name: 'gateway', reason: 'wrong-name' }])
  const san = new X509Certificate(upgraded.leaves.get('gateway')!.certPem).subjectAltName ?? ''
  assert.match(san, /DNS:gateway\.m2msec\.localhost/)
  assert.match(san, /URI:\/\/m2msec\.localhost\/in-cse/)
  assert.deepEqual((await ensureDevPki(withUri)).written, [])
})
