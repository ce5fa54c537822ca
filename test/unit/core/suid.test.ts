import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SUID, isRspfProvisioned, isSuid, parseSuid } from '../../../src/core/suid.js'

test('every m2m:suid value of TS-0004 §6.3.4.2.39 parses from number and decimal string', () => {
  const values = Object.values(SUID)
  assert.equal(values.length, 21)
  for (const value of values) {
    assert.equal(parseSuid(value), value)
    assert.equal(parseSuid(String(value)), value)
  }
})

test('undefined values (20, 31 — OQ-19) and malformed strings are rejected', () => {
  for (const bad of [0, 9, 16, 20, 26, 31, 36, 46, 99, 21.0001, '20', '31', '021', '+21', '21 ', 'x']) {
    assert.throws(() => parseSuid(bad), { code: 'M2MSEC_INPUT_INVALID' }, String(bad))
    if (typeof bad === 'number') assert.equal(isSuid(bad), false)
  }
})

test('only 21..25 are RSPF-provisioned', () => {
  const rspf = Object.values(SUID).filter(isRspfProvisioned)
  assert.deepEqual(rspf, [21, 22, 23, 24, 25])
})
