// The admin token (admin-api.md "Authentication"): m2a_ + base64url(32 bytes), kept only as its
// SHA-256 in a 0600 file, created once, rotated on request, compared as a hash.
import assert from 'node:assert/strict'
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import fc from 'fast-check'
import { ADMIN_TOKEN_FILE, adminTokenHash, ensureAdminToken, generateAdminToken, readAdminTokenHash, rotateAdminToken } from '../../../../src/services/admin/index.js'
import { adminTokenMatches } from '../../../../src/services/admin/admin-token.js'

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-token-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

test('a token is m2a_ + 43 base64url characters (32 random bytes) and never repeats', () => {
  const a = generateAdminToken()
  assert.match(a, /^m2a_[A-Za-z0-9_-]{43}$/)
  assert.equal(Buffer.from(a.slice(4), 'base64url').length, 32)
  assert.notEqual(a, generateAdminToken())
})

test('only the right token matches its hash; any other string does not', () => {
  const token = generateAdminToken()
  const hash = adminTokenHash(token)
  assert.match(hash, /^[0-9A-F]{64}$/)
  assert.equal(adminTokenMatches(hash, token), true)
  fc.assert(fc.property(fc.string({ maxLength: 80 }), (other) => other === token || !adminTokenMatches(hash, other)))
  assert.equal(adminTokenMatches(hash, `${token} `), false)
})

test('ensureAdminToken creates the 0600 hash file once and returns the token only then; rotate replaces it', (t) => {
  const dir = tempDir(t)
  const first = ensureAdminToken(dir)
  assert.ok(first.created !== undefined)
  const path = join(dir, ADMIN_TOKEN_FILE)
  assert.equal(statSync(path).mode & 0o777, 0o600)
  assert.equal(readFileSync(path, 'utf8').trim(), adminTokenHash(first.created))
  assert.ok(!readFileSync(path, 'utf8').includes(first.created.slice(4)), 'the clear token is not stored')
  const again = ensureAdminToken(dir)
  assert.equal(again.created, undefined)
  assert.equal(again.hash, first.hash)
  const rotated = rotateAdminToken(dir)
  assert.notEqual(rotated, first.created)
  assert.equal(readAdminTokenHash(dir), adminTokenHash(rotated))
})

test('a hash file open to others, malformed or missing is refused with M2MSEC_ADMIN_TOKEN_FILE_INVALID', (t) => {
  const dir = tempDir(t)
  assert.throws(() => readAdminTokenHash(dir), { code: 'M2MSEC_ADMIN_TOKEN_FILE_INVALID' })
  const path = join(dir, ADMIN_TOKEN_FILE)
  writeFileSync(path, 'not a hash\n', { mode: 0o600 })
  assert.throws(() => readAdminTokenHash(dir), { code: 'M2MSEC_ADMIN_TOKEN_FILE_INVALID' })
  assert.throws(() => ensureAdminToken(dir), { code: 'M2MSEC_ADMIN_TOKEN_FILE_INVALID' }, 'a broken file is not silently replaced')
  writeFileSync(path, `${adminTokenHash(generateAdminToken())}\n`)
  chmodSync(path, 0o644)
  assert.throws(() => readAdminTokenHash(dir), { code: 'M2MSEC_ADMIN_TOKEN_FILE_INVALID' })
})
