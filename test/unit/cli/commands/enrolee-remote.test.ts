// `m2msec enrolee …` and `enrolments list` with `--server` (issue 8 "The CLI's operator commands
// work against it too"), against a stub admin API: the requests the CLI sends (paths, bodies,
// bearer token), the same output as the local backend, the import progress polled to its end,
// the server's error codes kept, and the Kpm sent only in the add body, never printed.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { registerEnroleeCommands } from '../../../../src/cli/commands/enrolee.js'
import { registerEnrolmentCommands } from '../../../../src/cli/commands/enrolments.js'
import { tempDir } from '../../../support/tls-fixtures.js'
import { assertNoKey } from '../../services/mef/operator/operator-fixtures.js'
import { runCommand, startAdminStub, STUB_TOKEN, type SeenRequest } from '../operator-backend/admin-stub.js'

const KPM_ID = '0000000000000000000000000000A001@mef.example.com'
const VIEW = {
  enroleeRef: 'enrA1', credentialKind: 'psk', credentialIdentity: KPM_ID, enrolmentExpiry: '30d', enrolmentLifetimeMs: 2_592_000_000,
  targets: [{ targetId: 'maf.example.com', suid: 21 }], status: 'active', createdAt: '2030-01-02T03:04:05.000Z', updatedAt: '2030-01-02T03:04:05.000Z',
}
const ENROLMENT = { keId: `${'AB'.repeat(16)}@mef.example.com`, relativeKeId: 'AB'.repeat(16), mefFqdn: 'mef.example.com', enroleeRef: 'enrA1', createdAt: '2030-01-02T03:04:05.000Z', expiresAt: '2030-02-01T03:04:05.000Z' }

const register = (program: Parameters<typeof registerEnroleeCommands>[0]): void => {
  registerEnroleeCommands(program, { pollMs: 1, progress: { isTTY: false, write: () => true } })
  registerEnrolmentCommands(program)
}

test('enrolee add --server posts the enrolee with its Kpm in the body and prints the view as locally, never the Kpm', async (t) => {
  const stub = await startAdminStub(t, { 'POST /v1/enrolees': () => ({ status: 201, body: VIEW }) })
  const dir = await tempDir(t)
  const kpm = randomBytes(32).toString('hex')
  const kpmFile = await dir.write('kpm', `${kpm}\n`)
  const json = await runCommand(register, ['enrolee', 'add', ...stub.args, '--kpm-id', KPM_ID, '--kpm-file', kpmFile, '--expiry', '30d', '--target', '21:maf.example.com', '--json'])
  assert.equal(json.error, undefined, JSON.stringify(json))
  assert.deepEqual(JSON.parse(json.out), VIEW)
  const text = await runCommand(register, ['enrolee', 'add', ...stub.args, '--kpm-id', KPM_ID, '--kpm-file', kpmFile, '--expiry', '30d'])
  assert.equal(text.out, `enrolee enrA1 added (psk ${KPM_ID})`)
  const sent = stub.seen[0] as SeenRequest
  assert.equal(sent.authorization, `Bearer ${STUB_TOKEN}`)
  assert.deepEqual(sent.body, { enrolmentExpiry: '30d', targets: ['21:maf.example.com'], kpmId: KPM_ID, kpm })
  assertNoKey([json.out, json.err, text.out, text.err], [kpm])
})

