import { test } from 'node:test'
import assert from 'node:assert/strict'
import { SecretBytes } from '../../../src/core/secret.js'
import {
  readClientReg, readClientRegCreate, readClientRegUpdate, readServerBase, readSymmKeyReg, readSymmKeyRegCreate, readSymmKeyRegUpdate,
  writeClientReg, writeServerBase, writeSymmKeyReg,
} from '../../../src/onem2m/mef-maf-resources.js'
import type { ClientReg, SymmKeyReg } from '../../../src/onem2m/mef-maf-resources.js'
import { decodeHttpResponse } from '../../../src/onem2m/http-response.js'
import type { JsonValue } from '../../../src/onem2m/json.js'
import { WIRE_REQUEST_EXAMPLES, WIRE_RESPONSE_EXAMPLES } from '../../vectors/wire-examples.js'

const KEY = new Uint8Array(32).map((_, i) => 0xa0 + i)

test('mef-maf-interface.md §4.4: the MAF Client Registration request and response read as typed values', () => {
  const req = WIRE_REQUEST_EXAMPLES.find((v) => v.source.includes('MAF Client Registration request'))
  const rsp = WIRE_RESPONSE_EXAMPLES.find((v) => v.source.includes('MAF Client Registration response'))
  assert.ok(req !== undefined && rsp !== undefined)
  assert.deepEqual(readClientRegCreate('maf', JSON.parse(req.body) as JsonValue), { et: '20260101T000000', adfq: 'sp.example.com', lbl: ['site:berlin'] }, req.source)
  const { primitive } = decodeHttpResponse({ status: rsp.status, headers: rsp.headers, body: new TextEncoder().encode(rsp.body) })
  const reg = readClientReg('maf', primitive.pc)
  assert.equal(reg.ri, 'mcrK3Q9T0A4ZP2M7XW1', rsp.source)
  assert.equal(reg.clid, '//sp.example.com/mn-cse1', rsp.source)
  assert.deepEqual(writeClientReg('maf', reg), JSON.parse(rsp.body), rsp.source)
})

test('Client Registration requests enforce M/O/NP (TS-0003 8.8.2.3, 8.8.2.5)', () => {
  assert.throws(() => readClientRegCreate('mef', { 'sec:mecr': { et: '20260101T000000' } }), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /adfq is mandatory/ })
  assert.throws(() => readClientRegCreate('mef', { 'sec:mecr': { et: '20260101T000000', adfq: 'a.b', clid: 'x' } }), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /clid is not allowed/ })
  assert.throws(() => readClientRegCreate('mef', { 'sec:mecr': { et: 'soon', adfq: 'a.b' } }), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /et is not an m2m:timestamp/ })
  assert.throws(() => readClientRegCreate('mef', { 'sec:mecr': { et: '20260101T000000', adfq: 'not a host' } }), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /FQDN/ })
  assert.throws(() => readClientRegCreate('mef', { 'sec:macr': { et: '20260101T000000', adfq: 'a.b' } }), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /does not match resource type 32004/ })
  assert.deepEqual(readClientRegUpdate('maf', { 'sec:macr': { labels: ['x'] } }), { lbl: ['x'] })
  assert.throws(() => readClientRegUpdate('maf', { 'sec:macr': {} }), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /needs et or lbl/ })
})

test('a MEF registration carries the childResource reference to its command (K5)', () => {
  const reg: ClientReg = { ri: 'ecrA', rn: 'ecrA', et: '20260101T000000', adfq: 'sp.example.com', clid: '10-kpm@mef.example.com', ch: [{ nm: 'cmd', typ: 32005, val: 'mef/ecrA/cmd' }] }
  const json = writeClientReg('mef', reg)
  assert.deepEqual((json['sec:mecr'] as Record<string, unknown>)['ch'], [{ nm: 'cmd', typ: 32005, val: 'mef/ecrA/cmd' }])
  assert.deepEqual(readClientReg('mef', json).ch, reg.ch)
})

test('mef-maf-interface.md §4.4: Key Registration request, and kyv only for the Target', () => {
  const req = WIRE_REQUEST_EXAMPLES.find((v) => v.source.includes('MAF Key Registration'))
  assert.ok(req !== undefined)
  const create = readSymmKeyRegCreate(JSON.parse(req.body) as JsonValue)
  assert.deepEqual(create, { et: '20250302T000000', adfq: 'sp.example.com', suid: 32, tgis: ['//sp.example.com/in-cse'] }, req.source)
  const withKey = readSymmKeyRegCreate({ 'sec:skr': { et: '20250302T000000', adfq: 'sp.example.com', suid: 33, kyv: Buffer.from(KEY).toString('base64') } })
  assert.ok(withKey.kyv instanceof SecretBytes)
  assert.deepEqual(withKey.kyv.reveal(), KEY)
  const reg: SymmKeyReg = { ri: 'k1', rn: '9F1C0000000000000000000000000AE2', rkid: '9F1C0000000000000000000000000AE2', et: '20250302T000000', adfq: 'sp.example.com', suid: 32, tgis: ['//sp.example.com/in-cse'], clid: '//sp.example.com/mn-cse1', kyv: new SecretBytes(KEY) }
  const forSource = writeSymmKeyReg(reg, false)
  assert.ok(!JSON.stringify(forSource).includes(Buffer.from(KEY).toString('base64')))
  const forTarget = readSymmKeyReg(writeSymmKeyReg(reg, true))
  assert.deepEqual(forTarget.kyv?.reveal(), KEY)
  assert.equal(forTarget.rkid, reg.rkid)
  assert.equal(readSymmKeyReg(forSource).kyv, undefined)
})

test('Key Registration negatives: bad base64 key, missing suid, NP member, empty update', () => {
  const base = { et: '20250302T000000', adfq: 'sp.example.com', suid: 32 }
  assert.throws(() => readSymmKeyRegCreate({ 'sec:skr': { ...base, kyv: 'not base64!' } }), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /not base64 \(length 11\)/ })
  assert.throws(() => readSymmKeyRegCreate({ 'sec:skr': { et: base.et, adfq: base.adfq } }), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /suid is mandatory/ })
  assert.throws(() => readSymmKeyRegCreate({ 'sec:skr': { ...base, suid: 'x' } }), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /suid must be an integer/ })
  assert.throws(() => readSymmKeyRegCreate({ 'sec:skr': { ...base, rkid: 'AB' } }), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /rkid is not allowed/ })
  assert.throws(() => readSymmKeyRegUpdate({ 'sec:skr': {} }), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /needs et, lbl or tgis/ })
  assert.deepEqual(readSymmKeyRegUpdate({ 'sec:skr': { targetIDs: ['//a.b/c'] } }), { tgis: ['//a.b/c'] })
})

test('mef-maf-interface.md §4.3: <MEFBase> carries dcu; <MAFBase> never does', () => {
  const base = { ri: 'mef', rn: 'mef', fqdn: 'mef.example.com', suids: [21, 22], dcu: '1:https://dm.example.com', srv: ['3'] }
  const mef = writeServerBase('mef', base)
  assert.equal((mef['sec:mefb'] as Record<string, unknown>)['dcu'], '1:https://dm.example.com')
  assert.deepEqual(readServerBase('mef', mef).dcu, '1:https://dm.example.com')
  const maf = writeServerBase('maf', { ...base, ri: 'maf', rn: 'maf' })
  assert.equal(Object.hasOwn(maf['sec:mafb'] as object, 'dcu'), false)
})
