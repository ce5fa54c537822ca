// `m2msec up --port role=port` (issue 8: loopback ports, port 0 or configurable).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { parseRolePorts } from '../../../../src/cli/commands/up.js'
import { ROLE_NAMES } from '../../../../src/cli/up/role-registry.js'

test('up --port: role=port pairs round-trip for every role and port', () => {
  fc.assert(fc.property(fc.uniqueArray(fc.constantFrom(...ROLE_NAMES)), fc.array(fc.integer({ min: 0, max: 65535 }), { minLength: 5, maxLength: 5 }), (roles, ports) => {
    const expected = new Map(roles.map((r, i) => [r, ports[i]!]))
    assert.deepEqual(parseRolePorts([...expected].map(([r, p]) => `${r}=${p}`)), expected)
  }))
})

test('up --port: unknown role, bad form, port out of range and a role given twice are usage errors', () => {
  for (const bad of [['kms=1'], ['mef'], ['mef=-1'], ['mef=65536'], ['mef=1', 'mef=2'], ['MEF=1'], ['mef=123456']]) {
    assert.throws(() => parseRolePorts(bad), { name: 'UsageError' }, bad.join(' '))
  }
})
