import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { formatKmId, parseKmId, sameKmId, splitKmId } from '../../../../src/core/ids/km-id.js'
import { B_TID, KM_ID } from '../../../vectors/onem2m-identifiers.js'

const ID_INVALID = { code: 'M2MSEC_ID_INVALID' }
const rel = fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/)

test('crypto.md §3 KmID example (TS-0003 §10.6) parses unchanged', () => {
  assert.ok(KM_ID.length > 0)
  for (const v of KM_ID) {
    assert.equal(parseKmId(v.KmID), v.KmID, v.source)
    assert.deepEqual(splitKmId(parseKmId(v.KmID)), { relative: 'km-7f3a', fqdn: 'maf.example.com' }, v.source)
  }
})

test('TS-0003 §10.6: MAF relative KmID is case-insensitive (sameKmId), its case is kept (OQ-2)', () => {
  const a = parseKmId('km-7f3a@maf.example.com')
  const b = parseKmId('KM-7F3A@MAF.example.com')
  assert.equal(b, 'KM-7F3A@maf.example.com')
  assert.equal(sameKmId(a, b), true)
  assert.equal(sameKmId(a, parseKmId('km-7f3b@maf.example.com')), false)
  assert.equal(sameKmId(a, parseKmId('km-7f3a@maf2.example.com')), false)
})

test('crypto.md §7.5 / OQ-34: a B-TID KmID parses with the B-TID grammar and compares exactly', () => {
  for (const v of B_TID) {
    const kmId = parseKmId(v.B_TID)
    assert.equal(kmId, v.B_TID, v.source)
    assert.equal(sameKmId(kmId, parseKmId(v.B_TID)), true, v.source)
  }
})

test('crypto.md §3 KmID negatives throw M2MSEC_ID_INVALID', () => {
  const bad = ['', 'km-7f3a', 'km-7f3a@', '@maf.example.com', 'km 7f3a@maf.example.com', 'km+7f3a@maf.example.com',
    'km/7f3a@maf.example.com', 'km=@maf.example.com', 'kmé@maf.example.com', 'km@maf.example.com@x', 'km@maf_example.com',
    'I1U8vpY3qJ0hiuZNrke/NQ=@bsf.example.com', 'I1U8vpY3qJ0hiuZNrke/NR==@bsf.example.com']
  for (const text of bad) assert.throws(() => parseKmId(text), ID_INVALID, JSON.stringify(text))
})

test('property: formatKmId → parse is identity; sameKmId ignores relative and FQDN case', () => {
  fc.assert(fc.property(rel, (relative) => {
    const id = formatKmId(relative, 'maf.example.com')
    assert.equal(parseKmId(id), id)
    assert.equal(sameKmId(id, formatKmId(relative.toUpperCase(), 'MAF.EXAMPLE.COM')), true)
    assert.equal(sameKmId(id, formatKmId(relative.toLowerCase(), 'maf.example.com')), true)
  }))
})
