import assert from 'node:assert/strict'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { cachingSqliteDatabase } from '../../../src/store/statement-cache.js'

function memory() {
  const database = new Database(':memory:')
  database.exec('create table t (k integer primary key); insert into t values (1), (2), (3)')
  return database
}

test('statement cache: one SQL text is prepared once and its statement reused with new parameters', () => {
  const cached = cachingSqliteDatabase(memory())
  const first = cached.prepare('select k from t where k = ?')
  const second = cached.prepare('select k from t where k = ?')
  assert.equal(second, first)
  assert.deepEqual(second.all([2]), [{ k: 2 }])
  assert.deepEqual(first.all([3]), [{ k: 3 }])
  assert.notEqual(cached.prepare('select k from t where k > ?'), first, 'another text, another statement')
  cached.close()
})

test('statement cache: a statement still iterating is not handed out again (better-sqlite3 cannot re-enter it)', () => {
  const cached = cachingSqliteDatabase(memory())
  const text = 'select k from t order by k'
  const outer = cached.prepare(text)
  const seen: number[] = []
  for (const row of outer.iterate([]) as IterableIterator<{ k: number }>) {
    const inner = cached.prepare(text)
    assert.notEqual(inner, outer)
    seen.push(row.k, (inner.all([]) as { k: number }[]).length)
  }
  assert.deepEqual(seen, [1, 3, 2, 3, 3, 3])
  assert.equal(cached.prepare(text), outer, 'idle again: reused')
  cached.close()
})

test('statement cache: bounded, the oldest text leaves first', () => {
  const cached = cachingSqliteDatabase(memory(), 2)
  const a = cached.prepare('select 1')
  const b = cached.prepare('select 2')
  cached.prepare('select 3')
  assert.equal(cached.prepare('select 2'), b)
  assert.notEqual(cached.prepare('select 1'), a, 'evicted, prepared afresh')
  cached.close()
})

test('statement cache: close closes the database', () => {
  const database = memory()
  const cached = cachingSqliteDatabase(database)
  cached.close()
  assert.equal(database.open, false)
  assert.throws(() => cached.prepare('select 1'))
})
