// every `sec:` enumeration the project defines equals the TS-0003 clause 12.3.2 table
// value by value, in both directions; the only extra values are the project-private ones, and
// the source marks each of them PRIVATE (test/vectors/ts0003-sec-enumerations.ts).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  CERT_PROV_PROTOCOL_ID, CERT_SUBJECT_TYPE, CMD_CLASS_ID, CMD_STATUS_CODE, DEV_MGMT_ID, OBJECT_TYPE_ID,
} from '../../../src/onem2m/sec-enumerations.js'
import { CRED_ID_TYPE } from '../../../src/core/ids/credential-id.js'
import { SEC_ENUMERATIONS } from '../../vectors/ts0003-sec-enumerations.js'
import type { SecEnumerationEntry } from '../../vectors/ts0003-sec-enumerations.js'

interface Implementation {
  readonly values: Readonly<Record<string, number>>
  /** The file and constant that define it, for the PRIVATE-marker check. */
  readonly file: string
  readonly constant: string
}

const SEC_ENUMERATIONS_FILE = '../../../src/onem2m/sec-enumerations.ts'

/** Every enumeration of frameworks.md §20.3 and where the project defines it. */
const IMPLEMENTATIONS: Readonly<Record<string, Implementation>> = {
  'sec:credIDTypeID': { values: CRED_ID_TYPE, file: '../../../src/core/ids/credential-id.ts', constant: 'CRED_ID_TYPE' },
  'sec:devMgmtID': { values: DEV_MGMT_ID, file: SEC_ENUMERATIONS_FILE, constant: 'DEV_MGMT_ID' },
  'sec:cmdClassID': { values: CMD_CLASS_ID, file: SEC_ENUMERATIONS_FILE, constant: 'CMD_CLASS_ID' },
  'sec:cmdStatusCode': { values: CMD_STATUS_CODE, file: SEC_ENUMERATIONS_FILE, constant: 'CMD_STATUS_CODE' },
  'sec:certProvProtocolID': { values: CERT_PROV_PROTOCOL_ID, file: SEC_ENUMERATIONS_FILE, constant: 'CERT_PROV_PROTOCOL_ID' },
  'sec:certSubjectType': { values: CERT_SUBJECT_TYPE, file: SEC_ENUMERATIONS_FILE, constant: 'CERT_SUBJECT_TYPE' },
  'sec:objectTypeID': { values: OBJECT_TYPE_ID, file: SEC_ENUMERATIONS_FILE, constant: 'OBJECT_TYPE_ID' },
}

function tablesOf(enumeration: string, provenance: 'published' | 'own') {
  return SEC_ENUMERATIONS.filter((t) => t.enumeration === enumeration && t.provenance === provenance)
}

/** The source lines of `export const <constant> = { … }`, up to its closing `} as const`. */
function declarationLines(impl: Implementation): readonly string[] {
  const text = readFileSync(fileURLToPath(new URL(impl.file, import.meta.url)), 'utf8')
  const start = text.indexOf(`export const ${impl.constant} = {`)
  assert.ok(start >= 0, `${impl.constant} is declared in ${impl.file}`)
  const end = text.indexOf('} as const', start)
  return text.slice(start, end + 1).split('\n')
}

/** True when the member's line, or the doc comment line just above it, says PRIVATE. */
function markedPrivate(lines: readonly string[], entry: SecEnumerationEntry): boolean {
  const member = new RegExp(`(^|[\\s{,])${entry.name}: ${entry.value}\\b`)
  const at = lines.findIndex((line) => member.test(line))
  assert.ok(at >= 0, `${entry.name}: ${entry.value} is written as one member`)
  return (lines[at] as string).replace(/^.*?\{/, '').includes('PRIVATE') || (at > 0 && /^\s*\/\*\*.*PRIVATE/.test(lines[at - 1] as string))
}

test('frameworks.md §20.3: every clause 12.3.2 enumeration has a published table and an implementation', () => {
  const listed = new Set(SEC_ENUMERATIONS.map((t) => t.enumeration))
  assert.deepEqual([...listed].sort(), Object.keys(IMPLEMENTATIONS).sort())
  for (const name of listed) assert.equal(tablesOf(name, 'published').length, 1, `${name} has exactly one published table`)
})

for (const [enumeration, impl] of Object.entries(IMPLEMENTATIONS)) {
  const published = tablesOf(enumeration, 'published')
  const own = tablesOf(enumeration, 'own')
  const sources = published.map((t) => t.source).join('; ')

  test(`${sources}: ${enumeration} has every published value, with the published name`, () => {
    const entries = published.flatMap((t) => t.entries)
    assert.ok(entries.length > 0, `${enumeration}: the table is not empty`)
    for (const table of published) {
      for (const entry of table.entries) {
        assert.equal(impl.values[entry.name], entry.value, `${table.source}: ${entry.name} = ${entry.value}`)
      }
    }
    const values = entries.map((e) => e.value)
    assert.equal(new Set(values).size, values.length, `${enumeration}: the published table has no duplicate value`)
  })

  test(`${sources}: ${enumeration} has no value beyond the table except project-private ones marked PRIVATE`, () => {
    const publishedEntries = published.flatMap((t) => t.entries)
    const ownEntries = own.flatMap((t) => t.entries)
    const expected = new Map([...publishedEntries, ...ownEntries].map((e) => [e.name, e.value]))
    for (const [name, value] of Object.entries(impl.values)) {
      assert.equal(expected.get(name), value, `${enumeration}: ${name} = ${value} is neither in the published table nor a listed private value`)
    }
    assert.equal(Object.keys(impl.values).length, expected.size, `${enumeration}: no listed value is missing`)
    const implValues = Object.values(impl.values)
    assert.equal(new Set(implValues).size, implValues.length, `${enumeration}: one name per value`)
    const publishedValues = new Set(publishedEntries.map((e) => e.value))
    const lines = declarationLines(impl)
    for (const table of own) {
      for (const entry of table.entries) {
        assert.ok(!publishedValues.has(entry.value), `${table.source}: private ${entry.value} collides with a published value`)
        assert.ok(markedPrivate(lines, entry), `${table.source}: ${impl.constant}.${entry.name} is marked PRIVATE in ${impl.file}`)
      }
    }
    for (const entry of publishedEntries) {
      assert.ok(!markedPrivate(lines, entry), `${enumeration}: published ${entry.name} is not marked PRIVATE`)
    }
  })
}

test('values outside every table are absent (negative: neighbours of the published ranges)', () => {
  const probes: Readonly<Record<string, readonly number[]>> = {
    'sec:devMgmtID': [0, 5, -1],
    'sec:cmdClassID': [4, 99, 101, -1],
    'sec:cmdStatusCode': [0, 12, 21, 44, 102, 200, 203, 306, 402],
    'sec:certProvProtocolID': [0, 3],
    'sec:certSubjectType': [0, 4],
    'sec:objectTypeID': [0, 4],
    'sec:credIDTypeID': [9, 17, 29, 35, 40, 46, 50, 56, 61],
  }
  for (const [enumeration, values] of Object.entries(probes)) {
    const impl = IMPLEMENTATIONS[enumeration]
    assert.ok(impl !== undefined)
    const present = new Set(Object.values(impl.values))
    for (const v of values) assert.ok(!present.has(v), `${enumeration} does not define ${v}`)
  }
})
