import assert from 'node:assert/strict'
import { test } from 'node:test'
import { boundEntityOf, originatorAllowed, withAeId } from '../../../../src/services/gateway/entity-binding.js'
import { REGISTRAR } from './gateway-fixtures.js'

const AE = { kind: 'ae' as const, ids: ['//m2m.example.com/CSE-B01/Cae01', '//m2m.example.com/Sdev02'] }
const CSE = { kind: 'cse' as const, ids: ['//m2m.example.com/CSE-MN01'] }

test('wire.md §6: an AE may send its stem, SP-relative or absolute AE-ID; any other AE-ID is 4106, a non-AE-ID 4000', () => {
  for (const fr of ['Cae01', '/CSE-B01/Cae01', '//m2m.example.com/CSE-B01/Cae01', 'Sdev02', '/Sdev02']) assert.deepEqual(originatorAllowed(fr, AE, REGISTRAR), { ok: true }, fr)
  for (const fr of ['Cae02', 'Sdev03', '/CSE-B02/Cae01', '//other.example.com/Sdev02']) assert.deepEqual(originatorAllowed(fr, AE, REGISTRAR), { ok: false, refusal: 'not-bound' }, fr)
  assert.deepEqual(originatorAllowed('xyz', AE, REGISTRAR), { ok: false, refusal: 'malformed' })
})

test('wire.md §6 CSE rows: a CSE may send its own CSE-ID or AE-IDs registered with it, never a C-stem or another CSE-ID', () => {
  for (const fr of ['/CSE-MN01', '//m2m.example.com/CSE-MN01', '/CSE-MN01/Cae9']) assert.deepEqual(originatorAllowed(fr, CSE, REGISTRAR), { ok: true }, fr)
  // `/Sx1` is also an SP-relative CSE-ID: read as another CSE's, it is refused (the conservative reading).
  for (const fr of ['/CSE-MN02', 'Cae01', '/CSE-MN02/Cae9', '/Sx1']) assert.deepEqual(originatorAllowed(fr, CSE, REGISTRAR), { ok: false, refusal: 'not-bound' }, fr)
})

test('TS-0003 8.2.1: a context bound to its Credential-ID only passes no fr; bindings read Absolute IDs only', () => {
  assert.deepEqual(originatorAllowed('Cae01', undefined, REGISTRAR), { ok: false, refusal: 'not-bound' })
  assert.deepEqual(boundEntityOf('//m2m.example.com/Sdev02'), { kind: 'ae', ids: ['//m2m.example.com/Sdev02'] })
  assert.deepEqual(boundEntityOf('//m2m.example.com/CSE-B01'), { kind: 'cse', ids: ['//m2m.example.com/CSE-B01'] })
  assert.equal(boundEntityOf('12-dev@psk.example.com'), undefined)
  assert.deepEqual(withAeId(AE, '//m2m.example.com/Sdev02').ids, AE.ids)
  assert.deepEqual(withAeId(undefined, '//m2m.example.com/Sx').ids, ['//m2m.example.com/Sx'])
})
