import assert from 'node:assert/strict'
import { test } from 'node:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect, sql } from 'kysely'
import { migrate } from '../../../src/store/migrate.js'
import { MIGRATIONS } from '../../../src/store/migrations.js'
import type { Migration } from '../../../src/store/migrations.js'
import type { Database as Schema } from '../../../src/store/schema.js'

function memoryDb(): Kysely<Schema> {
  return new Kysely<Schema>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) })
}

async function tables(db: Kysely<Schema>): Promise<string[]> {
  const result = await sql<{ name: string }>`select name from sqlite_master where type = 'table' order by name`.execute(db)
  return result.rows.map((r) => r.name)
}

test('migration versions are unique and ascending', () => {
  assert.ok(MIGRATIONS.length > 0)
  MIGRATIONS.forEach((m, i) => assert.equal(m.version, i + 1, m.name))
})

test('migrate applies every version once and is idempotent', async () => {
  const db = memoryDb()
  try {
    assert.deepEqual(await migrate(db, 'sqlite', 1), MIGRATIONS.map((m) => m.version))
    assert.deepEqual(await migrate(db, 'sqlite', 2), [])
    assert.ok((await tables(db)).includes('enrolments'))
  } finally {
    await db.destroy()
  }
})

test('a failing migration rolls back its DDL and records nothing (M2MSEC_STORE_MIGRATION)', async () => {
  const db = memoryDb()
  const broken: Migration = {
    version: MIGRATIONS.length + 1,
    name: 'broken',
    up: async (d) => {
      await d.schema.createTable('half_done').addColumn('x', 'text').execute()
      throw new Error('step failed')
    },
  }
  try {
    await migrate(db, 'sqlite', 1)
    await assert.rejects(migrate(db, 'sqlite', 2, [...MIGRATIONS, broken]), { code: 'M2MSEC_STORE_MIGRATION', kind: 'internal' })
    assert.ok(!(await tables(db)).includes('half_done'))
    const versions = await db.selectFrom('schema_migrations').select('version').execute()
    assert.equal(versions.length, MIGRATIONS.length)
  } finally {
    await db.destroy()
  }
})

test('a database newer than this build is refused', async () => {
  const db = memoryDb()
  try {
    await migrate(db, 'sqlite', 1)
    await db.insertInto('schema_migrations').values({ version: 999, name: 'from the future', applied_at: 1 }).execute()
    await assert.rejects(migrate(db, 'sqlite', 2), { code: 'M2MSEC_STORE_MIGRATION' })
  } finally {
    await db.destroy()
  }
})

test('an up-to-date database is opened without taking the write lock', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-migrate-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'db.sqlite')
  const first = new Kysely<Schema>({ dialect: new SqliteDialect({ database: new Database(path) }) })
  await migrate(first, 'sqlite', 1)
  await first.destroy()
  // Another connection holds the write lock, as a running service mid-transaction would.
  const holder = new Database(path)
  holder.exec('begin immediate')
  t.after(() => holder.close())
  const reader = new Database(path)
  reader.pragma('busy_timeout = 0')
  const second = new Kysely<Schema>({ dialect: new SqliteDialect({ database: reader }) })
  try {
    assert.deepEqual(await migrate(second, 'sqlite', 2), [])
  } finally {
    await second.destroy()
    holder.exec('rollback')
  }
})
