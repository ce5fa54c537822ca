import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {
  CRED_ID_TYPE, credIdTypeName, credentialIdForCertificate, credentialIdForIbcId, credentialIdForKeyIdentifier, credentialIdForKmId,
  credentialIdForKpmId, credentialIdForKpsaId, credentialIdForRawPublicKey, formatCredentialId, hasCredentialIdForm, parseCredentialId,
} from '../../../../src/core/ids/credential-id.js'
import type { CredIdTypeId } from '../../../../src/core/ids/credential-id.js'
import { formatBTid } from '../../../../src/core/ids/b-tid.js'
import { parseKeId } from '../../../../src/core/ids/ke-id.js'
import { formatKeyIdentifier, parseKeyIdentifier } from '../../../../src/core/ids/key-identifier.js'
import { parseKmId } from '../../../../src/core/ids/km-id.js'
import { parseKpsaId } from '../../../../src/core/ids/kpsa-id.js'
import { fromHex } from '../../../../src/core/bytes.js'
import {
  B_TID, IBC_ID, KE_ID_CASE_VARIANT, KEY_IDENTIFIER, KM_ID, KPM_ID, KPSA_ID, RAW_PUBLIC_KEY,
} from '../../../vectors/onem2m-identifiers.js'

const ID_INVALID = { code: 'M2MSEC_ID_INVALID' }
const rel = fc.stringMatching(/^[A-Za-z0-9._-]{1,30}$/)

test('TS-0003 Table 12.3.2.1-1: type table holds every spec type plus private 60, names resolve', () => {
  const ids = Object.values(CRED_ID_TYPE)
  assert.deepEqual([...ids].sort((a, b) => a - b), [10, 11, 12, 13, 14, 15, 16, 30, 31, 32, 33, 34, 41, 42, 43, 44, 45, 51, 52, 53, 54, 55, 60])
  assert.equal(credIdTypeName(12), 'SAEF_SYMMETRIC')
  assert.equal(credIdTypeName(17), undefined)
})

test('TS-0003 Table 12.2-1 and crypto.md §3: KpmID, KmID, KpsaID Credential-IDs (types 10, 11, 12)', () => {
  for (const v of KPM_ID) assert.equal(credentialIdForKpmId(v.KpmID), v.Credential_ID, v.source)
  for (const v of KM_ID) assert.equal(credentialIdForKmId(parseKmId(v.KmID)), v.Credential_ID, v.source)
  for (const v of KPSA_ID) assert.equal(credentialIdForKpsaId(parseKpsaId(v.KpsaID)), v.Credential_ID, v.source)
  for (const v of [...KPM_ID, ...KM_ID, ...KPSA_ID]) {
    const parsed = parseCredentialId(v.Credential_ID)
    assert.equal(parsed.id, v.Credential_ID, v.source)
    assert.equal(`${parsed.typeId}-${parsed.value}`, v.Credential_ID, v.source)
  }
  assert.equal(credentialIdForKpmId('thiskey'), '10-thiskey') // KpmIDs have no spec format
})

test('crypto.md §3 notes (OQ-2): Credential-ID of a received mixed-case KeID is normalised', () => {
  for (const v of KE_ID_CASE_VARIANT) {
    assert.equal(credentialIdForKpsaId(parseKeId(v.received)), v.CredentialID, v.source)
    assert.equal(parseCredentialId(`12-${v.received}`).id, v.CredentialID, v.source)
    assert.equal(formatCredentialId(12, v.received), v.CredentialID, v.source)
  }
  assert.equal(parseCredentialId('11-KM-7f3a@MAF.example.com').id, '11-KM-7f3a@maf.example.com') // other relative parts keep case
})

test('frameworks.md OQ-34: B-TID → base64url inside Credential-IDs (types 11 and 12)', () => {
  for (const v of B_TID) {
    assert.equal(credentialIdForKpsaId(parseKpsaId(v.B_TID)), v.Credential_ID, v.source)
    assert.equal(credentialIdForKpsaId(parseKeId(v.B_TID)), v.Credential_ID, v.source)
    assert.equal(credentialIdForKmId(parseKmId(v.B_TID)), `11-${v.Credential_ID.slice(3)}`, v.source)
    assert.throws(() => parseCredentialId(`12-${v.B_TID}`), ID_INVALID, v.source) // the raw B-TID is not a Credential-ID value
  }
})

test('crypto.md §2.4 E2 / OQ-33: Credential-ID from a MAF Key Identifier (12-<KcID hex>@MAF)', () => {
  for (const v of KEY_IDENTIFIER) {
    assert.equal(credentialIdForKeyIdentifier(parseKeyIdentifier(v.KeyIdentifier)), `12-${v.KeyIdentifier}`, v.source)
  }
})

test('crypto.md §5 (OQ-25): raw public key Credential-ID is 30- + base64url(full SHA-256 of the SPKI)', () => {
  assert.ok(RAW_PUBLIC_KEY.length > 0)
  for (const v of RAW_PUBLIC_KEY) {
    assert.equal(credentialIdForRawPublicKey(fromHex(v.SPKI_DER)), v.Credential_ID, v.source)
    assert.equal(v.Credential_ID.slice(3), v.ni_sha_256.slice('ni:///sha-256;'.length), v.source)
    assert.equal(parseCredentialId(v.Credential_ID).id, v.Credential_ID, v.source)
    const flipped = fromHex(v.SPKI_DER)
    flipped[0]! ^= 1
    assert.notEqual(credentialIdForRawPublicKey(flipped), v.Credential_ID, v.source)
    const value = v.Credential_ID.slice(3)
    for (const bad of [value.slice(1), `${value}A`, value.slice(0, 22), `${value.slice(0, 42)}N`, value.replace('_', '/')]) {
      assert.throws(() => parseCredentialId(`30-${bad}`), ID_INVALID, v.source)
    }
  }
})

