import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { fromHex, toHex } from '../../../../src/core/bytes.js'
import { SecretBytes } from '../../../../src/core/secret.js'
import {
  computeDigestAkaV1Md5,
  digestResponseMatches,
  formatAkaNonce,
  parseAkaNonce,
  type DigestAkaInput,
} from '../../../../src/core/gba/digest-aka.js'
import { RFC3310_DIGEST_AKA } from '../../../vectors/rfc3310-digest-aka.js'

type Vector = (typeof RFC3310_DIGEST_AKA)[number]

const inputOf = (v: Vector): DigestAkaInput => ({
  username: v.username,
  realm: v.realm,
  res: new SecretBytes(fromHex(v.RES)),
  method: v.method,
  uri: v.uri,
  nonce: v.nonce,
  qop: v.qop,
  nc: v.nc,
  cnonce: v.cnonce,
})

const latin1 = (secret: SecretBytes): string => Buffer.from(secret.reveal()).toString('latin1')

assert.ok(RFC3310_DIGEST_AKA.length === 3, 'request, rspauth and qop=auth vectors are listed')
for (const v of RFC3310_DIGEST_AKA) {
  test(`${v.source}: nonce, HA1 over the RES octets, HA2 and response`, () => {
    assert.equal(formatAkaNonce(fromHex(v.RAND), fromHex(v.AUTN)), v.nonce, `${v.source}: nonce`)
    const parsed = parseAkaNonce(v.nonce)
    assert.equal(toHex(parsed.rand), v.RAND, `${v.source}: RAND from nonce`)
    assert.equal(toHex(parsed.autn), v.AUTN, `${v.source}: AUTN from nonce`)
    assert.equal(parsed.serverData.length, 0, `${v.source}: no server data`)

    const result = computeDigestAkaV1Md5(inputOf(v))
    assert.equal(latin1(result.ha1), v.HA1, `${v.source}: HA1`)
    assert.equal(result.ha2, v.HA2, `${v.source}: HA2`)
    assert.equal(result.response, v.response, `${v.source}: response`)
    assert.ok(digestResponseMatches(v.response, result.response), v.source)
  })

  test(`${v.source}: a flipped bit in RES, another nc or another body changes the response`, () => {
    const res = fromHex(v.RES)
    res[7]! ^= 0x01
    assert.notEqual(computeDigestAkaV1Md5({ ...inputOf(v), res: new SecretBytes(res) }).response, v.response, `${v.source}: RES`)
    assert.notEqual(computeDigestAkaV1Md5({ ...inputOf(v), nc: '00000002' }).response, v.response, `${v.source}: nc`)
    // RES as hex text instead of octets is the classic mistake this pins down.
    const asText = new SecretBytes(new Uint8Array(Buffer.from(v.RES.toLowerCase(), 'latin1')))
    assert.notEqual(computeDigestAkaV1Md5({ ...inputOf(v), res: asText }).response, v.response, `${v.source}: RES as text`)
    const withBody = computeDigestAkaV1Md5({ ...inputOf(v), entityBody: Uint8Array.of(0x41) }).response
    if (v.qop === 'auth-int') assert.notEqual(withBody, v.response, `${v.source}: body`)
    else assert.equal(withBody, v.response, `${v.source}: qop=auth ignores the body`)
    assert.equal(digestResponseMatches(v.response, v.response.toUpperCase()), false, v.source)
    assert.equal(digestResponseMatches(v.response, v.response.slice(1)), false, v.source)
  })
}

test('RFC 2617 §3.2.2: with qop, nc must be 8 lower-case hex digits and cnonce present', () => {
  const v = RFC3310_DIGEST_AKA[0]
  for (const nc of [undefined, '1', '0000000G', '000000001', '0000000A']) {
    assert.throws(() => computeDigestAkaV1Md5({ ...inputOf(v), nc }), { code: 'M2MSEC_INPUT_INVALID' }, `nc ${nc}`)
  }
  for (const cnonce of [undefined, '']) {
    assert.throws(() => computeDigestAkaV1Md5({ ...inputOf(v), cnonce }), { code: 'M2MSEC_INPUT_INVALID' }, `cnonce ${cnonce}`)
  }
  // Without qop (RFC 2069 form) nc and cnonce are not used.
  const bare = computeDigestAkaV1Md5({ ...inputOf(v), qop: undefined, nc: undefined, cnonce: undefined })
  assert.notEqual(bare.response, v.response)
  assert.equal(latin1(bare.ha1), v.HA1)
})

test('RFC 3310 §3.2: nonces that are not base64 of at least RAND ‖ AUTN are rejected', () => {
  const v = RFC3310_DIGEST_AKA[0]
  const short = Buffer.from(fromHex(v.RAND + v.AUTN).subarray(1)).toString('base64')
  for (const bad of ['', short, v.nonce.slice(0, -1), v.nonce.replace('/', '_'), `${v.nonce} `, '!!!!']) {
    assert.throws(() => parseAkaNonce(bad), { code: 'M2MSEC_INPUT_INVALID' }, `nonce ${JSON.stringify(bad)}`)
  }
  assert.throws(() => formatAkaNonce(fromHex(v.RAND).subarray(1), fromHex(v.AUTN)), { code: 'M2MSEC_INPUT_INVALID' })
  assert.throws(() => formatAkaNonce(fromHex(v.RAND), new Uint8Array(17)), { code: 'M2MSEC_INPUT_INVALID' })
})

test('parseAkaNonce(formatAkaNonce(RAND, AUTN, data)) returns all three (property)', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      fc.uint8Array({ maxLength: 40 }),
      (rand, autn, data) => {
        const parsed = parseAkaNonce(formatAkaNonce(rand, autn, data))
        assert.equal(toHex(parsed.rand), toHex(rand))
        assert.equal(toHex(parsed.autn), toHex(autn))
        assert.equal(toHex(parsed.serverData), toHex(data))
      },
    ),
    { numRuns: 200 },
  )
})

test('HA1 never renders the RES or itself', () => {
  const v = RFC3310_DIGEST_AKA[0]
  const result = computeDigestAkaV1Md5(inputOf(v))
  const rendered = `${JSON.stringify(result)} ${String(result.ha1)}`
  assert.ok(!rendered.includes(v.HA1) && !rendered.toUpperCase().includes(v.RES))
})
