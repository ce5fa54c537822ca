// `m2msec audit verify|list --server` (issue 8; issue 4 audit chain) against a stub admin API:
// verification once per anchor with the same report and exit status as locally (0 intact,
// 1 broken), and the event listing from `GET /v1/audit`.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { registerAuditCommand } from '../../../../src/cli/commands/audit.js'
import { runCommand, startAdminStub } from '../operator-backend/admin-stub.js'

const HEAD = { seq: 3, hash: 'AB'.repeat(32) }
const register = (p: Parameters<typeof registerAuditCommand>[0]): void => registerAuditCommand(p)

test('audit verify --server reports the chain the server verified, once per anchor, exit 0 or 1', async (t) => {
  const stub = await startAdminStub(t, {
    'POST /v1/audit/verify': (seen) => ((seen.body as { anchor?: string }).anchor === `9:${'CD'.repeat(32)}`
      ? { status: 200, body: { ok: false, brokenAt: 4, reason: 'truncated', count: 3 } }
      : { status: 200, body: { ok: true, count: 3, head: HEAD } }),
  })
  const ok = await runCommand(register, ['audit', 'verify', ...stub.args])
  assert.equal(ok.exitCode, 0)
  assert.equal(ok.out, `audit chain ok: 3 events\nhead 3:${HEAD.hash}\nrecord the head line elsewhere; pass it back with --anchor to detect a rewritten or truncated tail`)
  assert.deepEqual(stub.seen[0]?.body, {})
  const broken = await runCommand(register, ['audit', 'verify', ...stub.args, '--anchor', `3:${HEAD.hash}`, '--anchor', `9:${'CD'.repeat(32)}`, '--json'])
  assert.equal(broken.exitCode, 1)
  assert.deepEqual(JSON.parse(broken.out), { ok: false, brokenAt: 4, reason: 'truncated', count: 3 })
  assert.deepEqual(stub.seen.slice(1).map((s) => s.body), [{ anchor: `3:${HEAD.hash}` }, { anchor: `9:${'CD'.repeat(32)}` }])
})

test('audit list --server pages from afterSeq and prints who did what', async (t) => {
  const event = { seq: 4, at: '2030-01-02T03:04:05.000Z', actor: 'admin:token', action: 'enrolee.add', subject: { enroleeRef: 'enrA1' }, outcome: 'success', prevHash: '00', hash: '11' }
  const stub = await startAdminStub(t, { 'GET /v1/audit': () => ({ status: 200, body: { items: [event], nextCursor: null } }) })
  const run = await runCommand(register, ['audit', 'list', ...stub.args, '--after-seq', '3', '--limit', '1'])
  assert.equal(stub.seen[0]?.path, '/v1/audit?afterSeq=3&limit=1')
  assert.match(run.out, /^4\s+2030-01-02T03:04:05\.000Z\s+admin:token\s+enrolee\.add\s+success$/m)
  assert.match(run.out, /^more: --after-seq 4$/m)
})
