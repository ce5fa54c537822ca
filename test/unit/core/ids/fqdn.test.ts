import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { parseFqdn } from '../../../../src/core/ids/fqdn.js'

const ID_INVALID = { code: 'M2MSEC_ID_INVALID' }
const label = fc.stringMatching(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,20}[a-zA-Z0-9])?$/)
const fqdn = fc.array(label, { minLength: 1, maxLength: 5 }).map((labels) => labels.join('.'))

test('crypto.md §3 FQDN grammar: example FQDNs parse and are lower-cased', () => {
  assert.equal(parseFqdn('mef.example.com'), 'mef.example.com')
  assert.equal(parseFqdn('MEF.Example.COM'), 'mef.example.com')
  assert.equal(parseFqdn('localhost'), 'localhost')
  assert.equal(parseFqdn('a-b.c0'), 'a-b.c0')
})

test('crypto.md §3 FQDN grammar: label of exactly 63 and total of exactly 253 characters are accepted', () => {
  const l63 = 'a'.repeat(63)
  assert.equal(parseFqdn(`${l63}.com`), `${l63}.com`)
  const total253 = [l63, l63, l63, 'b'.repeat(61)].join('.')
  assert.equal(total253.length, 253)
  assert.equal(parseFqdn(total253), total253)
})

test('crypto.md §3 FQDN grammar: malformed names are rejected with M2MSEC_ID_INVALID', () => {
  const bad = [
    '', '.', 'example.com.', '.example.com', 'a..b', `${'a'.repeat(64)}.com`,
    [('a'.repeat(63)), 'a'.repeat(63), 'a'.repeat(63), 'b'.repeat(62)].join('.'),
    'ex_ample.com', 'exa mple.com', '-a.com', 'a-.com', 'a.-b', '*.example.com', 'exämple.com', 'a@b', 'a/b',
  ]
  for (const text of bad) assert.throws(() => parseFqdn(text), ID_INVALID, JSON.stringify(text))
})

test('parseFqdn error message names the defect and the input length', () => {
  assert.throws(() => parseFqdn('a..b'), (e: unknown) => e instanceof Error && /empty label/.test(e.message) && /length 4/.test(e.message))
})

test('property: parseFqdn is idempotent and case variants normalise to the same name', () => {
  fc.assert(fc.property(fqdn, (name) => {
    const once = parseFqdn(name)
    assert.equal(parseFqdn(once), once)
    assert.equal(parseFqdn(name.toUpperCase()), once)
    assert.equal(once, name.toLowerCase())
  }))
})
