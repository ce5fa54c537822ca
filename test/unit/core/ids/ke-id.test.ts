import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { formatKeId, isGbaKeId, parseKeId, splitKeId } from '../../../../src/core/ids/ke-id.js'
import { fromHex } from '../../../../src/core/bytes.js'
import { B_TID, KE_ID, KE_ID_CASE_VARIANT } from '../../../vectors/onem2m-identifiers.js'

const ID_INVALID = { code: 'M2MSEC_ID_INVALID' }
const label = fc.stringMatching(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,10}[a-zA-Z0-9])?$/)
const fqdn = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'))

test('crypto.md §2.3 E1 / TS-0003 §10.3.4: KeID from RelativeKeID and MEF-FQDN', () => {
  assert.ok(KE_ID.length > 0)
  for (const v of KE_ID) {
    const keId = formatKeId(fromHex(v.RelativeKeID), v.MEF_FQDN)
    assert.equal(keId, v.KeID, v.source)
    assert.equal(parseKeId(v.KeID), v.KeID, v.source)
    assert.deepEqual(splitKeId(keId), { relative: v.RelativeKeID, fqdn: v.MEF_FQDN }, v.source)
    assert.equal(isGbaKeId(keId), false, v.source)
  }
})

test('crypto.md §3 notes (OQ-2): a received lower-case hex / mixed-case FQDN KeID normalises', () => {
  for (const v of KE_ID_CASE_VARIANT) assert.equal(parseKeId(v.received), v.normalised, v.source)
})

test('crypto.md §3 KeID (GBA) = B-TID (TS-0003 §8.3.2.3): parses, base64 part untouched', () => {
  for (const v of B_TID) {
    const keId = parseKeId(v.B_TID)
    assert.equal(keId, v.B_TID, v.source)
    assert.equal(isGbaKeId(keId), true, v.source)
    assert.equal(splitKeId(keId).relative, v.B_TID.split('@')[0], v.source)
  }
})

test('crypto.md §2.3 E1 KeID negatives: each malformed class throws M2MSEC_ID_INVALID', () => {
  const v = KE_ID[0]
  const [hex, mef] = v.KeID.split('@') as [string, string]
  const bad = {
    empty: '',
    'no @': hex + mef,
    'truncated hex (31)': `${hex.slice(1)}@${mef}`,
    'hex too long (33)': `${hex}0@${mef}`,
    'odd length (30+1)': `${hex.slice(2)}A@${mef}`,
    'non-hex digit': `${hex.slice(0, 31)}G@${mef}`,
    'REL relative': `kpm-0001@${mef}`,
    'empty relative': `@${mef}`,
    'empty FQDN': `${hex}@`,
    'two @': `${hex}@${mef}@x`,
    'FQDN label > 63': `${hex}@${'a'.repeat(64)}.com`,
    'FQDN > 253': `${hex}@${Array.from({ length: 4 }, () => 'a'.repeat(63)).join('.')}`,
    'FQDN bad char': `${hex}@mef_example.com`,
    'trailing dot': `${hex}@${mef}.`,
    'spaces': ` ${v.KeID}`,
    '0x prefix': `0x${hex.slice(2)}@${mef}`,
  }
  for (const [name, text] of Object.entries(bad)) assert.throws(() => parseKeId(text), ID_INVALID, `${v.source}: ${name}`)
  assert.throws(() => formatKeId(new Uint8Array(15), mef), ID_INVALID)
  assert.throws(() => formatKeId(new Uint8Array(16), ''), ID_INVALID)
})

test('KeID error messages name the defect and the input length', () => {
  assert.throws(() => parseKeId('ABC@mef.example.com'), (e: unknown) =>
    e instanceof Error && /KeID/.test(e.message) && /32 hex/.test(e.message) && /length 19/.test(e.message))
})

test('property: formatKeId → parseKeId → formatKeId is the identity; case variants normalise alike', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fqdn, (rel, name) => {
    const keId = formatKeId(rel, name)
    assert.equal(parseKeId(keId), keId)
    assert.equal(parseKeId(keId.toLowerCase()), keId)
    assert.equal(parseKeId(`${splitKeId(keId).relative.toLowerCase()}@${name.toUpperCase()}`), keId)
    const { relative, fqdn: f } = splitKeId(keId)
    assert.deepEqual(fromHex(relative), rel)
    assert.equal(formatKeId(fromHex(relative), f), keId)
  }))
})
