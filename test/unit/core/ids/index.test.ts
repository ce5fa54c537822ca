import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as ids from '../../../../src/core/ids/index.js'

test('src/core/ids/index.ts exposes the identifier API other modules code against', () => {
  const names = ['parseKeId', 'formatKeId', 'splitKeId', 'parseKeyIdentifier', 'formatKeyIdentifier', 'parseKmId', 'sameKmId',
    'parseKpsaId', 'CRED_ID_TYPE', 'parseCredentialId', 'formatCredentialId', 'credentialIdForKpmId', 'credentialIdForKmId',
    'credentialIdForKpsaId', 'credentialIdForRawPublicKey', 'parseCseId', 'parseAeId', 'toAbsoluteCseId', 'toAbsoluteAeId',
    'cseIdPublicDomainName', 'parseFqdn', 'parseBTid', 'formatBTid', 'niName', 'parseNiName', 'matchesNiName']
  for (const name of names) assert.ok(name in ids, name)
  assert.equal(ids.parseKeId('1c2b16403482987c93ba591954c8b67c@mef.example.com'), '1C2B16403482987C93BA591954C8B67C@mef.example.com')
})