test('enrolee list/show/update/remove/revoke --server: paths with the selector as one segment, answers printed as locally', async (t) => {
  const stub = await startAdminStub(t, {
    'GET /v1/enrolees': () => ({ status: 200, body: { items: [VIEW], nextCursor: 'Y3Vy' } }),
    [`GET /v1/enrolees/${encodeURIComponent(KPM_ID)}`]: () => ({ status: 200, body: { ...VIEW, enrolments: [ENROLMENT] } }),
    [`PATCH /v1/enrolees/${encodeURIComponent(KPM_ID)}`]: () => ({ status: 200, body: { ...VIEW, enrolmentExpiry: '2d', enroleeId: '//sp.example.com/Cdev1' } }),
    'DELETE /v1/enrolees/enrA1': () => ({ status: 204 }),
    [`POST /v1/enrolees/${encodeURIComponent(KPM_ID)}/revoke`]: () => ({ status: 200, body: { enrolee: { ...VIEW, status: 'revoked' }, alreadyRevoked: false, revokedKeIds: [ENROLMENT.keId] } }),
  })
  const list = await runCommand(register, ['enrolee', 'list', ...stub.args, '--limit', '1'])
  assert.match(list.out, /^REF\s+STATUS/)
  assert.match(list.out, new RegExp(`^enrA1\\s+active\\s+psk\\s+${KPM_ID}\\s+-\\s+30d\\s+21:maf\\.example\\.com$`, 'm'))
  assert.match(list.out, /^more: --cursor Y3Vy$/m)
  assert.equal(stub.seen.at(-1)?.path, '/v1/enrolees?limit=1')

  const show = await runCommand(register, ['enrolee', 'show', KPM_ID, ...stub.args, '--json'])
  const details = JSON.parse(show.out) as { enrolee: typeof VIEW; enrolments: unknown[] }
  assert.deepEqual(details, { enrolee: VIEW, enrolments: [ENROLMENT] }, 'the API shape { ...enrolee, enrolments } is shown as locally')

  const update = await runCommand(register, ['enrolee', 'update', KPM_ID, ...stub.args, '--expiry', '2d', '--no-targets', '--enrolee-id', '//sp.example.com/Cdev1'])
  assert.equal(update.error, undefined, JSON.stringify(update))
  assert.deepEqual(stub.seen.at(-1)?.body, { enrolmentExpiry: '2d', targets: [], enroleeId: '//sp.example.com/Cdev1' })
  assert.match(update.out, /^enrolee enrA1 updated$/m)
  const clearId = await runCommand(register, ['enrolee', 'update', KPM_ID, ...stub.args, '--no-enrolee-id'])
  assert.equal(clearId.error, undefined)
  assert.deepEqual(stub.seen.at(-1)?.body, { enroleeId: null })
  const nothing = await runCommand(register, ['enrolee', 'update', KPM_ID, ...stub.args])
  assert.match(String((nothing.error as Error | undefined)?.message), /nothing to update/)

  const remove = await runCommand(register, ['enrolee', 'remove', KPM_ID, ...stub.args])
  assert.equal(remove.out, `enrolee enrA1 removed; 1 enrolment(s) deleted\n  ${ENROLMENT.keId}`)
  assert.deepEqual(stub.seen.slice(-2).map((s) => `${s.method} ${s.path}`), [`GET /v1/enrolees/${encodeURIComponent(KPM_ID)}`, 'DELETE /v1/enrolees/enrA1'])

  const revoke = await runCommand(register, ['enrolee', 'revoke', KPM_ID, ...stub.args])
  assert.equal(revoke.out, `enrolee enrA1 revoked; 1 enrolment(s) deleted\n  ${ENROLMENT.keId}`)
})

test('enrolments list --server passes the enrolee filter and prints the KeID table', async (t) => {
  const stub = await startAdminStub(t, { 'GET /v1/enrolments': () => ({ status: 200, body: { items: [ENROLMENT], nextCursor: null } }) })
  const run = await runCommand(register, ['enrolments', 'list', ...stub.args, '--enrolee', KPM_ID])
  assert.equal(stub.seen[0]?.path, `/v1/enrolments?enrolee=${encodeURIComponent(KPM_ID)}`)
  assert.match(run.out, new RegExp(`^${ENROLMENT.keId}\\s+enrA1\\s+2030-01-02T03:04:05.000Z\\s+2030-02-01T03:04:05.000Z$`, 'm'))
  assert.doesNotMatch(run.out, /more:/)
})

