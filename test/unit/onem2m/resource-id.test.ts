import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { formatTo, fromHttpPath, parseTo, toHttpPath } from '../../../src/onem2m/resource-id.js'
import { TS0009_PATH_EXAMPLES } from '../../vectors/wire-examples.js'
import { toValue } from './primitive-arbitraries.js'

test('TS-0009 Table 6.2.2.1-1: every row maps path → To, and To → path (trailing slash aside)', () => {
  assert.equal(TS0009_PATH_EXAMPLES.length, 6)
  for (const v of TS0009_PATH_EXAMPLES) {
    assert.equal(formatTo(fromHttpPath(v.path, 2048)), v.to, v.source)
    assert.equal(toHttpPath(parseTo(v.to, 2048)), v.path.replace(/\/$/, ''), v.source)
  }
})

test('wire.md §3.2: /x ↔ x, /~/x ↔ /x, /_/x ↔ //x, and #attr stays out of the path', () => {
  assert.equal(parseTo('cse-in/ae1', 100).form, 'cse-relative')
  assert.equal(parseTo('/in-cse/ae1', 100).form, 'sp-relative')
  assert.equal(parseTo('//sp.example.com/in-cse/ae1', 100).form, 'absolute')
  const t = parseTo('cse-in/ae1#rr', 100)
  assert.equal(t.attribute, 'rr')
  assert.equal(toHttpPath(t), '/cse-in/ae1')
})

test('to → path → to is the identity for generated identifiers (fast-check)', () => {
  fc.assert(fc.property(toValue, (to) => {
    const path = toHttpPath(parseTo(to, 2048))
    assert.ok(!path.includes('?') && !path.includes('#') && !path.includes(' '), path)
    assert.equal(formatTo(fromHttpPath(path, 2048)), to)
  }), { numRuns: 300 })
})

test('a KeID keeps its @ unencoded in the path and %40 decodes to it (mef-maf-interface.md §6)', () => {
  const to = 'fetchCredentials/1C2B16403482987C93BA591954C8B67C@mef.example.com/21'
  assert.equal(toHttpPath(parseTo(to, 200)), `/${to}`)
  assert.equal(formatTo(fromHttpPath('/fetchCredentials/1C2B16403482987C93BA591954C8B67C%40mef.example.com/21', 200)), to)
})

test('malformed to values: empty, empty segment, control character, bad attribute, too long, reserved first segment', () => {
  const cases: [string, RegExp][] = [
    ['', /empty/], ['a//b', /empty path segment/], ['/', /empty path segment/], ['a\u0001b', /control/],
    ['a#r r', /attribute/], ['x'.repeat(101), /limit is 100/], ['~/x', /reserved segment/], ['//sp.example.com', /SP-ID and a CSE-ID/],
  ]
  for (const [to, says] of cases) assert.throws(() => parseTo(to, 100), { code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, message: says }, JSON.stringify(to))
})
