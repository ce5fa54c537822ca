// `m2msec rule add|list|remove --server` (issue 8) against a stub admin API: the rule is checked
// locally first (a bad pattern is a usage error and nothing is sent), then PUT with the four
// lists; the listing follows every page and prints as locally; a server refusal keeps its code.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { registerRuleCommands } from '../../../../src/cli/commands/rule.js'
import { UsageError } from '../../../../src/cli/options.js'
import { runCommand, startAdminStub } from '../operator-backend/admin-stub.js'

const RULE = { ruleId: 'r1', applicableCredIds: ['12-*@psk.example.com'], allowedAppIds: ['Nsensor*'], allowedAes: ['C*'], allowedRoleIds: [], createdAt: '2030-01-02T03:04:05.000Z' }
const register = (p: Parameters<typeof registerRuleCommands>[0]): void => registerRuleCommands(p)

test('rule add --server PUTs the validated rule; a bad pattern is a usage error and sends nothing', async (t) => {
  const stub = await startAdminStub(t, { 'PUT /v1/rules/r1': () => ({ status: 201, body: RULE }) })
  const run = await runCommand(register, ['rule', 'add', 'r1', ...stub.args, '--cred-id', '12-*@psk.example.com', '--app-id', 'Nsensor*', '--ae', 'C*'])
  assert.equal(run.out, 'rule r1 stored')
  assert.deepEqual(stub.seen[0]?.body, { applicableCredIds: ['12-*@psk.example.com'], allowedAppIds: ['Nsensor*'], allowedAes: ['C*'], allowedRoleIds: [] })
  const bad = await runCommand(register, ['rule', 'add', 'r1', ...stub.args, '--app-id', 'Nsensor*', '--ae', 'C*'])
  assert.ok(bad.error instanceof UsageError, JSON.stringify(bad))
  assert.equal(stub.seen.length, 1)
})

test('rule list --server follows the pages and prints as locally; rule remove DELETEs; a refusal keeps its code', async (t) => {
  const stub = await startAdminStub(t, {
    'GET /v1/rules': (seen) => (seen.path.includes('cursor=')
      ? { status: 200, body: { items: [{ ...RULE, ruleId: 'r2' }], nextCursor: null } }
      : { status: 200, body: { items: [RULE], nextCursor: 'cjI' } }),
    'DELETE /v1/rules/r1': () => ({ status: 204 }),
    'DELETE /v1/rules/nope': () => ({ status: 404, body: { error: { code: 'M2MSEC_GATEWAY_OPERATOR_NOT_FOUND', message: 'no rule nope' } } }),
  })
  const json = await runCommand(register, ['rule', 'list', ...stub.args, '--json'])
  assert.deepEqual((JSON.parse(json.out) as { ruleId: string; createdAt: string }[]).map((r) => [r.ruleId, r.createdAt]), [['r1', RULE.createdAt], ['r2', RULE.createdAt]])
  const table = await runCommand(register, ['rule', 'list', ...stub.args])
  assert.match(table.out, /^r1\s+12-\*@psk\.example\.com\s+Nsensor\*\s+C\*$/m)
  assert.equal((await runCommand(register, ['rule', 'remove', 'r1', ...stub.args])).out, 'rule r1 removed')
  assert.equal((await runCommand(register, ['rule', 'remove', 'nope', ...stub.args])).error?.code, 'M2MSEC_GATEWAY_OPERATOR_NOT_FOUND')
})
