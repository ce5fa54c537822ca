/**
 * Applies MIGRATIONS at start-up, idempotently. The whole run is one transaction under an
 * exclusive lock, so two instances starting at once against one PostgreSQL database apply each
 * version exactly once: PostgreSQL takes a transaction-scoped advisory lock (released by commit
 * or by the connection dying), SQLite takes its database write lock with BEGIN IMMEDIATE.
 * Both engines roll DDL back with the transaction, so a failed step leaves the previous schema.
 */
import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import { M2mSecError } from '../core/index.js'
import { classifyDriverError, translateDriverError } from './driver-errors.js'
import { StoreError } from './errors.js'
import { columnTypes, MIGRATIONS } from './migrations.js'
import type { Migration, StoreDialect } from './migrations.js'
import type { Database } from './schema.js'

/** Arbitrary constant naming the m2msec migration lock among a cluster's advisory locks. */
export const MIGRATION_LOCK_KEY = 0x6d326d73656301n

async function applyPending(db: Kysely<Database>, dialect: StoreDialect, list: readonly Migration[], now: number): Promise<number[]> {
  await db.schema.createTable('schema_migrations').ifNotExists()
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'bigint', (c) => c.notNull())
    .execute()
  const rows = await db.selectFrom('schema_migrations').select('version').execute()
  const applied = new Set(rows.map((r) => Number(r.version)))
  const known = Math.max(0, ...list.map((m) => m.version))
  const newest = Math.max(0, ...applied)
  if (newest > known) {
    throw new StoreError('M2MSEC_STORE_MIGRATION', 'internal',
      `database schema version ${newest} is newer than this build knows (${known})`)
  }
  const done: number[] = []
  for (const migration of [...list].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue
    await migration.up(db, columnTypes(dialect))
    await db.insertInto('schema_migrations').values({ version: migration.version, name: migration.name, applied_at: now }).execute()
    done.push(migration.version)
  }
  return done
}

/**
 * Whether every known version is already applied, read without any lock. A reader (`audit
 * verify`, an operator command beside a running `up`) then never takes the write lock; when
 * anything is missing the locked path below decides again.
 */
async function upToDate(db: Kysely<Database>, list: readonly Migration[]): Promise<boolean> {
  try {
    const rows = await db.selectFrom('schema_migrations').select('version').execute()
    const applied = new Set(rows.map((r) => Number(r.version)))
    const known = Math.max(0, ...list.map((m) => m.version))
    return list.every((m) => applied.has(m.version)) && Math.max(0, ...applied) <= known
  } catch {
    return false // no schema_migrations table yet
  }
}

function migrationError(cause: unknown): M2mSecError {
  if (cause instanceof M2mSecError) return cause
  // An unreachable or locked database is not a broken migration: callers retry those.
  if (classifyDriverError(cause) === 'M2MSEC_STORE_UNAVAILABLE') return translateDriverError(cause, 'migrate schema')
  return new StoreError('M2MSEC_STORE_MIGRATION', 'internal', 'schema migration failed', { cause })
}

/**
 * Brings the schema to the newest version and returns the versions applied by this call.
 * @throws StoreError M2MSEC_STORE_MIGRATION when a step fails or the schema is newer than this build.
 */
export async function migrate(db: Kysely<Database>, dialect: StoreDialect, now: number, list: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  try {
    if (await upToDate(db, list)) return []
    if (dialect === 'postgres') {
      return await db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`.execute(trx)
        return applyPending(trx, dialect, list, now)
      })
    }
    // Kysely's SQLite driver opens transactions with a deferred BEGIN; a second process could then
    // read the old version list before either writes. BEGIN IMMEDIATE takes the write lock first.
    return await db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn)
      try {
        const done = await applyPending(conn, dialect, list, now)
        await sql`commit`.execute(conn)
        return done
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => undefined)
        throw error
      }
    })
  } catch (error) {
    throw migrationError(error)
  }
}
