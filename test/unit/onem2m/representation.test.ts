import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readRepresentation, schemaForRoot, schemaForType, writeRepresentation } from '../../../src/onem2m/representation.js'
import { TS0004_SCHEMAS } from '../../../src/onem2m/resource-schemas.js'
import { MEF_MAF_SCHEMAS } from '../../../src/onem2m/mef-maf-names.js'
import type { JsonObject, JsonValue } from '../../../src/onem2m/json.js'
import { RESOURCE_TYPE } from '../../../src/onem2m/resource-type.js'

test('TS-0004 §8.2.3: an <AE> with long attribute names and a long root is read with short names', () => {
  const rep = readRepresentation({ 'm2m:AE': { 'App-ID': 'Nmeter', requestReachability: true, supportedReleaseVersions: ['3'], resourceName: 'meter', childResource: [{ name: 'c', type: 3, value: 'cnt1' }] } }, RESOURCE_TYPE.AE)
  assert.equal(rep.root, 'm2m:ae')
  assert.deepEqual(rep.value, { api: 'Nmeter', rr: true, srv: ['3'], rn: 'meter', ch: [{ nm: 'c', typ: 3, val: 'cnt1' }] })
})

test('every table: long names in → short names out → strict writer accepts, for every schema', () => {
  const schemas = [...TS0004_SCHEMAS, ...MEF_MAF_SCHEMAS]
  assert.ok(schemas.length >= 19)
  for (const schema of schemas) {
    if (schema.attributes === undefined) continue
    // One long name per short name (a table may hold an alias such as cmdStatus for cmst).
    const firstLong = new Map<string, string>()
    for (const [long, short] of Object.entries(schema.attributes.names)) if (!firstLong.has(short)) firstLong.set(short, long)
    const long = Object.fromEntries([...firstLong.values()].map((name, i) => [name, i]))
    const rep = readRepresentation({ [`${schema.prefix}:${schema.longName}`]: long })
    const shorts = new Set(Object.values(schema.attributes.names))
    for (const key of Object.keys(rep.value as JsonObject)) assert.ok(shorts.has(key), `${schema.longName}: ${key}`)
    const written = writeRepresentation(schema, rep.value)
    assert.deepEqual(Object.keys(written), [`${schema.prefix}:${schema.shortName}`])
  }
})

test('the strict writer refuses long or unknown member names, also nested ones', () => {
  const ae = schemaForType(RESOURCE_TYPE.AE)
  assert.ok(ae !== undefined)
  assert.throws(() => writeRepresentation(ae, { 'App-ID': 'N' }), { code: 'M2MSEC_ONEM2M_MALFORMED', kind: 'internal', rsc: 5000 })
  assert.throws(() => writeRepresentation(ae, { api: 'N', zz: 1 }), { code: 'M2MSEC_ONEM2M_MALFORMED', kind: 'internal' })
  assert.throws(() => writeRepresentation(ae, { ch: [{ name: 'x', typ: 3, val: 'v' }] }), { code: 'M2MSEC_ONEM2M_MALFORMED', kind: 'internal' })
})

test('MEF/MAF roots: sec: is written, m2m: and long roots are read (mef-maf-interface.md §2.2)', () => {
  const a = readRepresentation({ 'm2m:macr': { adminFQDN: 'sp.example.com', expirationTime: '20260101T000000' } }, 32002)
  assert.equal(a.root, 'sec:macr')
  assert.deepEqual(a.value, { adfq: 'sp.example.com', et: '20260101T000000' })
  assert.equal(readRepresentation({ 'sec:mafClientReg': {} }).root, 'sec:macr')
  assert.equal(schemaForRoot('sec:skr')?.ty, 32006)
})

test('malformed Content: not an object, several roots, unknown root, ty mismatch, non-object value', () => {
  const cases: [JsonValue | undefined, number | undefined, RegExp][] = [
    [undefined, undefined, /JSON object/],
    ['text', undefined, /JSON object/],
    [{ 'm2m:ae': {}, 'm2m:cnt': {} }, undefined, /exactly one root/],
    [{ 'm2m:nope': {} }, undefined, /unknown Content root/],
    [{ 'm2m:ae': {} }, 3, /does not match resource type 3/],
    [{ 'm2m:ae': [] }, undefined, /must be a JSON object/],
    [{ 'm2m:ae': { api: 'N', 'App-ID': 'N' } }, undefined, /appears twice/],
  ]
  for (const [content, ty, says] of cases) {
    assert.throws(() => readRepresentation(content, ty), { code: 'M2MSEC_ONEM2M_MALFORMED', rsc: 4000, message: says }, String(says))
  }
})

test('a member called constructor or __proto__ stays plain data', () => {
  const rep = readRepresentation(JSON.parse('{"m2m:ae": {"constructor": 1, "__proto__": {"x": 1}}}') as JsonValue)
  assert.equal(Object.getPrototypeOf(rep.value), Object.prototype)
  assert.deepEqual(Object.keys(rep.value as JsonObject).sort(), ['__proto__', 'constructor'])
})
