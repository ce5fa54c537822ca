import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readClientCmd, readClientCmdReport, writeClientCmd, writeClientCmdReport } from '../../../src/onem2m/mef-client-command.js'
import type { ClientCmd } from '../../../src/onem2m/mef-client-command.js'
import { CMD_CLASS_ID, CMD_STATUS_CODE } from '../../../src/onem2m/sec-enumerations.js'
import type { JsonValue } from '../../../src/onem2m/json.js'

const SOURCE = 'mef-maf-interface.md §4.4 (MEF command loop)'
const PRINTED_RETRIEVE = { 'sec:mecc': { cmid: '1', cmst: 10, cmdd: { ccid: 3, tgid: '//sp.example.com/mn-cse1', cmag: { mnca: { obp: './oneM2M/authProfile/1', otid: 1, otsa: { suid: 22 } } } } } }
const PRINTED_NEXT = { 'sec:mecc': { cmid: '2', cmst: 10, cmdd: { ccid: 0, tgid: '//sp.example.com/mn-cse1', cmag: { nmca: { rtdu: 'PT24H' } } } } }

test(`${SOURCE}: the printed commands read and re-write identically`, () => {
  for (const printed of [PRINTED_RETRIEVE, PRINTED_NEXT]) {
    const cmd = readClientCmd(printed)
    assert.deepEqual(writeClientCmd(cmd), printed, SOURCE)
  }
  assert.deepEqual(readClientCmd(PRINTED_RETRIEVE).cmdd.args, { kind: 'moNode', obp: './oneM2M/authProfile/1', otid: 1, otsa: { suid: 22 } })
  assert.deepEqual(readClientCmdReport({ 'sec:mecc': { cmid: '1', cmst: 20 } }), { cmid: '1', cmst: CMD_STATUS_CODE.MEF_CLIENT_CMD_OK })
  assert.deepEqual(writeClientCmdReport({ cmid: '1', cmst: 20 }), { 'sec:mecc': { cmid: '1', cmst: 20 } })
})

test('OQ-17: the wrapped otsa {apma: {suid}} is accepted on input and never emitted', () => {
  const wrapped = structuredClone(PRINTED_RETRIEVE) as { 'sec:mecc': { cmdd: { cmag: { mnca: Record<string, unknown> } } } }
  wrapped['sec:mecc'].cmdd.cmag.mnca['otsa'] = { apma: { suid: 22 } }
  assert.deepEqual(writeClientCmd(readClientCmd(wrapped as unknown as JsonValue)), PRINTED_RETRIEVE)
})

test('every argument kind round-trips, long names are read, numeric cmid compares as text', () => {
  const cmds: ClientCmd[] = [
    { cmid: '3', cmst: 10, cmdd: { ccid: CMD_CLASS_ID.CERT_PROV, args: { kind: 'certProv', cppi: 1, uri: 'https://mef.example.com/.well-known/est', cstp: 2, csbj: '/mn-cse1' } } },
    { cmid: '4', cmst: 11, cmdd: { ccid: CMD_CLASS_ID.DEV_CFG, args: { kind: 'devCfg', dcu: '1:http://server.dmprovider.com' } } },
    { cmid: '5', cmst: 10, cmdd: { ccid: CMD_CLASS_ID.IBC_PROV, tgid: '//sp.example.com/S1', args: { kind: 'ibcProv', uri: 'https://mef.example.com/mef' } } },
  ]
  for (const cmd of cmds) assert.deepEqual(readClientCmd(writeClientCmd(cmd)), cmd)
  const long = { 'sec:mefClientCmd': { cmdID: 7, cmdStatus: 10, cmdDescription: { cmdClassID: 0, cmdArgs: { noMoreCmdArgs: { retryDuration: 'PT1H' } } } } }
  assert.deepEqual(readClientCmd(long), { cmid: '7', cmst: 10, cmdd: { ccid: 0, args: { kind: 'noMoreCmd', rtdu: 'PT1H' } } })
})

test('K9: an unparsable Command Update is 4000 BAD_REQUEST', () => {
  const cases: [JsonValue, RegExp][] = [
    [{ 'sec:mecc': { cmid: '1' } }, /cmst is mandatory/],
    [{ 'sec:mecc': { cmst: 20 } }, /cmid is mandatory/],
    [{ 'sec:mecc': { cmid: '1', cmst: 'ok' } }, /cmst must be an integer/],
    [{ 'sec:mecc': { cmid: '1', cmst: 20, cmdd: {} } }, /cmdd is not allowed/],
    [{ 'sec:mecr': { cmid: '1', cmst: 20 } }, /does not match resource type 32005/],
  ]
  for (const [content, says] of cases) assert.throws(() => readClientCmdReport(content), { code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, message: says }, String(says))
  assert.throws(() => readClientCmd({ 'sec:mecc': { cmid: '1', cmst: 10, cmdd: { ccid: 0, cmag: { nmca: { rtdu: 'P' }, dcca: { dcu: 'x' } } } } }), { code: 'M2MSEC_ONEM2M_MALFORMED', message: /exactly one argument/ })
})