test('enrolee import --server posts the file, polls the job to its end, and exits 1 when rows were rejected', async (t) => {
  let polls = 0
  const rejected = [{ row: 2, line: 3, code: 'M2MSEC_ENROLEE_INVALID', message: 'enrolmentExpiry: bad', field: 'enrolmentExpiry' }]
  const stub = await startAdminStub(t, {
    'POST /v1/enrolee-imports': () => ({ status: 202, body: { id: 'impA', state: 'running', total: 2, processed: 0, added: 0, rejected: [] } }),
    'GET /v1/enrolee-imports/impA': () => (++polls < 3
      ? { status: 200, body: { id: 'impA', state: 'running', total: 2, processed: 1, added: 1, rejected: [] } }
      : { status: 200, body: { id: 'impA', state: 'done', total: 2, processed: 2, added: 1, rejected } }),
  })
  const dir = await tempDir(t)
  const kpm = randomBytes(32).toString('hex')
  const csv = await dir.write('rows.csv', `kpm_id,kpm,enrolment_expiry\n${KPM_ID},${kpm},30d\nx@mef.example.com,${kpm},soon\n`)
  const progress: string[] = []
  const run = await runCommand((p) => registerEnroleeCommands(p, { pollMs: 1, progress: { isTTY: true, write: (s) => (progress.push(s), true) } }), ['enrolee', 'import', csv, ...stub.args])
  assert.equal(run.exitCode, 1)
  assert.equal(run.out, 'imported 1 of 2 rows; rejected 1')
  assert.match(run.err, /M2MSEC_ENROLEE_INVALID/)
  assert.deepEqual(stub.seen[0]?.body, { format: 'csv', content: `kpm_id,kpm,enrolment_expiry\n${KPM_ID},${kpm},30d\nx@mef.example.com,${kpm},soon\n` })
  assert.equal(polls, 3)
  assert.match(progress.join(''), /1\/2 50% imported 1 rejected 0[\s\S]*2\/2 100% imported 1 rejected 1/)
  assertNoKey([run.out, run.err, progress.join('')], [kpm])
})

test('a failed import job and an error answer keep the server code; a wrong token is M2MSEC_ADMIN_UNAUTHENTICATED', async (t) => {
  const stub = await startAdminStub(t, {
    'POST /v1/enrolee-imports': () => ({ status: 202, body: { id: 'impB', state: 'failed', total: 1, processed: 0, added: 0, rejected: [], error: { code: 'M2MSEC_STORE_UNAVAILABLE', message: 'store down' } } }),
    'GET /v1/enrolees': () => ({ status: 401, body: { error: { code: 'M2MSEC_ADMIN_UNAUTHENTICATED', message: 'authentication required' } } }),
  })
  const dir = await tempDir(t)
  const csv = await dir.write('rows.json', '[]')
  const failed = await runCommand(register, ['enrolee', 'import', csv, ...stub.args])
  assert.equal(failed.error?.code, 'M2MSEC_STORE_UNAVAILABLE')
  const refused = await runCommand(register, ['enrolee', 'list', ...stub.args])
  assert.equal(refused.error?.code, 'M2MSEC_ADMIN_UNAUTHENTICATED')
  assert.ok(!JSON.stringify(refused).includes(STUB_TOKEN))
})

test('an answer that is not the documented view is M2MSEC_CLI_SERVER_ANSWER_INVALID, not printed half-read', async (t) => {
  const stub = await startAdminStub(t, {
    'GET /v1/enrolees': () => ({ status: 200, body: { items: [{ ...VIEW, createdAt: 'yesterday' }], nextCursor: null } }),
    'GET /v1/enrolments': () => ({ status: 200, body: { things: [] } }),
  })
  assert.equal((await runCommand(register, ['enrolee', 'list', ...stub.args])).error?.code, 'M2MSEC_CLI_SERVER_ANSWER_INVALID')
  assert.equal((await runCommand(register, ['enrolments', 'list', ...stub.args])).error?.code, 'M2MSEC_CLI_SERVER_ANSWER_INVALID')
})
