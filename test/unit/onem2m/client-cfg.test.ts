// X-11 for the clientCfg proposal (mef-maf-interface.md §3.8) and sec:keyRegCfg (TS-0003
// §12.4.3, mef-maf-interface.md §5.2): `ccfg` with `krc` entries survives a registration's
// write → JSON → read, long member names read as short ones, and malformed entries are refused.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { readClientCfg, writeClientCfg } from '../../../src/onem2m/client-cfg.js'
import type { ClientCfg, KeyRegCfg } from '../../../src/onem2m/client-cfg.js'
import { readClientReg, writeClientReg } from '../../../src/onem2m/mef-maf-resources.js'
import type { ClientReg, MefMafServer } from '../../../src/onem2m/mef-maf-resources.js'
import type { JsonValue } from '../../../src/onem2m/json.js'
import { formatTimestamp } from '../../../src/onem2m/timestamp.js'
import { SUID } from '../../../src/core/suid.js'

const SOURCE = 'mef-maf-interface.md §3.8 and §5.2 (ccfg / sec:keyRegCfg)'
const REG = { ri: 'mcrA', rn: 'mcrA', et: '20270101T000000', adfq: 'sp.example.com', clid: '//sp.example.com/mn-cse1' } as const

function roundTrip(server: MefMafServer, cfg: ClientCfg): ClientCfg {
  const reg: ClientReg = { ...REG, ccfg: writeClientCfg(cfg) }
  const wire = JSON.parse(JSON.stringify(writeClientReg(server, reg))) as JsonValue
  const ccfg = readClientReg(server, wire).ccfg
  assert.ok(ccfg !== undefined, `${SOURCE}: ccfg survives the registration`)
  return readClientCfg(ccfg)
}

const label = fc.string({ minLength: 1, maxLength: 24 })
const host = fc.domain()
const keyRegCfg: fc.Arbitrary<KeyRegCfg> = fc.record(
  {
    et: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => formatTimestamp(d)),
    lbl: fc.array(label, { minLength: 1, maxLength: 4 }),
    adfq: host,
    suid: fc.constantFrom(...Object.values(SUID)),
    tgis: fc.array(host.map((h) => `//${h}/in-cse`), { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: ['adfq', 'suid'], noNullPrototype: true },
)
const clientCfg: fc.Arbitrary<ClientCfg> = fc.record(
  { krc: fc.array(keyRegCfg, { maxLength: 5 }), vsi: label },
  { requiredKeys: ['krc'], noNullPrototype: true },
)

test(`${SOURCE}: ccfg with krc entries round-trips through a MAF and a MEF registration (fast-check)`, () => {
  fc.assert(
    fc.property(clientCfg, fc.constantFrom<MefMafServer>('maf', 'mef'), (cfg, server) => {
      assert.deepEqual(roundTrip(server, cfg), cfg, SOURCE)
    }),
    { numRuns: 200 },
  )
})

test(`${SOURCE}: the written ccfg uses the proposed short names`, () => {
  const cfg: ClientCfg = {
    krc: [{ et: '20270101T000000', lbl: ['site:berlin'], adfq: 'sp.example.com', suid: SUID.RSPF_SAEF, tgis: ['//sp.example.com/in-cse'] }],
    vsi: 'acme-1',
  }
  assert.deepEqual(writeClientCfg(cfg), {
    krc: [{ et: '20270101T000000', lbl: ['site:berlin'], adfq: 'sp.example.com', suid: 22, tgis: ['//sp.example.com/in-cse'] }],
    vsi: 'acme-1',
  })
  assert.deepEqual(writeClientCfg({ krc: [] }), {}, 'an empty krc is left out')
  assert.deepEqual(readClientCfg({}), { krc: [] })
})

test(`${SOURCE}: long member names read as the short ones, unknown members are ignored`, () => {
  const longForm = {
    'sec:mafClientReg': {
      resourceID: 'mcrA', resourceName: 'mcrA', expirationTime: '20270101T000000', adminFQDN: 'sp.example.com', clientID: '//sp.example.com/mn-cse1',
      clientCfg: {
        keyRegCfgs: [{ expirationTime: '20270101T000000', labels: ['a'], adminFQDN: 'sp.example.com', SUID: 32, targetIDs: ['//sp.example.com/in-cse'], vendorExt: 1 }],
        vendorInformation: 'acme-1',
        futureMember: { x: 1 },
      },
    },
  }
  const ccfg = readClientReg('maf', longForm).ccfg
  assert.ok(ccfg !== undefined)
  assert.deepEqual(readClientCfg(ccfg), {
    krc: [{ et: '20270101T000000', lbl: ['a'], adfq: 'sp.example.com', suid: 32, tgis: ['//sp.example.com/in-cse'] }],
    vsi: 'acme-1',
  })
})

test(`${SOURCE}: malformed krc entries are refused, naming the member`, () => {
  const good = { adfq: 'sp.example.com', suid: 22 }
  const cases: readonly [JsonValue, RegExp][] = [
    [{ krc: good }, /ccfg\.krc must be a list/],
    [{ krc: [good, 'x'] }, /ccfg\.krc\[1\] must be a JSON object/],
    [{ krc: [{ suid: 22 }] }, /ccfg\.krc\[0\]\.adfq is mandatory/],
    [{ krc: [{ adfq: 'sp.example.com' }] }, /ccfg\.krc\[0\]\.suid is mandatory/],
    [{ krc: [{ ...good, suid: 100 }] }, /ccfg\.krc\[0\]\.suid must be an integer in 0\.\.99/],
    [{ krc: [{ ...good, suid: 2.5 }] }, /suid must be an integer/],
    [{ krc: [{ ...good, et: '2027-01-01' }] }, /ccfg\.krc\[0\]\.et is not an m2m:timestamp/],
    [{ krc: [{ ...good, tgis: '//sp.example.com/in-cse' }] }, /ccfg\.krc\[0\]\.tgis must be a list/],
    [{ krc: [good], vsi: 7 }, /ccfg\.vsi must be a non-empty string/],
    [{ krc: Array.from({ length: 65 }, () => good) }, /at most 64/],
    ['krc', /ccfg must be a JSON object/],
  ]
  for (const [value, message] of cases) {
    assert.throws(() => readClientCfg(value), { code: 'M2MSEC_ONEM2M_MALFORMED', message }, JSON.stringify(value).slice(0, 60))
  }
})
