import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { formatKpsaId, parseKpsaId, splitKpsaId } from '../../../../src/core/ids/kpsa-id.js'
import { B_TID, KE_ID, KPSA_ID } from '../../../vectors/onem2m-identifiers.js'

const ID_INVALID = { code: 'M2MSEC_ID_INVALID' }
const rel = fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/)

test('crypto.md §3 / wire.md §7.5 KpsaID examples (TS-0003 §10.5) parse unchanged', () => {
  assert.ok(KPSA_ID.length > 0)
  for (const v of KPSA_ID) assert.equal(parseKpsaId(v.KpsaID), v.KpsaID, v.source)
  assert.deepEqual(splitKpsaId(parseKpsaId('psk-0001@SP.example.com')), { relative: 'psk-0001', fqdn: 'sp.example.com' })
})

test('frameworks.md §5: a KeID or a B-TID used as KpsaID parses (hex upper-cased, B-TID untouched)', () => {
  for (const v of KE_ID) assert.equal(parseKpsaId(v.KeID.toLowerCase()), v.KeID, v.source)
  for (const v of B_TID) assert.equal(parseKpsaId(v.B_TID), v.B_TID, v.source)
})

test('crypto.md §3 KpsaID negatives throw M2MSEC_ID_INVALID', () => {
  const bad = ['', 'psk-0001', 'psk-0001@', '@sp.example.com', 'psk:0001@sp.example.com', 'psk 1@sp.example.com',
    'psk@sp.example.com@sp', 'psk@sp..example.com', `psk@${'a'.repeat(64)}`, 'psk~1@sp.example.com']
  for (const text of bad) assert.throws(() => parseKpsaId(text), ID_INVALID, JSON.stringify(text))
})

test('property: formatKpsaId → parse is identity and idempotent', () => {
  fc.assert(fc.property(rel, (relative) => {
    const id = formatKpsaId(relative, 'SP.example.com')
    assert.equal(parseKpsaId(id), id)
    assert.equal(splitKpsaId(id).fqdn, 'sp.example.com')
  }))
})
