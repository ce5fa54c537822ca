// Keyrings for rotation: the JSON file format, its checks, and loading from file or env
// (issue 4 "KEK rotation re-seals everything online").
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKek } from '../../../../src/store/custody/kek-source.js'
import {
  addKek,
  loadKeyring,
  parseKeyring,
  readKeyringFile,
  retireKek,
  serializeKeyring,
  writeKeyringFile,
} from '../../../../src/store/custody/keyring.js'
import type { Keyring } from '../../../../src/store/custody/keyring.js'

const KEK_INVALID = { code: 'M2MSEC_STORE_KEK_INVALID' }
const KEK_INSECURE = { code: 'M2MSEC_STORE_KEK_INSECURE' }

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-ring-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

function sameRing(a: Keyring, b: Keyring): void {
  assert.equal(a.activeKekId, b.activeKekId)
  assert.deepEqual(a.keks.map((k) => k.id), b.keks.map((k) => k.id))
  a.keks.forEach((k, i) => assert.ok(k.key.equals(b.keks[i]!.key)))
}

test('a keyring survives serialise/parse and a 0600 file round trip', (t) => {
  const old = generateKek()
  const ring = addKek({ activeKekId: old.id, keks: [old] }, generateKek())
  assert.equal(ring.keks.length, 2)
  assert.notEqual(ring.activeKekId, old.id)
  sameRing(parseKeyring(serializeKeyring(ring)), ring)
  const path = join(tempDir(t), 'keyring.json')
  writeKeyringFile(path, ring)
  assert.equal(statSync(path).mode & 0o777, 0o600)
  sameRing(readKeyringFile(path), ring)
  sameRing(loadKeyring({ kind: 'keyring', path }), ring)
  chmodSync(path, 0o644)
  assert.throws(() => readKeyringFile(path), KEK_INSECURE)
})

test('keyring documents with a wrong id, a duplicate, a missing active KEK or bad structure are refused', () => {
  const a = generateKek()
  const b = generateKek()
  const doc = JSON.parse(serializeKeyring({ activeKekId: a.id, keks: [a, b] })) as { active: string; keks: { id: string; key: string }[] }
  const variants: unknown[] = [
    { ...doc, keks: [{ ...doc.keks[0]!, id: b.id }, doc.keks[1]] },
    { ...doc, keks: [doc.keks[0], doc.keks[0]] },
    { ...doc, active: 'ABCDEF0123456789' },
    { ...doc, keks: [{ ...doc.keks[0]!, key: Buffer.alloc(31).toString('base64') }] },
    { ...doc, version: 2 },
    { ...doc, format: 'other' },
    { ...doc, keks: 'x' },
    { ...doc, keks: [{ id: a.id }] },
    [],
  ]
  for (const [i, variant] of variants.entries()) assert.throws(() => parseKeyring(JSON.stringify(variant)), KEK_INVALID, `variant ${i}`)
  assert.throws(() => parseKeyring('{not json'), KEK_INVALID)
})

test('retiring keeps the active KEK and refuses to remove it', () => {
  const a = generateKek()
  const b = generateKek()
  const ring = addKek({ activeKekId: a.id, keks: [a] }, b)
  assert.deepEqual(retireKek(ring, a.id).keks.map((k) => k.id), [b.id])
  assert.throws(() => retireKek(ring, b.id), KEK_INVALID)
  assert.equal(addKek(ring, a, false).keks.length, 2, 'adding a held KEK does not duplicate it')
})

test('an env keyring has the active KEK first and previous KEKs from <VAR>_PREVIOUS', () => {
  const a = generateKek()
  const b = generateKek()
  const hex = (k: typeof a) => Buffer.from(k.key.reveal()).toString('hex')
  const ring = loadKeyring({ kind: 'env', env: { M2MSEC_KEK: hex(b), M2MSEC_KEK_PREVIOUS: `${hex(a)}, ${hex(b)}` } })
  assert.equal(ring.activeKekId, b.id)
  assert.deepEqual(ring.keks.map((k) => k.id), [b.id, a.id])
  assert.throws(() => loadKeyring({ kind: 'env', env: { M2MSEC_KEK: hex(b), M2MSEC_KEK_PREVIOUS: 'zz' } }), KEK_INVALID)
})

test('a file source creates its KEK on first start and yields a one-KEK ring', (t) => {
  const path = join(tempDir(t), 'kek')
  const ring = loadKeyring({ kind: 'file', path, create: true })
  assert.equal(ring.keks.length, 1)
  assert.equal(ring.keks[0]!.id, ring.activeKekId)
  assert.equal(readFileSync(path).length, 32)
  writeFileSync(path, Buffer.alloc(32, 1), { mode: 0o600 })
  assert.notEqual(loadKeyring({ kind: 'file', path, create: false }).activeKekId, ring.activeKekId)
})
