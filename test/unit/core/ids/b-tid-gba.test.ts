import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { fromHex, toHex } from '../../../../src/core/bytes.js'
import { bTidDomain, bTidRand, formatBTid, parseBTid } from '../../../../src/core/ids/b-tid.js'
import { TS33220_GBA } from '../../../vectors/ts33220-gba.js'

assert.ok(TS33220_GBA.length > 0, 'GBA vectors are listed')
for (const v of TS33220_GBA) {
  test(`${v.source}: B-TID = base64(RAND)@BSF domain, and back`, () => {
    assert.equal(formatBTid(fromHex(v.RAND), v.BSF_domain), v.B_TID, v.source)
    assert.equal(formatBTid(fromHex(v.RAND), v.BSF_domain.toUpperCase()), v.B_TID, `${v.source}: domain emitted lower-case`)
    const parsed = parseBTid(v.B_TID)
    assert.equal(parsed, v.B_TID, v.source)
    assert.equal(toHex(bTidRand(parsed)), v.RAND, v.source)
    assert.equal(bTidDomain(parsed), v.BSF_domain, v.source)
  })

  test(`${v.source}: malformed B-TIDs are rejected with M2MSEC_ID_INVALID`, () => {
    const [b64, domain] = v.B_TID.split('@') as [string, string]
    const bad = [
      b64, // no domain
      `${b64}@`, // empty domain
      `${b64.slice(1)}@${domain}`, // 23 characters
      `${b64.replace('==', '')}@${domain}`, // padding stripped
      `${b64.slice(0, 21)}R==@${domain}`, // non-canonical: R leaves padding bits set
      `${b64.replace('/', '_')}@${domain}`, // base64url is not base64
      `${b64}@bsf..example.com`,
      `${b64}@bsf_example.com`,
      `${b64}@${domain}@${domain}`,
      `I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M=@${domain}`, // 32 bytes, not a RAND
    ]
    for (const text of bad) {
      assert.throws(() => parseBTid(text), { code: 'M2MSEC_ID_INVALID' }, `${v.source}: ${JSON.stringify(text)}`)
    }
    assert.throws(() => formatBTid(fromHex(v.RAND).subarray(1), v.BSF_domain), { code: 'M2MSEC_ID_INVALID' })
    assert.throws(() => formatBTid(fromHex(v.RAND), 'bsf example.com'), { code: 'M2MSEC_ID_INVALID' })
  })
}

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$/)
const fqdn = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'))

test('parseBTid(formatBTid(RAND, domain)) returns RAND and the domain (property)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fqdn, (rand, domain) => {
      const btid = formatBTid(rand, domain)
      const parsed = parseBTid(btid)
      assert.equal(toHex(bTidRand(parsed)), toHex(rand))
      assert.equal(bTidDomain(parsed), domain)
      assert.equal(parsed, btid)
    }),
    { numRuns: 200 },
  )
})

test('parseBTid never throws anything but M2MSEC_ID_INVALID on arbitrary text (property)', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 80 }), (text) => {
      try {
        parseBTid(text)
      } catch (error) {
        assert.equal((error as { code?: unknown }).code, 'M2MSEC_ID_INVALID')
      }
    }),
    { numRuns: 300 },
  )
})
