import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { decideRegistration, matchesPattern } from '../../../../src/services/gateway/subscription-rules.js'
import type { AppRule } from '../../../../src/store/index.js'
import { REGISTRAR } from './gateway-fixtures.js'

const CRED = '12-dev-1@psk.example.com'
const rule = (r: Partial<AppRule>): AppRule => ({ ruleId: 'r1', applicableCredIds: ['12-*@psk.example.com'], allowedAppIds: ['Nsensor*'], allowedAes: ['C*'], allowedRoleIds: [], ...r })
const base = { credentialId: CRED, bound: undefined, registrar: REGISTRAR, api: 'Nsensor-app' }

test('wire.md §7.3 patterns: * matches any run, other characters themselves, case-sensitively', () => {
  assert.equal(matchesPattern('C123*X', 'C123abcX'), true)
  assert.equal(matchesPattern('C123*X', 'C123abcY'), false)
  assert.equal(matchesPattern('*', ''), true)
  assert.equal(matchesPattern('c*', 'C1'), false)
  assert.equal(matchesPattern('a.b', 'axb'), false)
  fc.assert(fc.property(fc.string(), (s) => matchesPattern(s.replace(/\*/g, ''), s.replace(/\*/g, '')) && matchesPattern('*', s)))
})

test('wire.md §7.4: a rule matching Credential-ID, App-ID and AE-ID-Stem admits the requested stem', () => {
  const d = decideRegistration({ ...base, fr: 'Cmeter01', rules: [rule({})] })
  assert.ok(d.ok)
  assert.equal(d.fr, 'Cmeter01')
  assert.equal(d.allows('//m2m.example.com/CSE-B01/Cmeter01'), true)
  assert.equal(d.allows('//m2m.example.com/Smeter01'), false)
})

test('wire.md §7.4 step 4: no matching rule is 4126 (refusal no-matching-rule); no rules at all is 4128 (no-subscription)', () => {
  assert.deepEqual(decideRegistration({ ...base, fr: 'Smeter01', rules: [rule({})] }), { ok: false, refusal: 'no-matching-rule' })
  assert.deepEqual(decideRegistration({ ...base, fr: 'Cmeter01', api: 'Nother', rules: [rule({})] }), { ok: false, refusal: 'no-matching-rule' })
  assert.deepEqual(decideRegistration({ ...base, credentialId: '12-dev-1@other.example.com', fr: 'Cmeter01', rules: [rule({})] }), { ok: false, refusal: 'no-matching-rule' })
  assert.deepEqual(decideRegistration({ ...base, fr: 'Cmeter01', rules: [rule({ applicableCredIds: undefined })] }), { ok: false, refusal: 'no-matching-rule' })
  assert.deepEqual(decideRegistration({ ...base, fr: 'Cmeter01', rules: [] }), { ok: false, refusal: 'no-subscription' })
})

test('wire.md §5.1: fr absent/C/S lets the gateway assign an exact allowed stem, or leaves a wildcard choice to the CSE', () => {
  const exact = decideRegistration({ ...base, fr: undefined, rules: [rule({ allowedAes: ['Smeter07'] })] })
  assert.ok(exact.ok)
  assert.equal(exact.fr, 'Smeter07')
  const wildcard = decideRegistration({ ...base, fr: 'C', rules: [rule({})] })
  assert.ok(wildcard.ok)
  assert.equal(wildcard.fr, 'C')
  assert.deepEqual(decideRegistration({ ...base, fr: 'S', rules: [rule({})] }), { ok: false, refusal: 'no-matching-rule' })
  assert.deepEqual(decideRegistration({ ...base, fr: 'X1', rules: [rule({})] }), { ok: false, refusal: 'malformed' })
  assert.deepEqual(decideRegistration({ ...base, fr: 'C1', api: 'bad', rules: [rule({})] }), { ok: false, refusal: 'malformed' })
})

test('frameworks.md §4.3: a credential bound to AE-IDs registers only those, whatever the rules say', () => {
  const bound = { kind: 'ae' as const, ids: ['//m2m.example.com/Sdev1'] }
  const assigned = decideRegistration({ ...base, bound, fr: undefined, rules: [] })
  assert.ok(assigned.ok)
  assert.equal(assigned.fr, 'Sdev1')
  assert.deepEqual(decideRegistration({ ...base, bound, fr: 'Sdev2', rules: [rule({ allowedAes: ['*'] })] }), { ok: false, refusal: 'not-bound' })
  assert.deepEqual(decideRegistration({ ...base, bound: { kind: 'cse', ids: ['//m2m.example.com/CSE-MN01'] }, fr: 'Cx', rules: [] }), { ok: false, refusal: 'malformed' })
})
