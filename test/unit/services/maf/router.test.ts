// The MAF router (mef-maf-interface.md §2.3, §3.9, §4.5): Host names the MAF (else 4004), `fr` is
// the authenticated MAF Client (else 4106), `to` forms, 4005 on <MAFBase>, 4108 for a foreign `ty`.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { OPERATION } from '../../../../src/onem2m/index.js'
import { routeRequest, routeTo } from '../../../../src/services/maf/router.js'
import { ADFQ, DAY, addKmClient, create, expectRefusal, mafRequest, openTestMaf, primitive, timestampIn } from './maf-fixtures.js'

const HOST = 'maf.example.com:8443'

test('routeTo: maf, maf/<regId>, <regId>, maf/<RelativeKeyID> (upper-cased, OQ-2) and the absolute form; anything else 4004', () => {
  assert.deepEqual(routeTo('maf', 'maf.example.com').route, { kind: 'base' })
  assert.deepEqual(routeTo('maf/mcrABCDEFGHIJKLMNOP', 'maf.example.com').route, { kind: 'registration', regId: 'mcrABCDEFGHIJKLMNOP' })
  assert.deepEqual(routeTo('mcrABCDEFGHIJKLMNOP', 'maf.example.com').route, { kind: 'registration', regId: 'mcrABCDEFGHIJKLMNOP' })
  assert.deepEqual(routeTo('maf/9f1c00112233445566778899aabbccdd', 'maf.example.com').route, { kind: 'key', relativeKeyId: '9F1C00112233445566778899AABBCCDD' })
  assert.deepEqual(routeTo('//maf.example.com/maf', 'maf.example.com').route, { kind: 'base' })
  for (const to of ['//other.example.com/maf', '/maf', 'mef', 'maf/a/b', 'maf/bad@id']) {
    assert.throws(() => routeTo(to, 'maf.example.com'), { rsc: 4004 }, to)
  }
})

test('Host other than the MAF-FQDN is 4004; fr other than the authenticated client is 4106; UPDATE <MAFBase> 4005; CREATE with another ty 4108', async (t) => {
  const maf = await openTestMaf(t)
  const peer = await addKmClient(maf, 'km-a@maf.example.com', '//sp.example.com/Sdev')
  const reg = create('maf', 32002, { 'sec:macr': { et: timestampIn(maf, DAY), adfq: ADFQ } })
  await expectRefusal(() => routeRequest(mafRequest(maf, reg, peer), maf.deps, 'other.example.com'), 4004, 'Host')
  await expectRefusal(() => routeRequest(mafRequest(maf, reg, peer), maf.deps, undefined), 4004, 'no Host')
  await expectRefusal(() => routeRequest(mafRequest(maf, { ...reg, fr: '//sp.example.com/Sother' }, peer), maf.deps, HOST), 4106, 'fr')
  await expectRefusal(() => routeRequest(mafRequest(maf, primitive(OPERATION.UPDATE, 'maf', { 'sec:mafb': {} }), peer), maf.deps, HOST), 4005, 'UPDATE base')
  await expectRefusal(() => routeRequest(mafRequest(maf, primitive(OPERATION.DELETE, 'maf'), peer), maf.deps, HOST), 4005, 'DELETE base')
  await expectRefusal(() => routeRequest(mafRequest(maf, create('maf', 32004, { 'sec:mecr': {} }), peer), maf.deps, HOST), 4108, 'mefClientReg ty')
  await expectRefusal(() => routeRequest(mafRequest(maf, primitive(OPERATION.RETRIEVE, 'maf/ABCD#kyv'), peer), maf.deps, HOST), 4000, 'partial key')
  const ok = await routeRequest(mafRequest(maf, { ...reg, fr: '11-km-a@maf.example.com' }, peer), maf.deps, HOST)
  assert.equal(ok.response.rsc, 2001, 'the Credential-ID form of fr is accepted (OQ-20)')
  const base = await routeRequest(mafRequest(maf, primitive(OPERATION.RETRIEVE, 'maf'), peer), maf.deps, HOST)
  assert.deepEqual((base.response.pc as Record<string, Record<string, unknown>>)['sec:mafb']?.suids, [32, 33, 34, 35])
})
