// KEK files: exclusive creation (one winner when instances start together), atomic replacement,
// mode 0600 (issue 4 "a KEK loaded from a file, created with mode 0600 on first start").
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createPrivateFileExclusive, readPrivateFile, replacePrivateFile } from '../../../../src/store/custody/private-file.js'

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-pf-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

test('exclusive creation keeps the first content and leaves no temporary files', (t) => {
  const dir = tempDir(t)
  const path = join(dir, 'kek')
  assert.equal(createPrivateFileExclusive(path, Uint8Array.of(1, 2, 3)), true)
  assert.equal(createPrivateFileExclusive(path, Uint8Array.of(9)), false)
  assert.deepEqual([...readFileSync(path)], [1, 2, 3])
  assert.equal(statSync(path).mode & 0o777, 0o600)
  assert.deepEqual(readdirSync(dir), ['kek'])
})

test('replacement swaps the whole content and keeps mode 0600', (t) => {
  const dir = tempDir(t)
  const path = join(dir, 'ring')
  replacePrivateFile(path, Uint8Array.of(1))
  replacePrivateFile(path, Uint8Array.of(2, 2))
  assert.deepEqual([...(readPrivateFile(path, 10) ?? [])], [2, 2])
  assert.equal(statSync(path).mode & 0o777, 0o600)
  assert.deepEqual(readdirSync(dir), ['ring'])
  assert.equal(readPrivateFile(join(dir, 'missing'), 10), undefined)
})

test('two processes starting together on one data directory load the same KEK', async (t) => {
  const path = join(tempDir(t), 'data', 'kek')
  const module = resolve('src/store/custody/kek-source.ts')
  const script = `const { loadKekFile } = await import(${JSON.stringify(module)}); const r = loadKekFile(${JSON.stringify(path)}, { create: true }); console.log(JSON.stringify({ id: r.kek.id, created: r.created }))`
  const runOne = () =>
    new Promise<{ id: string; created: boolean }>((done, fail) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      let err = ''
      child.stdout.on('data', (d: Buffer) => (out += d.toString()))
      child.stderr.on('data', (d: Buffer) => (err += d.toString()))
      child.on('exit', (code) => (code === 0 ? done(JSON.parse(out) as { id: string; created: boolean }) : fail(new Error(`child exited ${code}: ${err}`))))
    })
  const results = await Promise.all([runOne(), runOne()])
  assert.equal(results[0]!.id, results[1]!.id)
  assert.equal(results.filter((r) => r.created).length, 1)
})
