// RFC 5280 §4.2.1.6 subjectAltName as read for TS-0003 10.1.1 peers, through the parse cache:
// repeated reads of one certificate give the same entries without sharing mutable state.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { subjectAltNames } from '../../../src/pki/index.js'
import { createTestPki } from '../../support/tls-fixtures.js'

const AE_ID = '//sp.m2msec.example/in-cse/Cae01'

test('RFC 5280 §4.2.1.6: a certificate read again gives equal SANs in a new array of frozen entries', async () => {
  const pki = await createTestPki()
  const der = new Uint8Array(new X509Certificate((await pki.issue('a', { uri: [AE_ID], dns: ['a.m2msec.example'] })).cert).raw)
  const first = subjectAltNames(der)
  assert.deepEqual(first, [
    { kind: 'dns', value: 'a.m2msec.example' },
    { kind: 'uri', value: AE_ID },
  ])
  first.pop()
  first.push({ kind: 'uri', value: '//evil.example/in-cse/Cx' })
  assert.throws(() => Object.assign(first[0]!, { value: 'evil.example' }), TypeError)
  const second = subjectAltNames(der)
  assert.notEqual(second, first)
  assert.deepEqual(second, [
    { kind: 'dns', value: 'a.m2msec.example' },
    { kind: 'uri', value: AE_ID },
  ])
  assert.ok(second.every((entry) => Object.isFrozen(entry)))
})

test('RFC 5280 §4.2.1.6: the cache is keyed by the whole DER, so certificates never see each other\'s SANs', async () => {
  const pki = await createTestPki()
  const a = new Uint8Array(new X509Certificate((await pki.issue('a', { uri: ['//sp.m2msec.example/in-cse/Ca'] })).cert).raw)
  const b = new Uint8Array(new X509Certificate((await pki.issue('b', { uri: ['//sp.m2msec.example/in-cse/Cb'] })).cert).raw)
  for (let round = 0; round < 3; round++) {
    assert.deepEqual(subjectAltNames(a), [{ kind: 'uri', value: '//sp.m2msec.example/in-cse/Ca' }])
    assert.deepEqual(subjectAltNames(b), [{ kind: 'uri', value: '//sp.m2msec.example/in-cse/Cb' }])
  }
})

test('RFC 5280 §4.2.1.6: a malformed certificate is refused on every read, a failure is never cached', async () => {
  const pki = await createTestPki()
  const der = new Uint8Array(new X509Certificate((await pki.issue('a', { uri: [AE_ID] })).cert).raw)
  const truncated = der.subarray(0, der.length - 20)
  const flipped = Uint8Array.from(der)
  flipped[1] = flipped[1]! ^ 0x01 // the outer SEQUENCE length no longer matches
  for (let round = 0; round < 2; round++) {
    assert.throws(() => subjectAltNames(truncated), { code: 'M2MSEC_PKI_CERT_MALFORMED' })
    assert.throws(() => subjectAltNames(flipped), { code: 'M2MSEC_PKI_CERT_MALFORMED' })
  }
  assert.deepEqual(subjectAltNames(der), [{ kind: 'uri', value: AE_ID }])
})
