// The reference CSE's resource tree (TS-0004 §6.2.4 addressing, §7.3.3.5 delete with children).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ResourceTree } from '../../../../src/services/cse/resource-tree.js'
import type { CseResource } from '../../../../src/services/cse/resource.js'

function res(ri: string, rn: string, pi: string, ty = 3): CseResource {
  return { ty, ri, rn, pi, ct: '20250101T000000', lt: '20250101T000000', attrs: {} }
}

function tree(): ResourceTree {
  return new ResourceTree({ ty: 5, ri: 'in-cse', rn: 'cse-in', ct: '20250101T000000', lt: '20250101T000000', attrs: {} })
}

test('structured paths resolve from the CSEBase name through resource names (TS-0004 §6.2.4)', () => {
  const t = tree()
  t.add(res('Cae1', 'meter', 'in-cse', 2))
  t.add(res('cnt1', 'data', 'Cae1'))
  const cnt = t.get('cnt1')
  assert.ok(cnt)
  assert.equal(t.structuredPath(cnt), 'cse-in/meter/data')
  assert.equal(t.resolve(['meter', 'data']), cnt)
  assert.equal(t.resolve(['meter', 'nope']), undefined)
  assert.equal(t.resolve([]), t.root)
})

test('a duplicate resourceName under one parent is 4105 CONFLICT; the same name elsewhere is fine', () => {
  const t = tree()
  t.add(res('a', 'x', 'in-cse'))
  assert.throws(() => t.add(res('b', 'x', 'in-cse')), { rsc: 4105 })
  assert.throws(() => t.add(res('a', 'y', 'in-cse')), { rsc: 4105 })
  t.add(res('c', 'x', 'a'))
  assert.equal(t.size, 3)
})

test('adding under a missing parent is 4004 NOT_FOUND', () => {
  assert.throws(() => tree().add(res('a', 'x', 'gone')), { rsc: 4004 })
})

test('remove takes the whole subtree, children first, and frees the names (TS-0004 §7.3.3.5)', () => {
  const t = tree()
  t.add(res('a', 'x', 'in-cse'))
  t.add(res('b', 'y', 'a'))
  t.add(res('c', 'z', 'b'))
  t.add(res('d', 'w', 'in-cse'))
  const removed = t.remove('a').map((r) => r.ri)
  assert.deepEqual(removed, ['c', 'b', 'a'])
  assert.equal(t.get('b'), undefined)
  assert.deepEqual(t.children('in-cse').map((r) => r.ri), ['d'])
  t.add(res('e', 'x', 'in-cse'))
  assert.deepEqual(t.remove(t.root.ri), [])
  assert.equal(t.get('in-cse'), t.root)
})

test('children keep creation order and filter by type; descendants honour the level limit', () => {
  const t = tree()
  t.add(res('a', 'a', 'in-cse'))
  t.add(res('i1', 'i1', 'a', 4))
  t.add(res('s1', 's1', 'a', 23))
  t.add(res('i2', 'i2', 'a', 4))
  t.add(res('deep', 'deep', 'i2', 4))
  assert.deepEqual(t.children('a', 4).map((r) => r.ri), ['i1', 'i2'])
  assert.deepEqual([...t.descendants('in-cse', 1)].map((r) => r.ri), ['a'])
  assert.deepEqual([...t.descendants('in-cse')].map((r) => r.ri), ['a', 'i1', 's1', 'i2', 'deep'])
})
