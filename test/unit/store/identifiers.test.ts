import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { normaliseKeyIdentifier, randomPrefixedId, randomRelativeKeyId } from '../../../src/store/identifiers.js'

test('fresh RelativeKeyIDs are 32 upper-case hex digits (frameworks.md OQ-2) and differ', () => {
  const ids = new Set(Array.from({ length: 200 }, randomRelativeKeyId))
  assert.equal(ids.size, 200)
  for (const id of ids) assert.match(id, /^[0-9A-F]{32}$/)
})

test('registration ids are prefix + 16 upper-case letters/digits (mef-maf-interface.md §3.4)', () => {
  for (let i = 0; i < 50; i++) assert.match(randomPrefixedId('mcr'), /^mcr[A-Z0-9]{16}$/)
  assert.match(randomPrefixedId('enr', 4), /^enr[A-Z0-9]{4}$/)
})

test('key identifiers normalise to upper-case hex and lower-case FQDN (OQ-2), idempotently', () => {
  assert.deepEqual(normaliseKeyIdentifier('9f1cab@MAF.Example.com'), { relative: '9F1CAB', fqdn: 'maf.example.com' })
  assert.deepEqual(normaliseKeyIdentifier('kpsa-0042@sp.example.com'), { relative: 'kpsa-0042', fqdn: 'sp.example.com' }, 'non-hex relative parts keep their case')
  fc.assert(fc.property(fc.stringMatching(/^[0-9A-Za-z._-]{1,40}$/), fc.domain(), (relative, fqdn) => {
    const once = normaliseKeyIdentifier(`${relative}@${fqdn}`)
    assert.deepEqual(normaliseKeyIdentifier(`${once.relative}@${once.fqdn}`), once)
  }))
  for (const bad of ['', 'noat', '@fqdn', 'rel@']) {
    assert.throws(() => normaliseKeyIdentifier(bad), { code: 'M2MSEC_ID_INVALID', kind: 'bad-input' }, bad)
  }
})

test('registration id characters are uniform over the 36 letters/digits (no modulo bias)', () => {
  const counts = new Map<string, number>()
  const ids = 20_000
  for (let i = 0; i < ids; i++) for (const c of randomPrefixedId('', 16)) counts.set(c, (counts.get(c) ?? 0) + 1)
  assert.equal(counts.size, 36)
  const expected = (ids * 16) / 36
  const chiSquare = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0)
  // 35 degrees of freedom: 85 is exceeded by chance with p < 1e-6; a plain byte % 36 bias gives about 600.
  assert.ok(chiSquare < 85, `chi-square ${chiSquare.toFixed(1)}`)
})
