import { test } from 'node:test'
import assert from 'node:assert/strict'
import { formatQuery, parseQuery } from '../../../src/onem2m/http-query.js'
import { DEFAULT_LIMITS } from '../../../src/onem2m/limits.js'

test('TS-0009 §6.2.2.2: lists are +-joined or repeated; c./p. prefixes are child/parent attributes', () => {
  assert.deepEqual(parseQuery('ty=2+3+4', DEFAULT_LIMITS), { fc: { ty: [2, 3, 4] } })
  assert.deepEqual(parseQuery('ty=2&ty=3', DEFAULT_LIMITS), { fc: { ty: [2, 3] } })
  assert.deepEqual(parseQuery('c.rn=a&p.lbl=b&cr=Sam', DEFAULT_LIMITS), {
    fc: { catr: [{ nm: 'rn', val: 'a' }], patr: [{ nm: 'lbl', val: 'b' }], atr: [{ nm: 'cr', val: 'Sam' }] },
  })
  assert.deepEqual(parseQuery('da=1&tqi=false&asi=true', DEFAULT_LIMITS), { da: true, tqi: false })
})

test('a literal + inside a value survives when percent-encoded', () => {
  const q = formatQuery({ rids: ['a+b', 'c'], fc: { lbl: ['x y'] } })
  assert.equal(q, 'rids=a%2Bb+c&lbl=x%20y')
  assert.deepEqual(parseQuery(q, DEFAULT_LIMITS), { rids: ['a+b', 'c'], fc: { lbl: ['x y'] } })
})

test('malformed query fields name themselves', () => {
  const cases: [string, RegExp][] = [
    ['rcn', /not name=value/], ['=1', /not name=value/], ['da=yes', /true, false, 1 or 0/], ['lim=-1', /non-negative integer/],
    ['9x=1', /neither a parameter nor an attribute/], ['toString=1&rcn=1&rcn=2', /more than once/], ['a=%E0%A4', /percent-encoding/],
  ]
  for (const [q, says] of cases) assert.throws(() => parseQuery(q, DEFAULT_LIMITS), { code: 'M2MSEC_ONEM2M_MALFORMED', message: says }, q)
  assert.deepEqual(parseQuery('toString=1', DEFAULT_LIMITS), { fc: { atr: [{ nm: 'toString', val: '1' }] } })
})
