import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createCertificateSaef, cseIdForDnsName } from '../../../../../src/services/gateway/saef/certificate.js'
import type { PeerCredential } from '../../../../../src/services/gateway/saef/index.js'
import { never, openTestStore } from '../gateway-fixtures.js'
import { describeSaefContract } from './saef-contract.js'

const cert = (sans: Extract<PeerCredential, { kind: 'certificate' }>['sans']): PeerCredential => ({ kind: 'certificate', sans, chain: [] })
const CSES = ['//m2m.example.com/CSE-MN01']

describeSaefContract('certificate', async (t) => {
  const s = await openTestStore(t)
  return {
    saef: createCertificateSaef({ store: s.store, now: () => s.now }, { cseIds: CSES }),
    known: cert([{ kind: 'uri', value: '//m2m.example.com/Sdev02' }]),
    unknown: cert([{ kind: 'dns', value: 'unknown.example.com' }]),
    foreign: { kind: 'psk', identity: 'dev-1@psk.example.com' },
  }
})

test('certificate SAEF (frameworks.md §4.3 step 1, §6): an AE-ID certificate binds to the SAN AE-ID, 33-<AE-ID>', async () => {
  const saef = createCertificateSaef({ store: {} as never, now: () => new Date() }, {})
  const o = await saef.resolve(cert([{ kind: 'dns', value: 'x.example.com' }, { kind: 'uri', value: '//m2m.example.com/CSE-B01/Cae01' }]), never())
  assert.ok(o.ok)
  assert.deepEqual(o.context.boundTo, { kind: 'ae', ids: ['//m2m.example.com/CSE-B01/Cae01'] })
  assert.equal(o.context.credentialId, '33-//m2m.example.com/CSE-B01/Cae01')
})

test('certificate SAEF: a CSE-ID certificate maps its public domain name to a configured CSE-ID (TS-0001 6.5.1.1 default, else first label)', async () => {
  assert.equal(cseIdForDnsName('cse-mn01.m2m.example.com', CSES), '//m2m.example.com/CSE-MN01')
  assert.equal(cseIdForDnsName('CSE-MN01.elsewhere.example.net', CSES), '//m2m.example.com/CSE-MN01')
  assert.equal(cseIdForDnsName('cse-mn02.m2m.example.com', CSES), undefined)
  const saef = createCertificateSaef({ store: {} as never, now: () => new Date() }, { cseIds: CSES })
  const o = await saef.resolve(cert([{ kind: 'dns', value: 'cse-mn01.m2m.example.com' }]), never())
  assert.ok(o.ok)
  assert.deepEqual(o.context.boundTo, { kind: 'cse', ids: CSES })
  assert.equal(o.context.credentialId, '32-//m2m.example.com/CSE-MN01')
})

test('certificate SAEF: Node-ID and device certificates yield a Credential-ID only (34-, 31-<OID>-<SERIAL>)', async () => {
  const saef = createCertificateSaef({ store: {} as never, now: () => new Date() }, {})
  const node = await saef.resolve(cert([{ kind: 'uri', value: 'urn:dev:ops:acme-meter-0042' }]), never())
  assert.ok(node.ok)
  assert.equal(node.context.credentialId, '34-urn:dev:ops:acme-meter-0042')
  assert.equal(node.context.boundTo, undefined)
  const device = await saef.resolve(cert([{ kind: 'hardware-module', hwType: '1.3.6.1.4.1.99999.1', serialHex: '0a0b' }]), never())
  assert.ok(device.ok)
  assert.equal(device.context.credentialId, '31-1.3.6.1.4.1.99999.1-0A0B')
})

test('certificate SAEF: a malformed cseIds entry is a configuration error', () => {
  assert.throws(() => createCertificateSaef({ store: {} as never, now: () => new Date() }, { cseIds: ['/CSE-B01'] }), { code: 'M2MSEC_GATEWAY_CONFIG_INVALID' })
})
