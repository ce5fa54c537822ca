import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { bTidCredentialValue, bTidDomain, bTidRand, formatBTid, parseBTid } from '../../../../src/core/ids/b-tid.js'
import { fromHex, toHex } from '../../../../src/core/bytes.js'
import { B_TID } from '../../../vectors/onem2m-identifiers.js'

const ID_INVALID = { code: 'M2MSEC_ID_INVALID' }

test('crypto.md §7.5 B-TID (TS 33.220 §4.5.2): RAND → B-TID, parse, base64url form of OQ-34', () => {
  assert.ok(B_TID.length > 0)
  for (const v of B_TID) {
    const bTid = formatBTid(fromHex(v.RAND), v.BSF_domain)
    assert.equal(bTid, v.B_TID, v.source)
    assert.equal(parseBTid(v.B_TID), v.B_TID, v.source)
    assert.equal(toHex(bTidRand(bTid)), v.RAND, v.source)
    assert.equal(bTidDomain(bTid), v.BSF_domain, v.source)
    assert.equal(`12-${bTidCredentialValue(bTid)}`, v.Credential_ID, v.source)
  }
})

test('crypto.md §7.5 B-TID negatives: flipped character, truncated, bad padding, bad domain', () => {
  const v = B_TID[0]
  const [rel, domain] = v.B_TID.split('@') as [string, string]
  const bad = [
    '', rel, `${rel}@`, `@${domain}`, `${rel}@${domain}@x`,
    `${rel.slice(1)}@${domain}`, // truncated
    `${rel.slice(0, 22)}=@${domain}`, // single pad
    `${rel.slice(0, 22)}@${domain}`, // no padding
    `${rel.slice(0, 21)}R==@${domain}`, // non-canonical last char (stray bits)
    `${rel.replace('/', '_')}@${domain}`, // base64url is not the B-TID form
    `${rel}@bsf..example.com`,
    `${rel}@-bsf.example.com`,
  ]
  for (const text of bad) assert.throws(() => parseBTid(text), ID_INVALID, JSON.stringify(text))
  assert.throws(() => formatBTid(new Uint8Array(15), domain), ID_INVALID)
  assert.throws(() => formatBTid(new Uint8Array(17), domain), ID_INVALID)
})

test('B-TID domain is lower-cased, the base64 part keeps its case (OQ-2)', () => {
  const v = B_TID[0]
  const [rel, domain] = v.B_TID.split('@') as [string, string]
  assert.equal(parseBTid(`${rel}@${domain.toUpperCase()}`), v.B_TID)
  assert.throws(() => parseBTid(`${rel.toLowerCase()}@${domain}`), ID_INVALID) // lower-casing breaks canonical base64 here
})

test('property: formatBTid → parseBTid → bTidRand round trip; Credential-ID value is base64url without "=+/"', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (rand) => {
    const bTid = formatBTid(rand, 'bsf.example.com')
    assert.equal(parseBTid(bTid), bTid)
    assert.deepEqual(bTidRand(bTid), rand)
    const value = bTidCredentialValue(bTid)
    assert.match(value, /^[A-Za-z0-9_-]{22}@bsf\.example\.com$/)
    const rel = bTid.slice(0, 24)
    assert.equal(value.slice(0, 22), rel.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''))
  }))
})
