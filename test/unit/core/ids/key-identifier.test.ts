import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { formatKeyIdentifier, isExportedKeyIdentifier, parseKeyIdentifier, splitKeyIdentifier } from '../../../../src/core/ids/key-identifier.js'
import { fromHex } from '../../../../src/core/bytes.js'
import { KEY_IDENTIFIER, REL_KEY_IDS } from '../../../vectors/onem2m-identifiers.js'

const ID_INVALID = { code: 'M2MSEC_ID_INVALID' }
const rel = fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/)

test('crypto.md §2.4 E2 / TS-0003 §10.3.5: Key Identifier = hexBinary(KcID)@MAF-FQDN', () => {
  assert.ok(KEY_IDENTIFIER.length > 0)
  for (const v of KEY_IDENTIFIER) {
    const id = formatKeyIdentifier(fromHex(v.KcID), v.MAF_FQDN)
    assert.equal(id, v.KeyIdentifier, v.source)
    assert.equal(formatKeyIdentifier(v.KcID.toLowerCase(), v.MAF_FQDN.toUpperCase()), v.KeyIdentifier, v.source)
    assert.equal(parseKeyIdentifier(v.KeyIdentifier), v.KeyIdentifier, v.source)
    assert.equal(isExportedKeyIdentifier(id), true, v.source)
    assert.deepEqual(splitKeyIdentifier(id), { relative: v.KcID, fqdn: v.MAF_FQDN }, v.source)
  }
})

test('TS-0003 Table 12.2-1 sec:relKeyID examples are valid RelativeKeyIDs and keep their case (OQ-2)', () => {
  assert.ok(REL_KEY_IDS.length > 0)
  for (const v of REL_KEY_IDS) {
    const id = formatKeyIdentifier(v.relKeyID, 'MEF.example.com')
    assert.equal(id, `${v.relKeyID}@mef.example.com`, v.source)
    assert.equal(isExportedKeyIdentifier(id), false, v.source)
  }
  assert.equal(parseKeyIdentifier('My-Key@maf.example.com'), 'My-Key@maf.example.com')
})

test('crypto.md §2.4 E2 Key Identifier negatives throw M2MSEC_ID_INVALID', () => {
  const v = KEY_IDENTIFIER[0]
  const bad = ['', v.KcID, `${v.KcID}@`, `@${v.MAF_FQDN}`, `a+b@${v.MAF_FQDN}`, `a/b@${v.MAF_FQDN}`, `a b@${v.MAF_FQDN}`,
    `a=@${v.MAF_FQDN}`, `${v.KcID}@${v.MAF_FQDN}@x`, `${v.KcID}@maf..example.com`, `I1U8vpY3qJ0hiuZNrke/NQ==@${v.MAF_FQDN}`]
  for (const text of bad) assert.throws(() => parseKeyIdentifier(text), ID_INVALID, `${v.source}: ${JSON.stringify(text)}`)
  assert.throws(() => formatKeyIdentifier(fromHex(v.KcID).subarray(1), v.MAF_FQDN), ID_INVALID)
})

test('property: formatKeyIdentifier → parse → format identity for KcID bytes and REL strings', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), rel, (kcId, relative) => {
    const a = formatKeyIdentifier(kcId, 'maf.example.com')
    assert.equal(parseKeyIdentifier(a), a)
    assert.equal(parseKeyIdentifier(a.toLowerCase()), a)
    const b = formatKeyIdentifier(relative, 'Maf.Example.com')
    assert.equal(parseKeyIdentifier(b), b)
    const { relative: r, fqdn } = splitKeyIdentifier(b)
    assert.equal(formatKeyIdentifier(r, fqdn), b)
  }))
})
