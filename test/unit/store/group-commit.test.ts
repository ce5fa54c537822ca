import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect, sql } from 'kysely'
import type { RepoContext } from '../../../src/store/context.js'
import { groupCommitRunner, type GroupCommitOptions } from '../../../src/store/group-commit.js'
import type { Database as Schema } from '../../../src/store/schema.js'
import { createTestSealer } from '../../support/store-test-sealer.js'

interface Fixture {
  readonly run: <T>(work: (ctx: RepoContext) => Promise<T>) => Promise<T>
  readonly rows: () => string[]
  /** COMMIT statements executed so far. */
  readonly commits: () => number
  readonly path: string
}

async function fixture(t: TestContext, options: GroupCommitOptions = {}, busyTimeoutMs = 5000): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'm2msec-group-commit-'))
  const path = join(dir, 'g.sqlite')
  const database = new Database(path)
  database.pragma('journal_mode = WAL')
  database.pragma(`busy_timeout = ${busyTimeoutMs}`)
  database.exec('create table t (k text primary key)')
  let commits = 0
  const counting = {
    close: () => database.close(),
    prepare: (text: string) => {
      if (text === 'commit') commits++
      return database.prepare(text)
    },
  }
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: counting }) })
  t.after(async () => {
    await db.destroy()
    await rm(dir, { recursive: true, force: true })
  })
  const run = groupCommitRunner(db, { sealer: createTestSealer(), dialect: 'sqlite', clock: () => new Date() }, options)
  return {
    run,
    rows: () => (database.prepare('select k from t order by k').all() as { k: string }[]).map((r) => r.k),
    commits: () => commits,
    path,
  }
}

const insert = (k: string) => async (ctx: RepoContext): Promise<string> => {
  await sql`insert into t (k) values (${k})`.execute(ctx.db)
  return k
}

test('group commit: concurrent transactions share one COMMIT and each caller gets its own result', async (t) => {
  const f = await fixture(t)
  const keys = Array.from({ length: 10 }, (_, i) => `k${i}`)
  assert.deepEqual(await Promise.all(keys.map((k) => f.run(insert(k)))), keys)
  assert.deepEqual(f.rows(), [...keys].sort())
  assert.equal(f.commits(), 1, 'ten transactions requested in one event-loop turn commit together')
  await f.run(insert('later'))
  assert.equal(f.commits(), 2, 'a transaction requested later gets a COMMIT of its own')
})

test('group commit: a unit that throws is undone alone and its caller gets exactly its error', async (t) => {
  const f = await fixture(t)
  const own = new Error('refused by the procedure')
  const results = await Promise.allSettled([
    f.run(insert('a')),
    f.run(async (ctx) => {
      await insert('b')(ctx)
      throw own
    }),
    f.run(insert('a')), // a constraint violation inside the batch fails only this unit
    f.run(insert('c')),
  ])
  assert.equal(results[0].status, 'fulfilled')
  assert.equal(results[1].status === 'rejected' && results[1].reason, own)
  assert.ok(results[2].status === 'rejected' && (results[2].reason as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
  assert.equal(results[3].status, 'fulfilled')
  assert.deepEqual(f.rows(), ['a', 'c'], "the failed units' writes are rolled back, the others' committed")
  assert.equal(f.commits(), 1)
})

test('group commit: a lone transaction that throws rolls back and rethrows its own error', async (t) => {
  const f = await fixture(t)
  const own = new Error('alone')
  await assert.rejects(f.run(async (ctx) => {
    await insert('x')(ctx)
    throw own
  }), (error) => error === own)
  assert.deepEqual(f.rows(), [])
  assert.equal(f.commits(), 0)
})

test('group commit: when SQLite ends the batch transaction, units already run fail, units not run yet retry', async (t) => {
  const f = await fixture(t)
  const own = new Error('ended the transaction')
  const results = await Promise.allSettled([
    f.run(insert('a')),
    f.run(async (ctx) => {
      await sql`rollback`.execute(ctx.db) // what SQLITE_FULL does to the transaction
      throw own
    }),
    f.run(insert('c')),
  ])
  assert.ok(results[0].status === 'rejected' && /^M2MSEC_STORE_/.test((results[0].reason as { code: string }).code), 'a committed-looking unit whose writes were lost is told so')
  assert.equal(results[1].status === 'rejected' && results[1].reason, own)
  assert.equal(results[2].status, 'fulfilled', 'the unit that never ran is retried in the next batch')
  assert.deepEqual(f.rows(), ['c'])
})

test('group commit: a failed BEGIN fails every unit with M2MSEC_STORE_UNAVAILABLE and writes nothing', async (t) => {
  const f = await fixture(t, {}, 0)
  const other = new Database(f.path)
  other.exec('begin immediate')
  t.after(() => other.close())
  const results = await Promise.allSettled([f.run(insert('a')), f.run(insert('b'))])
  for (const r of results) assert.ok(r.status === 'rejected' && (r.reason as { code: string }).code === 'M2MSEC_STORE_UNAVAILABLE')
  other.exec('rollback')
  assert.deepEqual(f.rows(), [])
})

test('group commit with a durability hook: callers are answered after it, the next batch does not wait for it', async (t) => {
  const hooks: { resolve: () => void; reject: (e: Error) => void }[] = []
  const f = await fixture(t, { durable: () => new Promise((resolve, reject) => hooks.push({ resolve, reject })) })
  let firstDone = false
  const first = f.run(insert('a')).then((v) => {
    firstDone = true
    return v
  })
  while (hooks.length < 1) await new Promise((resolve) => setImmediate(resolve))
  assert.deepEqual(f.rows(), ['a'], 'committed')
  assert.equal(firstDone, false, 'not answered before the flush')
  const second = f.run(insert('b'))
  while (hooks.length < 2) await new Promise((resolve) => setImmediate(resolve))
  assert.deepEqual(f.rows(), ['a', 'b'], 'the second batch committed while the first flush was pending')
  hooks[0]!.resolve()
  assert.equal(await first, 'a')
  hooks[1]!.reject(Object.assign(new Error('EIO'), { code: 'EIO' }))
  await assert.rejects(second, { code: 'M2MSEC_STORE_UNAVAILABLE', kind: 'unavailable' })
})
