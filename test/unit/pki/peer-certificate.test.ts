// TS-0003 8.1.2.5 / 10.1.1 (frameworks.md §3.5): SAN extraction and the verification order.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { peerIdentifiers, subjectAltNames, verifyPeerCertificate, type SanEntry } from '../../../src/pki/index.js'
import { createTestPki } from '../../support/tls-fixtures.js'

const AE_ID = '//sp.m2msec.example/in-cse/Cae01'

test('TS-0003 10.1.1 SAN forms are read raw with their kind (AE-ID URI, Node-ID URN, dNSName, hardwareModuleName)', async () => {
  const pki = await createTestPki()
  const leaf = await pki.issue('x', { dns: ['In-CSE.sp.m2msec.example'], uri: [AE_ID, 'urn:dev:ops:m2msec-node-7'], hardwareModule: { hwType: '1.3.6.1.4.1.99999.1', serialHex: 'A1B2' } })
  const sans = subjectAltNames(new Uint8Array(new X509Certificate(leaf.cert).raw))
  assert.deepEqual(sans, [
    { kind: 'dns', value: 'In-CSE.sp.m2msec.example' },
    { kind: 'uri', value: AE_ID },
    { kind: 'uri', value: 'urn:dev:ops:m2msec-node-7' },
    { kind: 'hardware-module', hwType: '1.3.6.1.4.1.99999.1', serialHex: 'A1B2' },
  ])
  assert.deepEqual(peerIdentifiers(sans), {
    aeIds: [AE_ID],
    uris: ['urn:dev:ops:m2msec-node-7'],
    dnsNames: ['In-CSE.sp.m2msec.example'],
    hardwareModules: [{ hwType: '1.3.6.1.4.1.99999.1', serialHex: 'A1B2' }],
  })
  const der = new Uint8Array(new X509Certificate(leaf.cert).raw)
  assert.throws(() => subjectAltNames(der.subarray(0, der.length - 20)), { code: 'M2MSEC_PKI_CERT_MALFORMED' })
})

const sans: SanEntry[] = [
  { kind: 'dns', value: 'In-CSE.sp.m2msec.example' },
  { kind: 'uri', value: AE_ID },
  { kind: 'uri', value: 'urn:dev:ops:node-7' },
  { kind: 'hardware-module', hwType: '1.2.3.4', serialHex: 'A1B2' },
]

test('frameworks.md §3.5 step 3.1: exact match per flavour (DNS case-insensitive, AE-ID byte-exact)', () => {
  const ok = (expected: Parameters<typeof verifyPeerCertificate>[0]['expected']): boolean => verifyPeerCertificate({ sans, chainError: null, ...(expected ? { expected } : {}) }).ok
  assert.ok(ok({ flavour: 'cse-id', publicDomainName: 'in-cse.SP.m2msec.example' }))
  assert.ok(!ok({ flavour: 'cse-id', publicDomainName: 'mn-cse.sp.m2msec.example' }))
  assert.ok(ok({ flavour: 'ae-id', absoluteAeId: AE_ID }))
  assert.ok(!ok({ flavour: 'ae-id', absoluteAeId: AE_ID.toUpperCase() }))
  assert.ok(ok({ flavour: 'node-id', nodeId: 'urn:dev:ops:node-7' }))
  assert.ok(!ok({ flavour: 'node-id', nodeId: 'urn:dev:ops:node-8' }))
  assert.ok(ok({ flavour: 'fqdn', fqdn: 'in-cse.sp.m2msec.example' }))
  assert.ok(ok({ flavour: 'device', hwType: '1.2.3.4', serialHex: 'a1b2' }))
  assert.ok(!ok({ flavour: 'device', hwType: '1.2.3.5', serialHex: 'A1B2' }))
  assert.ok(ok(undefined), 'Entity B learns the identity: no configured identifier needed')
})

test('frameworks.md §3.5 order: identifier mismatch is reported before an untrusted chain; wildcards and no certificate refused', () => {
  const mismatch = verifyPeerCertificate({ sans, chainError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', expected: { flavour: 'ae-id', absoluteAeId: '//other/x' } })
  assert.deepEqual(mismatch.ok ? undefined : mismatch.refusal, 'identifier-mismatch')
  const untrusted = verifyPeerCertificate({ sans, chainError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', expected: { flavour: 'ae-id', absoluteAeId: AE_ID } })
  assert.deepEqual(untrusted.ok ? undefined : untrusted.refusal, 'untrusted-chain')
  const wildcard = verifyPeerCertificate({ sans: [{ kind: 'dns', value: '*.sp.m2msec.example' }], chainError: null })
  assert.deepEqual(wildcard.ok ? undefined : wildcard.refusal, 'wildcard-name')
  const none = verifyPeerCertificate({ sans: undefined, chainError: null })
  assert.deepEqual(none.ok ? undefined : none.refusal, 'no-certificate')
})