test('frameworks.md §4.4: certificate Credential-IDs (31 device OQ-26, 32 CSE-ID, 33 AE-ID, 34 Node-ID)', () => {
  assert.equal(credentialIdForCertificate('device', '1.3.6.1.4.1.99999.1'), '31-1.3.6.1.4.1.99999.1')
  assert.equal(credentialIdForCertificate('cse-id', '//m2m.example.com/CSE-B01'), '32-//m2m.example.com/CSE-B01')
  assert.equal(credentialIdForCertificate('ae-id', '//m2m.things.com/S98821'), '33-//m2m.things.com/S98821')
  assert.equal(credentialIdForCertificate('ae-id', '/cse2/C3532ea3'), '33-/cse2/C3532ea3')
  assert.equal(credentialIdForCertificate('node-id', 'urn:dev:ops:acme-sensor-0001'), '34-urn:dev:ops:acme-sensor-0001')
  assert.throws(() => credentialIdForCertificate('cse-id', 'CSE-B01'), ID_INVALID) // CSE-relative form carries no context
  assert.throws(() => credentialIdForCertificate('ae-id', 'Cae01'), ID_INVALID)
  assert.throws(() => credentialIdForCertificate('ae-id', '//m2m.example.com/CSE-B01'), ID_INVALID)
  assert.throws(() => credentialIdForCertificate('device', 'a/b'), ID_INVALID)
  assert.throws(() => credentialIdForCertificate('node-id', 'urn dev'), ID_INVALID)
})

test('crypto.md §10 / frameworks.md §4.4: IBC Credential-ID (private type 60) drops the expiry', () => {
  for (const v of IBC_ID) {
    assert.equal(credentialIdForIbcId(v.ID_2), v.Credential_ID, v.source)
    const variant = v.Credential_ID.toLowerCase().replace('mef.example.com', 'MEF.Example.com') // OQ-2: hex and FQDN case
    assert.equal(parseCredentialId(variant).id, v.Credential_ID, v.source)
  }
  assert.throws(() => parseCredentialId('60-mef.example.com'), ID_INVALID)
  assert.throws(() => parseCredentialId('60-mef.example.com@ABC'), ID_INVALID)
})

test('TS-0003 §10.4 Credential-ID negatives throw M2MSEC_ID_INVALID', () => {
  const bad = {
    empty: '',
    'no dash': '12psk-0001@sp.example.com',
    'only type': '12',
    'empty value': '12-',
    'non-numeric type': 'ab-psk@sp.example.com',
    'leading zero': '012-psk@sp.example.com',
    'negative type': '-12-psk@sp.example.com',
    'unknown type 17': '17-psk@sp.example.com',
    'unknown type 0': '0-psk@sp.example.com',
    'unknown type 99': '99-psk@sp.example.com',
    'huge type': '1234567890123-x',
    'space in value': '13-psk 1',
    'slash in generic value': '13-a/b',
    'colon in generic value': '31-a:b',
    'plus (raw B-TID)': '12-I1U8vpY3qJ0hiuZNrke/NQ==@bsf.example.com',
    '11 without @': '11-km-7f3a',
    '12 with bad FQDN': '12-psk@sp..example.com',
    '12 with two @': '12-psk@sp@example.com',
    '10 with bad chars': '10-kpm#1',
    'type with spaces': ' 12-psk@sp.example.com',
    'unicode digit type': '１２-psk@sp.example.com',
  }
  for (const [name, text] of Object.entries(bad)) assert.throws(() => parseCredentialId(text), ID_INVALID, name)
  assert.throws(() => formatCredentialId(17 as CredIdTypeId, 'x'), ID_INVALID)
})

test('OQ-20: hasCredentialIdForm tells a Credential-ID Client ID from a oneM2M ID', () => {
  assert.equal(hasCredentialIdForm('11-km-7f3a@maf.example.com'), true)
  assert.equal(hasCredentialIdForm('//m2m.example.com/CSE-B01'), false)
  assert.equal(hasCredentialIdForm('Cae01'), false)
})

test('property: Credential-IDs of scoped ids round-trip and are idempotent; case variants normalise alike', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), rel, fc.constantFrom<CredIdTypeId>(10, 11, 12), (kcId, relative, type) => {
    const hexId = formatCredentialId(type, formatKeyIdentifier(kcId, 'maf.example.com'))
    assert.equal(parseCredentialId(hexId).id, hexId)
    assert.equal(parseCredentialId(hexId.toLowerCase()).id, hexId)
    const relId = formatCredentialId(type, `${relative}@Sp.Example.com`)
    assert.equal(parseCredentialId(relId).id, relId)
    const { typeId, value } = parseCredentialId(relId)
    assert.equal(formatCredentialId(typeId, value), relId)
  }))
})

test('property: B-TID Credential-ID is the base64url transform of the RAND part (OQ-34)', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (rand) => {
    const bTid = formatBTid(rand, 'bsf.example.com')
    const id = credentialIdForKpsaId(parseKpsaId(bTid))
    const expected = bTid.split('@')[0]!.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
    assert.equal(id, `12-${expected}@bsf.example.com`)
    assert.equal(parseCredentialId(id).id, id)
    assert.deepEqual(new Uint8Array(Buffer.from(expected, 'base64url')), rand)
  }))
})

test('property: raw public key Credential-ID always parses as type 30', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 100 }), (spki) => {
    const id = credentialIdForRawPublicKey(spki)
    assert.deepEqual(parseCredentialId(id), { id, typeId: 30, value: id.slice(3) })
  }))
})
