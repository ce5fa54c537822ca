// `m2msec admin token rotate` (issue 8; D-151): a new token printed once, alone on stdout; only
// its SHA-256 kept (0600); the previous hash replaced; no data directory is a usage error.
import assert from 'node:assert/strict'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { registerAdminCommands } from '../../../../src/cli/commands/admin.js'
import { UsageError } from '../../../../src/cli/options.js'
import { adminTokenHash, ensureAdminToken } from '../../../../src/services/admin/index.js'
import { tempDir } from '../../../support/tls-fixtures.js'
import { runCommand } from '../operator-backend/admin-stub.js'

test('admin token rotate prints a new token once and keeps only its hash, replacing the old one', async (t) => {
  const dir = await tempDir(t)
  const first = ensureAdminToken(dir.path)
  const run = await runCommand(registerAdminCommands, ['admin', 'token', 'rotate', '--data-dir', dir.path])
  assert.equal(run.error, undefined, JSON.stringify(run))
  const token = run.out.trim()
  assert.match(token, /^m2a_[A-Za-z0-9_-]{43}$/)
  assert.notEqual(token, first.created)
  const file = join(dir.path, 'admin-token.sha256')
  assert.equal(readFileSync(file, 'utf8').trim(), adminTokenHash(token))
  assert.equal(statSync(file).mode & 0o777, 0o600)
  assert.ok(!readFileSync(file, 'utf8').includes(token.slice(4)))
  assert.ok(!run.err.includes(token), 'the token is printed once, on stdout only')
  assert.match(run.err, /admin-token\.sha256/)
})

test('admin token rotate without a data directory is a usage error and writes nothing', async (t) => {
  const dir = await tempDir(t)
  const run = await runCommand(registerAdminCommands, ['admin', 'token', 'rotate', '--data-dir', join(dir.path, 'missing')])
  assert.ok(run.error instanceof UsageError)
  assert.equal(run.out, '')
})
