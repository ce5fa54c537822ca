import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { matchesNiName, niName, parseNiName, spkiSha256 } from '../../../../src/core/ids/ni-name.js'
import type { NiHashAlg } from '../../../../src/core/ids/ni-name.js'
import { fromHex, toHex } from '../../../../src/core/bytes.js'
import { RAW_PUBLIC_KEY } from '../../../vectors/onem2m-identifiers.js'

const ID_INVALID = { code: 'M2MSEC_ID_INVALID' }

test('crypto.md §5 (RFC 6920, TS-0003 §10.1.2): SHA-256 and the three ni names of one SPKI', () => {
  assert.ok(RAW_PUBLIC_KEY.length > 0)
  for (const v of RAW_PUBLIC_KEY) {
    const spki = fromHex(v.SPKI_DER)
    assert.equal(toHex(spkiSha256(spki)), v.SHA_256, v.source)
    assert.equal(niName(spki), v.ni_sha_256, v.source)
    assert.equal(niName(spki, 'sha-256'), v.ni_sha_256, v.source)
    assert.equal(niName(spki, 'sha-256-128'), v.ni_sha_256_128, v.source)
    assert.equal(niName(spki, 'sha-256-120'), v.ni_sha_256_120, v.source)
    for (const ni of [v.ni_sha_256, v.ni_sha_256_128, v.ni_sha_256_120]) {
      assert.equal(parseNiName(ni).name, ni, v.source)
      assert.equal(matchesNiName(spki, ni), true, v.source)
    }
    assert.equal(toHex(parseNiName(v.ni_sha_256_120).digest), v.SHA_256.slice(0, 30), v.source)
  }
})

test('crypto.md §5 negatives: flipped SPKI bit does not match; malformed names throw M2MSEC_ID_INVALID', () => {
  const v = RAW_PUBLIC_KEY[0]
  const flipped = fromHex(v.SPKI_DER)
  flipped[flipped.length - 1]! ^= 1
  for (const ni of [v.ni_sha_256, v.ni_sha_256_128, v.ni_sha_256_120]) assert.equal(matchesNiName(flipped, ni), false, v.source)
  const value = v.ni_sha_256.slice('ni:///sha-256;'.length)
  const bad = [
    '', 'ni:///sha-256', `ni:///sha-256;`, `ni:///;${value}`, `ni://example.com/sha-256;${value}`, `NI:///sha-256;${value}`,
    `ni:///sha-512;${value}`, `ni:///sha-256-96;${value.slice(0, 16)}`, `ni:///sha-256;${value.slice(1)}`, `ni:///sha-256;${value}A`,
    `ni:///sha-256;${value}=`, `ni:///sha-256;${value.replace('-', '+')}`, `ni:///sha-256-128;${value}`,
    `ni:///sha-256;${value.slice(0, 42)}N`, // non-canonical last character
    `ni:///sha-256;${value}?ct=text/plain`,
  ]
  for (const text of bad) {
    assert.throws(() => parseNiName(text), ID_INVALID, JSON.stringify(text))
    assert.throws(() => matchesNiName(fromHex(v.SPKI_DER), text), ID_INVALID, JSON.stringify(text))
  }
})

test('property: niName → parseNiName round trip and self-match for every algorithm', () => {
  const algs: NiHashAlg[] = ['sha-256', 'sha-256-128', 'sha-256-120']
  fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 120 }), fc.constantFrom(...algs), (spki, alg) => {
    const ni = niName(spki, alg)
    const parsed = parseNiName(ni)
    assert.equal(parsed.alg, alg)
    assert.equal(niName(spki, alg), parsed.name)
    assert.equal(matchesNiName(spki, ni), true)
    assert.deepEqual(parsed.digest, spkiSha256(spki).subarray(0, parsed.digest.length))
  }))
})
