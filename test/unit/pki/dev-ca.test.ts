// The development CA of `m2msec up` (issue 8): TS-0003 10.1.1 profile (P-256, ecdsa-with-SHA256,
// digitalSignature, FQDN as SAN dNSName), optional RFC 5280 §4.2.1.10 name constraints that
// OpenSSL enforces, and the checks that decide whether stored credentials are reused.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createPrivateKey, X509Certificate } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import {
  certificateFingerprint, checkDevCa, checkDevCertificate, createDevCa, issueDevCertificate,
} from '../../../src/pki/dev-ca.js'
import { opensslAvailable } from '../../support/openssl.js'

const DAY = 86_400_000
const NOW = new Date()
const ca = await createDevCa({ commonName: 'm2msec test dev CA', permittedDnsDomains: ['m2msec.localhost'] })
const mef = await issueDevCertificate(ca, { fqdn: 'mef.m2msec.localhost' })
const clientOnly = await issueDevCertificate(ca, { fqdn: 'maf.m2msec.localhost', usage: 'client' })

test('dev CA: self-signed P-256 CA with pathLen 0 and keyCertSign (RFC 5280 §4.2.1.9, §4.2.1.3)', () => {
  const cert = new X509Certificate(ca.certPem)
  assert.equal(cert.ca, true)
  assert.ok(cert.verify(cert.publicKey))
  assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1')
  assert.ok(cert.checkPrivateKey(createPrivateKey(ca.keyPem)))
  assert.equal(checkDevCa(ca, NOW, 0), undefined)
})

test('dev CA: role certificate in the TS-0003 10.1.1 profile, FQDN as the only SAN, server and client EKU', () => {
  const cert = new X509Certificate(mef.certPem)
  assert.equal(cert.ca, false)
  assert.equal(cert.subjectAltName, 'DNS:mef.m2msec.localhost')
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'])
  assert.ok(cert.checkIssued(new X509Certificate(ca.certPem)))
  assert.equal(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1')
  assert.equal(checkDevCertificate(mef, ca.certPem, 'mef.m2msec.localhost', NOW, 30 * DAY), undefined)
  assert.deepEqual(new X509Certificate(clientOnly.certPem).keyUsage, ['1.3.6.1.5.5.7.3.2'])
})

test('dev CA: fingerprint is the SHA-256 of the DER certificate (as Node prints it)', () => {
  assert.equal(certificateFingerprint(ca.certPem), new X509Certificate(ca.certPem).fingerprint256.replace(/:/g, ''))
  assert.throws(() => certificateFingerprint('not a certificate'), { code: 'M2MSEC_PKI_CERT_MALFORMED' })
})

test('dev CA: a stored role certificate is not reused for another FQDN, CA, key, or close to expiry', async () => {
  const other = await createDevCa({ commonName: 'other CA' })
  const foreign = await issueDevCertificate(other, { fqdn: 'mef.m2msec.localhost' })
  assert.equal(checkDevCertificate(mef, ca.certPem, 'maf.m2msec.localhost', NOW, 0), 'wrong-name')
  assert.equal(checkDevCertificate(foreign, ca.certPem, 'mef.m2msec.localhost', NOW, 0), 'not-issued-by-ca')
  assert.equal(checkDevCertificate({ certPem: mef.certPem, keyPem: foreign.keyPem }, ca.certPem, 'mef.m2msec.localhost', NOW, 0), 'key-mismatch')
  assert.equal(checkDevCertificate(mef, ca.certPem, 'mef.m2msec.localhost', new Date(NOW.getTime() + 340 * DAY), 30 * DAY), 'expiring')
  assert.equal(checkDevCertificate({ certPem: mef.certPem.slice(0, 100), keyPem: mef.keyPem }, ca.certPem, 'mef.m2msec.localhost', NOW, 0), 'unreadable')
})

test('dev CA: a stored CA is refused without its key, as a leaf, or unreadable', async () => {
  const other = await createDevCa({ commonName: 'other CA' })
  assert.equal(checkDevCa({ certPem: ca.certPem, keyPem: other.keyPem }, NOW, 0), 'key-mismatch')
  assert.equal(checkDevCa(mef, NOW, 0), 'not-a-ca')
  assert.equal(checkDevCa({ certPem: 'garbage', keyPem: ca.keyPem }, NOW, 0), 'unreadable')
  assert.equal(checkDevCa(ca, new Date(NOW.getTime() + 3649 * DAY), 30 * DAY), 'expiring')
})

test('dev CA: issuing with an unreadable CA certificate or key fails with M2MSEC_PKI_CERT_MALFORMED', async () => {
  await assert.rejects(issueDevCertificate({ certPem: 'x', keyPem: ca.keyPem }, { fqdn: 'a.m2msec.localhost' }), { code: 'M2MSEC_PKI_CERT_MALFORMED' })
  await assert.rejects(issueDevCertificate({ certPem: ca.certPem, keyPem: 'x' }, { fqdn: 'a.m2msec.localhost' }), { code: 'M2MSEC_PKI_CERT_MALFORMED' })
})

test('dev CA: OpenSSL accepts names under the permitted subtree and refuses others (RFC 5280 §4.2.1.10)', async (t) => {
  if (!opensslAvailable()) {
    assert.notEqual(process.env.CI, 'true', 'openssl is required under CI')
    return t.skip('openssl not installed')
  }
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-devca-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const outside = await issueDevCertificate(ca, { fqdn: 'mef.example.com' })
  const write = (name: string, text: string): string => (writeFileSync(join(dir, name), text), join(dir, name))
  const verify = (leaf: string): { status: number | null; out: string } => {
    const r = spawnSync('openssl', ['verify', '-CAfile', write('ca.pem', ca.certPem), write('leaf.pem', leaf)], { encoding: 'utf8' })
    return { status: r.status, out: r.stdout + r.stderr }
  }
  assert.equal(verify(mef.certPem).status, 0)
  const refused = verify(outside.certPem)
  assert.notEqual(refused.status, 0)
  assert.match(refused.out, /permitted subtree violation/)
})
