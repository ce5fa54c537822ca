import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SecretBytes } from '../../../src/core/secret.js'
import { fetchCredentialsTo, parseFetchCredentialsTarget, readFetchCredentialsResult, writeFetchCredentialsResult } from '../../../src/onem2m/fetch-credentials.js'
import { decodeHttpRequest } from '../../../src/onem2m/http-request.js'
import { WIRE_REQUEST_EXAMPLES } from '../../vectors/wire-examples.js'

const KEY = new Uint8Array(32).map((_, i) => 0x5a ^ i)

test('mef-maf-interface.md §6: the printed fetchCredentials request yields KeID and SUID', () => {
  const examples = WIRE_REQUEST_EXAMPLES.filter((v) => v.source.includes('fetchCredentials'))
  assert.ok(examples.length > 0)
  for (const v of examples) {
    const { primitive } = decodeHttpRequest({ method: v.method, path: v.path, headers: v.headers, body: new Uint8Array(0) })
    assert.deepEqual(parseFetchCredentialsTarget(primitive.to), { keId: '1C2B16403482987C93BA591954C8B67C@mef.example.com', suid: 21 }, v.source)
  }
  assert.equal(fetchCredentialsTo({ keId: '1c2b16403482987c93ba591954c8b67c@MEF.example.com', suid: 22 }), 'fetchCredentials/1C2B16403482987C93BA591954C8B67C@mef.example.com/22')
  assert.deepEqual(parseFetchCredentialsTarget('/fetchCredentials/AB@mef.example.com/22'), { keId: 'AB@mef.example.com', suid: 22 })
  assert.equal(parseFetchCredentialsTarget('mef/ecr1/cmd'), undefined)
})

test('fetchCredentials targets with a bad KeID, SUID or shape are 4000', () => {
  for (const to of ['fetchCredentials/AB/21', 'fetchCredentials/AB@mef.example.com/x', 'fetchCredentials/AB@mef.example.com', 'fetchCredentials/AB@mef.example.com/21/x']) {
    assert.throws(() => parseFetchCredentialsTarget(to), { code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000 }, to)
  }
})

test('fetchCredentials results: success carries the key as SecretBytes; failure carries errs', () => {
  const ok = writeFetchCredentialsResult({ stat: true, cred: new SecretBytes(KEY), enid: '//sp.example.com/mn-cse1', lftm: '20260101T000000' })
  assert.deepEqual(Object.keys(ok), ['sec:fcr'])
  const read = readFetchCredentialsResult(ok)
  assert.ok(read.stat)
  assert.deepEqual(read.cred.reveal(), KEY)
  assert.deepEqual(readFetchCredentialsResult(writeFetchCredentialsResult({ stat: false, errs: 'unknown KeID' })), { stat: false, errs: 'unknown KeID' })
  assert.throws(() => readFetchCredentialsResult({ 'sec:fcr': { stat: true, enid: 'x', lftm: '20260101T000000' } }), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /cred is mandatory/ })
  assert.throws(() => readFetchCredentialsResult({ 'sec:fcr': { cred: 'AA==' } }), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /stat is mandatory/ })
  assert.throws(() => readFetchCredentialsResult({ 'sec:skr': {} }), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /not a fetchCredentials result/ })
})
