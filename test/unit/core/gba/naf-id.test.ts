import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fromHex, toHex } from '../../../../src/core/bytes.js'
import { buildNafId, parseUaSecurityProtocolId, uaIdForTlsCipherSuite } from '../../../../src/core/gba/naf-id.js'
import { TS33220_GBA } from '../../../vectors/ts33220-gba.js'

assert.ok(TS33220_GBA.length > 0, 'GBA vectors are listed')
for (const v of TS33220_GBA) {
  test(`${v.source}: NAF_Id = FQDN ‖ Ua id 01 00 01 00 AE`, () => {
    assert.equal(toHex(uaIdForTlsCipherSuite()), v.UaId, `${v.source}: default Ua id`)
    assert.equal(toHex(buildNafId(v.NAF_FQDN)), v.NAF_Id, `${v.source}: default`)
    assert.equal(toHex(buildNafId(v.NAF_FQDN, parseUaSecurityProtocolId(fromHex(v.UaId)))), v.NAF_Id, `${v.source}: explicit`)
    // Case and NFKC compatibility forms reach the same bytes (both ends must agree).
    assert.equal(toHex(buildNafId(v.NAF_FQDN.toUpperCase())), v.NAF_Id, `${v.source}: upper case`)
    assert.equal(toHex(buildNafId('ｍａｆ.example.com')), v.NAF_Id, `${v.source}: full-width letters`)
  })
}

test('TS 33.220 annex H.3: the shared-key TLS Ua id carries the cipher suite code point', () => {
  assert.equal(toHex(uaIdForTlsCipherSuite(0xc0a8)), '010001C0A8')
  assert.equal(toHex(uaIdForTlsCipherSuite(0x0000)), '0100010000')
  for (const bad of [-1, 0x10000, 1.5]) {
    assert.throws(() => uaIdForTlsCipherSuite(bad), { code: 'M2MSEC_INPUT_INVALID' }, `suite ${bad}`)
  }
})

test('TS 33.220 annex H: a Ua id is 5 octets and organisation 00 only as 00 00 00 00 00', () => {
  assert.equal(toHex(parseUaSecurityProtocolId(fromHex('0000000000'))), '0000000000')
  assert.equal(toHex(parseUaSecurityProtocolId(fromHex('0100000002'))), '0100000002')
  for (const bad of ['01000100', '01000100AE00', '', '0001000000', '0000000001']) {
    assert.throws(() => parseUaSecurityProtocolId(fromHex(bad)), { code: 'M2MSEC_INPUT_INVALID' }, `Ua id ${bad}`)
  }
})

test('a NAF FQDN outside the FQDN grammar is rejected with M2MSEC_ID_INVALID', () => {
  const tooLong = Array.from({ length: 4 }, () => 'a'.repeat(63)).join('.')
  for (const bad of ['', 'maf..example.com', 'maf.example.com.', 'maf_1.example.com', 'maf example.com', `${'a'.repeat(64)}.com`, tooLong, 'mäf.example.com']) {
    assert.throws(() => buildNafId(bad), { code: 'M2MSEC_ID_INVALID' }, `FQDN ${JSON.stringify(bad)}`)
  }
})
