import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MEF_MAF_NAMES, MEF_MAF_RESOURCE_TYPE, MEF_MAF_ROOT, MEF_MAF_SCHEMAS, SEC_PREFIX } from '../../../src/onem2m/mef-maf-names.js'
import { RESOURCE_TYPE, M2M_ROOT_BY_TYPE } from '../../../src/onem2m/resource-type.js'
import { TS0004_SCHEMAS } from '../../../src/onem2m/resource-schemas.js'

test('mef-maf-interface.md §3.1: proposed ty codes 32001–32007 collide with no TS-0004 code', () => {
  const ts0004 = new Set<number>(Object.values(RESOURCE_TYPE))
  assert.deepEqual(Object.values(MEF_MAF_RESOURCE_TYPE), [32001, 32002, 32003, 32004, 32005, 32006, 32007])
  for (const ty of Object.values(MEF_MAF_RESOURCE_TYPE)) assert.ok(!ts0004.has(ty), String(ty))
})

test('mef-maf-interface.md §3.1/§6: roots are sec:<short>, distinct from every TS-0004 root', () => {
  assert.equal(SEC_PREFIX, 'sec')
  assert.deepEqual(MEF_MAF_ROOT, { mafBase: 'mafb', mafClientReg: 'macr', mefBase: 'mefb', mefClientReg: 'mecr', mefClientCmd: 'mecc', symmKeyReg: 'skr', ibcCred: 'ibcc', fetchCredentialsResult: 'fcr' })
  const m2mShorts = new Set([...Object.values(M2M_ROOT_BY_TYPE).map((r) => r.slice(4)), ...TS0004_SCHEMAS.map((s) => s.shortName)])
  for (const short of Object.values(MEF_MAF_ROOT)) assert.ok(!m2mShorts.has(short), short)
})

test('each MEF/MAF schema maps distinct long names to distinct short names (aliases aside)', () => {
  assert.equal(MEF_MAF_SCHEMAS.length, 8)
  for (const schema of MEF_MAF_SCHEMAS) {
    const byShort = new Map<string, string[]>()
    for (const [long, short] of Object.entries(schema.attributes?.names ?? {})) byShort.set(short, [...(byShort.get(short) ?? []), long])
    for (const [short, longs] of byShort) {
      assert.ok(longs.length === 1 || (short === 'cmst' && longs.includes('cmdStatus')), `${schema.longName}.${short}: ${longs.join(',')}`)
    }
  }
  assert.equal(new Set(Object.values(MEF_MAF_NAMES)).size, Object.values(MEF_MAF_NAMES).length)
})
