import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { formatIbcId, parseIbcId } from '../../../../src/core/ids/ibc-id.js'
import { IBC_ID } from '../../../vectors/onem2m-identifiers.js'

const ID_INVALID = { code: 'M2MSEC_ID_INVALID' }

test('crypto.md §10 ID_2 (seed 003 grammar, OQ-24): format and parse', () => {
  assert.ok(IBC_ID.length > 0)
  for (const v of IBC_ID) {
    assert.equal(formatIbcId(v.mefFqdn, v.entityId, v.expirationTime), v.ID_2, v.source)
    assert.equal(formatIbcId(v.mefFqdn, v.entityId, new Date('2030-12-31T23:59:59.400Z')), v.ID_2, v.source)
    const parsed = parseIbcId(v.ID_2)
    assert.equal(parsed.id, v.ID_2, v.source)
    assert.equal(parsed.entityId, v.entityId, v.source)
    assert.equal(parsed.fqdn, v.mefFqdn, v.source)
    assert.equal(parsed.expirationTime, v.expirationTime, v.source)
    assert.equal(`60-${parsed.withoutExpiry}`, v.Credential_ID, v.source)
    const [fqdn, hex, time] = v.ID_2.split('@') as [string, string, string]
    assert.equal(parseIbcId(`${fqdn.toUpperCase()}@${hex.toLowerCase()}@${time}`).id, v.ID_2, v.source) // OQ-2
  }
})

test('crypto.md §10 ID_2 negatives throw M2MSEC_ID_INVALID', () => {
  const v = IBC_ID[0]
  const [fqdn, hex, time] = v.ID_2.split('@') as [string, string, string]
  const bad = [
    '', `${fqdn}@${hex}`, `${fqdn}@${hex}@${time}@x`, `@${hex}@${time}`, `${fqdn}@@${time}`,
    `${fqdn}@${hex.slice(1)}@${time}`, `${fqdn}@${hex.slice(0, -1)}G@${time}`,
    `${fqdn}@${hex}@20301231T235960`, `${fqdn}@${hex}@20300231T120000`, `${fqdn}@${hex}@20301231235959`,
    `${fqdn}@${hex}@2030-12-31T23:59:59`, `${fqdn}@${hex}@20301231T235959Z`,
    `${fqdn}@FF@${time}`, // not UTF-8
    `${fqdn}@2F4353452D413031@${time}`, // "/CSE-A01": SP-relative, not absolute
    `mef_x.com@${hex}@${time}`,
  ]
  for (const text of bad) assert.throws(() => parseIbcId(text), ID_INVALID, JSON.stringify(text))
  assert.throws(() => formatIbcId(fqdn, v.entityId, new Date(Number.NaN)), ID_INVALID)
})

test('property: formatIbcId → parseIbcId round trip', () => {
  fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$/), fc.date({ min: new Date('2000-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }), (cse, date) => {
    const entityId = `//m2m.example.com/${cse}`
    const id = formatIbcId('mef.example.com', entityId, date)
    const parsed = parseIbcId(id)
    assert.equal(parsed.id, id)
    assert.equal(parsed.entityId, entityId)
  }))
})
