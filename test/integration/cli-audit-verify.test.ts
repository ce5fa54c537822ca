// `m2msec audit verify` on a real data directory, through the built CLI: an intact log passes and
// prints its head; an edited event or a deleted tail fails with exit status 1.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { auditLinker, openDataDirectoryStore, DATA_DIRECTORY_FILES } from '../../src/store/index.js'

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js')

function verify(dataDir: string, ...extra: string[]): { status: number | null; out: string } {
  const result = spawnSync(process.execPath, [CLI, 'audit', 'verify', '--data-dir', dataDir, ...extra], { encoding: 'utf8', timeout: 30_000 })
  return { status: result.status, out: `${result.stdout}${result.stderr}` }
}

async function seed(dataDir: string, count: number): Promise<void> {
  const store = await openDataDirectoryStore({ dataDir, create: true, env: {} })
  try {
    for (let i = 0; i < count; i++) {
      await store.transaction((tx) =>
        tx.audit.append({ actor: 'mef', action: 'enrolment.create', subject: { keId: `K${i}@mef.example.com` }, outcome: 'ok' }, auditLinker()),
      )
    }
  } finally {
    await store.close()
  }
}

test('audit verify passes on an intact log and fails once an event is edited', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'm2msec-audit-'))
  t.after(() => rmSync(dataDir, { recursive: true, force: true }))
  await seed(dataDir, 5)

  const ok = verify(dataDir)
  assert.equal(ok.status, 0, ok.out)
  assert.match(ok.out, /audit chain ok: 5 events/)
  const head = /head (\d+:[0-9A-Fa-f]+)/.exec(ok.out)?.[1]
  assert.ok(head, ok.out)

  const db = new Database(join(dataDir, DATA_DIRECTORY_FILES.database))
  db.prepare("UPDATE audit_events SET outcome = 'denied' WHERE seq = 3").run()
  db.close()
  const edited = verify(dataDir, '--json')
  assert.equal(edited.status, 1, edited.out)
  assert.deepEqual(JSON.parse(edited.out.trim().split('\n').at(-1)!).brokenAt, 3)
})

test('audit verify detects a deleted tail through the stored head and an operator anchor', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'm2msec-audit-'))
  t.after(() => rmSync(dataDir, { recursive: true, force: true }))
  await seed(dataDir, 4)
  const head = /head (\d+:[0-9A-Fa-f]+)/.exec(verify(dataDir).out)?.[1]
  assert.ok(head)

  const db = new Database(join(dataDir, DATA_DIRECTORY_FILES.database))
  db.prepare('DELETE FROM audit_events WHERE seq = 4').run()
  db.close()
  const truncated = verify(dataDir, '--anchor', head)
  assert.equal(truncated.status, 1, truncated.out)
  assert.match(truncated.out, /broken at seq/)
})

test('audit verify on a directory with no database says so and exits non-zero', (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'm2msec-audit-'))
  t.after(() => rmSync(dataDir, { recursive: true, force: true }))
  const missing = verify(dataDir)
  assert.notEqual(missing.status, 0)
  assert.match(missing.out, /no m2msec database/)
})
