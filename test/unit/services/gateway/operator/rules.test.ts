// Service subscription rule validation (wire.md §7.3: allowedApp-IDs start with *, R or N;
// allowedAEs with *, C or S) shared by `m2msec rule add` and PUT /v1/rules/{ruleId}.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { validateRule } from '../../../../../src/services/gateway/index.js'

const RULE: { applicableCredIds: string[]; allowedAppIds: string[]; allowedAes: string[]; allowedRoleIds: string[] } = { applicableCredIds: ['12-*@psk.example.com'], allowedAppIds: ['Nsensor*'], allowedAes: ['C*'], allowedRoleIds: [] }

test('wire.md §7.3: a valid rule comes back as given', () => {
  assert.deepEqual(validateRule('meters', RULE), { ruleId: 'meters', ...RULE })
  assert.deepEqual(validateRule('r', { ...RULE, allowedAppIds: ['*', 'R1', 'rX', 'N2'], allowedAes: ['*', 'S1', 'Cx'] }).allowedAes, ['*', 'S1', 'Cx'])
})

test('wire.md §7.3: each refusal names the field and item at fault', () => {
  const cases: [string, Partial<typeof RULE>, string][] = [
    ['bad id', {}, 'ruleId'],
    ['r', { applicableCredIds: [] }, 'applicableCredIds'],
    ['r', { allowedAppIds: [] }, 'allowedAppIds'],
    ['r', { allowedAes: [] }, 'allowedAes'],
    ['r', { allowedAppIds: ['N1', 'Xapp'] }, 'allowedAppIds[1]'],
    ['r', { allowedAes: ['Dx'] }, 'allowedAes[0]'],
    ['r', { applicableCredIds: ['has space'] }, 'applicableCredIds[0]'],
    ['r', { allowedRoleIds: [''] }, 'allowedRoleIds[0]'],
  ]
  for (const [id, change, field] of cases) {
    assert.throws(() => validateRule(id, { ...RULE, ...change }), { code: 'M2MSEC_GATEWAY_OPERATOR_INVALID', field }, `${id} ${JSON.stringify(change)}`)
  }
})

test('a rule id is accepted exactly when it is 1–64 of [A-Za-z0-9._-]', () => {
  fc.assert(fc.property(fc.string({ maxLength: 70 }), (id) => {
    const ok = /^[A-Za-z0-9._-]{1,64}$/.test(id)
    try {
      validateRule(id, RULE)
      return ok
    } catch (error) {
      return !ok && (error as { code?: string }).code === 'M2MSEC_GATEWAY_OPERATOR_INVALID'
    }
  }))
})
