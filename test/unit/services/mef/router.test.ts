// The MEF router (mef-maf-interface.md §3.9 `to` forms, §2.3 Host, §4.5 codes).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { hostNamesMef, isFetchCredentialsTo, originatorMatches, routeTo } from '../../../../src/services/mef/router.js'
import type { MefPeer } from '../../../../src/services/mef/context.js'

const FQDN = 'mef.example.com'
const REG = 'ecrK3Q9T0A4ZP2M7XW1'
const KE_ID = `${'1C2B16403482987C93BA591954C8B67C'}@${FQDN}`

test('mef-maf-interface.md §3.9: every to form of the base, a registration, its command and a key', () => {
  assert.deepEqual(routeTo('mef', FQDN).route, { kind: 'base' })
  assert.deepEqual(routeTo(`//${FQDN}/mef`, FQDN).route, { kind: 'base' })
  assert.deepEqual(routeTo(`mef/${REG}`, FQDN).route, { kind: 'registration', regId: REG })
  assert.deepEqual(routeTo(REG, FQDN).route, { kind: 'registration', regId: REG })
  assert.deepEqual(routeTo(`//${FQDN}/${REG}`, FQDN).route, { kind: 'registration', regId: REG })
  assert.deepEqual(routeTo(`mef/${REG}/cmd`, FQDN).route, { kind: 'command', regId: REG })
  assert.deepEqual(routeTo(`${REG}/cmd`, FQDN).route, { kind: 'command', regId: REG })
  assert.deepEqual(routeTo('mef/9F1C0000000000000000000000000E2', FQDN).route, { kind: 'key', relativeKeyId: '9F1C0000000000000000000000000E2' })
  assert.equal(routeTo(`//${FQDN}/mef/ABC`, FQDN).to, 'mef/ABC', 'procedures see the CSE-relative form')
  assert.equal(routeTo(`mef/${REG}#ccfg`, FQDN).attribute, 'ccfg')
})

test('mef-maf-interface.md §6: fetchCredentials in CSE-relative, SP-relative and absolute form', () => {
  for (const to of [`fetchCredentials/${KE_ID}/22`, `/fetchCredentials/${KE_ID}/22`, `//${FQDN}/fetchCredentials/${KE_ID}/22`]) {
    assert.deepEqual(routeTo(to, FQDN).route, { kind: 'fetch', target: { keId: KE_ID, suid: 22 } }, to)
    assert.ok(isFetchCredentialsTo(to), to)
  }
  assert.equal(isFetchCredentialsTo('mef'), false)
})

test('§4.5: another server, an unknown resource or another MEF\'s KeID is 4004; a malformed fetch is 4000', () => {
  for (const to of ['//other.example.com/mef', 'nothing', 'mef/a/b/c', `${REG}/other`, '/~/mef', `fetchCredentials/${'AB'.repeat(16)}@other.example.com/22`]) {
    assert.throws(() => routeTo(to, FQDN), { rsc: 4004 }, to)
  }
  assert.throws(() => routeTo(`fetchCredentials/${KE_ID}`, FQDN), { rsc: 4000 })
  assert.throws(() => routeTo(`fetchCredentials/${KE_ID}/x22`, FQDN), { rsc: 4000 })
  assert.throws(() => routeTo('', FQDN), { rsc: 4000 })
})

test('§2.3: the Host header must name the MEF (port and case ignored)', () => {
  assert.ok(hostNamesMef('mef.example.com', FQDN))
  assert.ok(hostNamesMef('MEF.example.com:8443', FQDN))
  assert.equal(hostNamesMef('mef.example.org:8443', FQDN), false)
  assert.equal(hostNamesMef('127.0.0.1:8443', FQDN), false)
  assert.equal(hostNamesMef(undefined, FQDN), false)
})

test('§3.9 / OQ-20: fr is the enrolee\'s Client ID or Credential-ID, or one of a Target\'s originator IDs', () => {
  const enrolee: MefPeer = { kind: 'enrolee', enroleeRef: 'enr1', credentialId: '10-kpm-1@mef.example.com', clientId: '//sp.example.com/Sdev', framework: 'psk' }
  const target: MefPeer = { kind: 'target', fqdn: 'cse-b01.sp.example.com', originatorIds: ['//sp.example.com/CSE-B01'] }
  assert.ok(originatorMatches('//sp.example.com/Sdev', enrolee))
  assert.ok(originatorMatches('10-kpm-1@mef.example.com', enrolee))
  assert.equal(originatorMatches('//sp.example.com/Sother', enrolee), false)
  assert.equal(originatorMatches(undefined, enrolee), false)
  assert.ok(originatorMatches('//sp.example.com/CSE-B01', target))
  assert.equal(originatorMatches('//sp.example.com/CSE-B02', target), false)
})
