// `m2msec psk add|list|revoke|remove --server` (issue 8) against a stub admin API: the Kpsa read
// from its file is checked here, sent once as hex in the body with the bind kind the ID has, and
// never printed; the answers print as the local commands print them.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { registerPskCommands } from '../../../../src/cli/commands/psk.js'
import { UsageError } from '../../../../src/cli/options.js'
import { tempDir } from '../../../support/tls-fixtures.js'
import { assertNoKey } from '../../services/mef/operator/operator-fixtures.js'
import { runCommand, startAdminStub } from '../operator-backend/admin-stub.js'

const ID = 'dev-1@psk.example.com'
const VIEW = { identity: ID, credentialId: `12-${ID}`, boundEntity: { kind: 'ae', ids: ['//sp.example.com/cse/Cdev1'] }, source: 'configured', status: 'active', createdAt: '2030-01-02T03:04:05.000Z' }
const register = (p: Parameters<typeof registerPskCommands>[0]): void => registerPskCommands(p)

test('psk add --server sends the key once as hex with the bind kind, prints metadata only; a bad key file sends nothing', async (t) => {
  const stub = await startAdminStub(t, { 'POST /v1/psk-credentials': () => ({ status: 201, body: VIEW }) })
  const dir = await tempDir(t)
  const key = randomBytes(32)
  const keyFile = await dir.write('kpsa', `base64:${key.toString('base64')}\n`)
  const run = await runCommand(register, ['psk', 'add', ...stub.args, '--identity', ID, '--key-file', keyFile, '--bind', '//sp.example.com/cse/Cdev1'])
  assert.equal(run.error, undefined, JSON.stringify(run))
  assert.deepEqual(JSON.parse(run.out), { identity: ID, credentialId: `12-${ID}`, bound: ['//sp.example.com/cse/Cdev1'] })
  assert.deepEqual(stub.seen[0]?.body, { identity: ID, key: key.toString('hex').toUpperCase(), bind: { kind: 'ae', id: '//sp.example.com/cse/Cdev1' } })
  assertNoKey([run.out, run.err], [key.toString('hex')])
  const short = await dir.write('short', 'ABCD')
  const bad = await runCommand(register, ['psk', 'add', ...stub.args, '--identity', ID, '--key-file', short])
  assert.ok(bad.error instanceof UsageError)
  assert.equal(stub.seen.length, 1)
})

test('psk list/revoke/remove --server print as locally and keep the server code of a refusal', async (t) => {
  const stub = await startAdminStub(t, {
    'GET /v1/psk-credentials': () => ({ status: 200, body: { items: [VIEW], nextCursor: null } }),
    [`POST /v1/psk-credentials/${encodeURIComponent(ID)}/revoke`]: () => ({ status: 200, body: { ...VIEW, status: 'revoked', revokedAt: '2030-01-03T00:00:00.000Z' } }),
    [`DELETE /v1/psk-credentials/${encodeURIComponent(ID)}`]: () => ({ status: 204 }),
    'DELETE /v1/psk-credentials/gone%40psk.example.com': () => ({ status: 404, body: { error: { code: 'M2MSEC_GATEWAY_OPERATOR_NOT_FOUND', message: 'no Kpsa' } } }),
  })
  const list = await runCommand(register, ['psk', 'list', ...stub.args])
  assert.match(list.out, new RegExp(`^${ID}\\s+active\\s+//sp\\.example\\.com/cse/Cdev1\\s+configured\\s+-$`, 'm'))
  assert.deepEqual(JSON.parse((await runCommand(register, ['psk', 'revoke', ...stub.args, '--identity', ID])).out), { revoked: ID, credentialId: `12-${ID}` })
  assert.deepEqual(JSON.parse((await runCommand(register, ['psk', 'remove', ...stub.args, '--identity', ID])).out), { removed: ID })
  assert.equal((await runCommand(register, ['psk', 'remove', ...stub.args, '--identity', 'gone@psk.example.com'])).error?.code, 'M2MSEC_GATEWAY_OPERATOR_NOT_FOUND')
})
