// KEK loading from a file (created 0600, refused when exposed or of the wrong size) and from an
// environment variable (hex or base64), and derived KEK ids (issue 4 "key custody").
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import fc from 'fast-check'
import { SecretBytes } from '../../../../src/core/index.js'
import { deriveKekId, generateKek, loadKekFile, loadKekFromEnv, parseKekText } from '../../../../src/store/custody/kek-source.js'
import { assertNoSecretIn } from './secret-forms.js'

const KEK_INVALID = { code: 'M2MSEC_STORE_KEK_INVALID' }
const KEK_INSECURE = { code: 'M2MSEC_STORE_KEK_INSECURE' }
const KEK_BYTES = Uint8Array.from({ length: 32 }, (_, i) => i)

// Own value: Python `hashlib.sha256(b'm2msec-kek-id' + b'\x00' + bytes(range(32))).hexdigest()[:16].upper()`.
const OWN_KEK_ID = { source: 'own: KEK id of bytes 00..1F (Python hashlib)', provenance: 'own', KEK: KEK_BYTES, id: '6BE16E56EA5A10F9' } as const

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-kek-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

test(OWN_KEK_ID.source, () => {
  assert.equal(deriveKekId(new SecretBytes(OWN_KEK_ID.KEK)), OWN_KEK_ID.id, OWN_KEK_ID.source)
  const flipped = OWN_KEK_ID.KEK.slice()
  flipped[0]! ^= 1
  assert.notEqual(deriveKekId(new SecretBytes(flipped)), OWN_KEK_ID.id, OWN_KEK_ID.source)
})

test('a missing KEK file is created with 32 random bytes and mode 0600, then reused', (t) => {
  const path = join(tempDir(t), 'sub', 'kek')
  const first = loadKekFile(path, { create: true })
  assert.equal(first.created, true)
  assert.equal(statSync(path).mode & 0o777, 0o600)
  assert.equal(readFileSync(path).length, 32)
  assert.equal(first.kek.key.length, 32)
  assert.match(first.kek.id, /^[0-9A-F]{16}$/)
  const second = loadKekFile(path, { create: true })
  assert.equal(second.created, false)
  assert.equal(second.kek.id, first.kek.id)
  assert.ok(second.kek.key.equals(first.kek.key))
  assert.equal(deriveKekId(new SecretBytes(new Uint8Array(readFileSync(path)))), first.kek.id)
})

test('a missing KEK file is an error when creation is not allowed', (t) => {
  assert.throws(() => loadKekFile(join(tempDir(t), 'kek'), { create: false }), KEK_INVALID)
})

test('a KEK file accessible to group or others is refused', (t) => {
  const path = join(tempDir(t), 'kek')
  writeFileSync(path, KEK_BYTES)
  for (const mode of [0o644, 0o640, 0o604, 0o620, 0o602, 0o660]) {
    chmodSync(path, mode)
    assert.throws(() => loadKekFile(path, { create: true }), KEK_INSECURE, mode.toString(8))
  }
  chmodSync(path, 0o400)
  assert.equal(loadKekFile(path, { create: false }).kek.id, OWN_KEK_ID.id)
})

test('a KEK file of the wrong size is refused', (t) => {
  const dir = tempDir(t)
  for (const length of [0, 1, 31, 33, 64]) {
    const path = join(dir, `kek-${length}`)
    writeFileSync(path, new Uint8Array(length), { mode: 0o600 })
    assert.throws(() => loadKekFile(path, { create: true }), KEK_INVALID, `length ${length}`)
  }
})

test('a KEK path that is a symlink or a directory is refused', (t) => {
  const dir = tempDir(t)
  const real = join(dir, 'real')
  writeFileSync(real, KEK_BYTES, { mode: 0o600 })
  const link = join(dir, 'link')
  symlinkSync(real, link)
  assert.throws(() => loadKekFile(link, { create: true }), KEK_INSECURE)
  const sub = join(dir, 'subdir')
  mkdirSync(sub, { mode: 0o700 })
  assert.throws(() => loadKekFile(sub, { create: true }), KEK_INSECURE)
})

test('an env KEK parses from hex (either case), base64 and base64url to the same key and id', () => {
  const b = Buffer.from(KEK_BYTES)
  for (const text of [b.toString('hex'), b.toString('hex').toUpperCase(), b.toString('base64'), b.toString('base64url'), ` ${b.toString('hex')}\n`]) {
    const kek = loadKekFromEnv({ M2MSEC_KEK: text })
    assert.equal(kek.id, OWN_KEK_ID.id, text)
    assert.deepEqual(kek.key.reveal(), KEK_BYTES)
  }
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.constantFrom('hex', 'base64', 'base64url' as const), (bytes, encoding) => {
      assert.deepEqual(parseKekText(Buffer.from(bytes).toString(encoding), 'test').key.reveal(), bytes)
    }),
  )
})

test('env KEK parse errors: unset, empty, wrong length, not hex/base64; the value never appears', () => {
  assert.throws(() => loadKekFromEnv({}), KEK_INVALID)
  assert.throws(() => loadKekFromEnv({ M2MSEC_KEK: '  ' }), KEK_INVALID)
  const long = new Uint8Array(33).fill(0x5a)
  const cases = [
    Buffer.from(KEK_BYTES.subarray(1)).toString('hex'),
    Buffer.from(long).toString('hex'),
    Buffer.from(KEK_BYTES.subarray(1)).toString('base64'),
    Buffer.from(long).toString('base64'),
    Buffer.from(KEK_BYTES).toString('hex').slice(1),
    Buffer.from(KEK_BYTES).toString('hex').replace(/^../, 'zz'),
    'not a key at all!',
    Buffer.from(KEK_BYTES).toString('base64').replace('A', '*'),
  ]
  for (const text of cases) {
    try {
      loadKekFromEnv({ M2MSEC_KEK: text })
      assert.fail(`accepted ${text.length}-character value`)
    } catch (error) {
      assert.equal((error as { code?: string }).code, 'M2MSEC_STORE_KEK_INVALID')
      const rendered = `${String(error)} ${inspect(error)}`
      assert.ok(!rendered.includes(text.trim()), 'error contains the value')
      assertNoSecretIn(rendered, [KEK_BYTES, long], 'error')
    }
  }
  assert.throws(() => loadKekFromEnv({ OTHER: Buffer.from(KEK_BYTES).toString('hex') }, 'MY_KEK'), { ...KEK_INVALID, message: /MY_KEK/ })
})

test('generated KEKs are 32 random bytes with distinct ids', () => {
  const a = generateKek()
  const b = generateKek()
  assert.equal(a.key.length, 32)
  assert.notEqual(a.id, b.id)
  assert.equal(a.id, deriveKekId(a.key))
})
