/**
 * Prepared-statement cache for the embedded SQLite store (issue 5 bench: a complete enrolment
 * runs about twenty statements). Kysely's SQLite driver prepares every query it executes, and
 * better-sqlite3's prepare parses and plans the SQL each time: a third of the store's CPU on
 * the enrolment path. Kysely compiles a given query shape to the same SQL text every time (the
 * values travel as parameters), so a statement can be keyed by its text and reused.
 *
 * Bounded (oldest first out; the store has a few dozen query shapes, so eviction is for
 * pathological callers only) because an `in (?, ?, …)` list yields one text per length. A statement that is still iterating (a streamed select) is busy and cannot be
 * re-entered, so a busy hit gets a fresh, uncached statement instead. Statements survive schema
 * changes: SQLite re-prepares a statement whose schema changed on its next step.
 */
import type Database from 'better-sqlite3'
import type { SqliteDatabase, SqliteStatement } from 'kysely'

/** Statements kept per connection: far above the store's distinct query shapes. */
export const STATEMENT_CACHE_CAPACITY = 256

/** The better-sqlite3 database as Kysely's SqliteDialect takes it, with statements reused by SQL text. */
export function cachingSqliteDatabase(database: Database.Database, capacity = STATEMENT_CACHE_CAPACITY): SqliteDatabase {
  const cache = new Map<string, Database.Statement>()
  return {
    close: () => {
      cache.clear()
      database.close()
    },
    prepare: (text: string): SqliteStatement => {
      const hit = cache.get(text)
      if (hit !== undefined && !hit.busy) return hit
      const statement = database.prepare(text)
      if (hit === undefined) {
        cache.set(text, statement)
        if (cache.size > capacity) cache.delete(cache.keys().next().value as string)
      }
      return statement
    },
  }
}
