// Keyset paging shared by every operator list (src/store/page.ts).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, pageOf, pageRequest } from '../../../src/store/page.js'

test('pageRequest defaults the limit to 100 and keeps a cursor of printable ASCII', () => {
  assert.deepEqual(pageRequest({}), { ok: true, limit: DEFAULT_PAGE_LIMIT })
  assert.deepEqual(pageRequest({ limit: 1, cursor: 'enr 0001@mef.example' }), { ok: true, limit: 1, cursor: 'enr 0001@mef.example' })
  assert.deepEqual(pageRequest({ limit: MAX_PAGE_LIMIT }), { ok: true, limit: 1000 })
})

test('pageRequest names the field at fault: limit out of range or not an integer, cursor empty, too long or not printable', () => {
  for (const limit of [0, -1, 1001, 1.5, Number.NaN]) assert.equal((pageRequest({ limit }) as { field?: string }).field, 'limit', String(limit))
  for (const cursor of ['', 'x'.repeat(601), 'a\nb', 'é', '\u0000']) assert.equal((pageRequest({ cursor }) as { field?: string }).field, 'cursor', JSON.stringify(cursor))
})

test('pageOf: the extra row says another page follows, and the cursor is the last item\'s key', () => {
  assert.deepEqual(pageOf(['a', 'b', 'c'], 2, (x) => x.toUpperCase()), { items: ['a', 'b'], nextCursor: 'B' })
  assert.deepEqual(pageOf(['a', 'b'], 2, (x) => x), { items: ['a', 'b'] })
  assert.deepEqual(pageOf([], 2, (x: string) => x), { items: [] })
})

test('walking pages by cursor visits every key once, in order, whatever the page size', () => {
  fc.assert(fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 })), fc.integer({ min: 1, max: 7 }), (keys, limit) => {
    const sorted = [...keys].sort()
    const seen: string[] = []
    let cursor: string | undefined
    for (let guard = 0; guard <= sorted.length + 1; guard++) {
      const rows = sorted.filter((k) => cursor === undefined || k > cursor).slice(0, limit + 1)
      const page = pageOf(rows, limit, (k) => k)
      seen.push(...page.items)
      if (page.nextCursor === undefined) break
      cursor = page.nextCursor
    }
    assert.deepEqual(seen, sorted)
  }))
})
