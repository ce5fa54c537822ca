// `enrolee import` (issue 5: "thousands of rows … one bad row never aborts or half-applies the
// rest"), on a real SQLite store.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { addEnrolee, importEnrolees, parseImportFile } from '../../../../../src/services/mef/operator/index.js'
import type { ImportProgress } from '../../../../../src/services/mef/operator/index.js'
import type { Store } from '../../../../../src/store/index.js'
import Database from 'better-sqlite3'
import { assertNoKey, NOW, openTestStore } from './operator-fixtures.js'

const HEADER = 'kpm_id,kpm,enrolment_expiry,enrolee_id,targets'

/** Row counts read straight from the SQLite file: enrolees, their Kpm rows, enrolees named in audit events. */
async function counts(store: Store, dbPath: string): Promise<{ enrolees: number; psks: number; adds: number }> {
  const adds = await store.transaction(async (tx) => {
    let n = 0
    let afterSeq = 0
    for (;;) {
      const page = await tx.audit.list({ afterSeq, limit: 1000 })
      // one event per write transaction; an import batch lists every enrolee it added
      for (const e of page) if (e.action === 'enrolee.add') n += typeof e.subject.count === 'number' ? e.subject.count : 1
      if (page.length < 1000) return n
      afterSeq = page.at(-1)?.seq ?? 0
    }
  })
  const db = new Database(dbPath, { readonly: true })
  try {
    const one = (sql: string): number => Number((db.prepare(sql).get() as { n: number }).n)
    return { enrolees: one('SELECT COUNT(*) AS n FROM enrolees'), psks: one("SELECT COUNT(*) AS n FROM psk_credentials WHERE owner_kind = 'enrolee'"), adds }
  } finally {
    db.close()
  }
}

test('5,000 CSV rows with a few bad ones: bad rows rejected with their line, every other row stored whole', async (t) => {
  const { store, dbPath } = await openTestStore(t)
  const keys: string[] = []
  const lines = [HEADER]
  const bad = new Map<number, string>([[101, 'M2MSEC_ENROLEE_KPM_WEAK'], [2002, 'M2MSEC_ENROLEE_INVALID'], [3500, 'M2MSEC_ENROLEE_INVALID'], [4999, 'M2MSEC_ENROLEE_EXISTS']])
  for (let i = 1; i <= 5000; i++) {
    const kpm = randomBytes(32).toString('hex')
    keys.push(kpm)
    let row = `dev-${i}@mef.example.com,${kpm},30d,//sp.example.com/Sdev${i},21:maf.example.com;22://sp.example.com/CSE-B01`
    if (i === 101) row = `dev-${i}@mef.example.com,${'00'.repeat(16)},30d,,`
    if (i === 2002) row = `dev-${i}@mef.example.com,${kpm},forever,,`
    if (i === 3500) row = `dev-${i}@mef.example.com,${kpm},30d,,21:maf.example.com;23:maf.example.com`
    if (i === 4999) row = `dev-7@mef.example.com,${kpm},30d,,`
    lines.push(row)
  }
  const rows = parseImportFile(lines.join('\r\n') + '\r\n', 'csv')
  assert.equal(rows.length, 5000)
  const progress: ImportProgress[] = []
  const result = await importEnrolees(store, rows, { now: NOW, onProgress: (p) => progress.push(p) })
  assert.equal(result.imported, 4996)
  assert.deepEqual(result.rejected.map((r) => [r.row, r.line, r.code]), [...bad].map(([row, code]) => [row, row + 1, code]))
  assert.match(result.rejected.find((r) => r.row === 4999)?.message ?? '', /row 7 of this file/)
  assert.equal(result.rejected.find((r) => r.row === 3500)?.field, 'targets[1].suid')
  assert.deepEqual(progress.at(-1), { done: 5000, total: 5000, imported: 4996, rejected: 4 })
  assert.ok(progress.length > 2)
  assert.deepEqual(await counts(store, dbPath), { enrolees: 4996, psks: 4996, adds: 4996 })
  const events = (await store.transaction((tx) => tx.audit.list({ limit: 5000 }))).filter((e) => e.action === 'enrolee.import')
  assert.deepEqual(events.map((e) => [e.action, e.outcome, e.subject.imported, e.subject.rejected]), [['enrolee.import', 'partial', 4996, 4]])
  assertNoKey([JSON.stringify(result), readFileSync(dbPath)], [keys[0] ?? '', keys[2500] ?? '', keys[4998] ?? ''])
})

test('rows whose KpmID already exists are conflicts; re-importing the same file stores nothing twice', async (t) => {
  const { store, dbPath } = await openTestStore(t)
  await addEnrolee(store, { kpmId: 'dev-2@mef.example.com', kpm: randomBytes(16).toString('hex'), enrolmentExpiry: '1d' }, NOW)
  const text = [HEADER, ...[1, 2, 3].map((i) => `dev-${i}@mef.example.com,${randomBytes(16).toString('base64')},1d,,`)].join('\n')
  const first = await importEnrolees(store, parseImportFile(text, 'csv'), { now: NOW })
  assert.equal(first.imported, 2)
  assert.deepEqual(first.rejected.map((r) => [r.line, r.code, r.field]), [[3, 'M2MSEC_ENROLEE_EXISTS', 'kpmId']])
  const second = await importEnrolees(store, parseImportFile(text, 'csv'), { now: NOW })
  assert.equal(second.imported, 0)
  assert.equal(second.rejected.length, 3)
  assert.deepEqual(await counts(store, dbPath), { enrolees: 3, psks: 3, adds: 3 })
})

test('a row that fails after a partial write is rolled back alone (the batch is retried row by row)', async (t) => {
  const { store, dbPath } = await openTestStore(t)
  // create() fails *after* writing for one KpmID: the batch rolls back and the per-row retry
  // must leave exactly that row out.
  const flaky: Store = {
    ...store,
    reader: store.reader,
    dialect: store.dialect,
    close: () => store.close(),
    resealAll: (o) => store.resealAll(o),
    transaction: (work) => store.transaction((tx) => work({
      ...tx,
      enrolees: {
        ...tx.enrolees,
        create: async (e) => {
          const record = await tx.enrolees.create(e)
          if (record.credentialIdentity === 'dev-5@mef.example.com') {
            const { StoreError } = await import('../../../../../src/store/index.js')
            throw new StoreError('M2MSEC_STORE_QUERY_FAILED', 'internal', 'simulated failure after a partial write')
          }
          return record
        },
      },
    })),
  }
  const text = [HEADER, ...Array.from({ length: 10 }, (_, i) => `dev-${i}@mef.example.com,${randomBytes(16).toString('hex')},1d,,`)].join('\n')
  const result = await importEnrolees(flaky, parseImportFile(text, 'csv'), { now: NOW, batchSize: 4 })
  assert.equal(result.imported, 9)
  assert.deepEqual(result.rejected.map((r) => [r.line, r.code]), [[7, 'M2MSEC_STORE_QUERY_FAILED']])
  assert.deepEqual(await counts(store, dbPath), { enrolees: 9, psks: 9, adds: 9 })
  assert.equal(await store.reader.findEnroleeByCredential('psk', 'dev-5@mef.example.com'), undefined)
})

test('JSON import reports the line each element starts on; malformed files are refused whole', async (t) => {
  const { store } = await openTestStore(t)
  const good = (i: number): string => JSON.stringify({ kpmId: `j-${i}@mef.example.com`, kpm: randomBytes(16).toString('base64'), enrolmentExpiry: 'PT24H', targets: [{ targetId: 'maf.example.com', suid: 21 }, '22://sp.example.com/CSE-B01'] }, null, 2)
  const text = `[\n${good(1)},\n{ "kpmId": "j-2@mef.example.com", "kpm": 7, "enrolmentExpiry": "1d" },\n${good(3)},\n{ "colour": "red" }\n]\n`
  const rows = parseImportFile(text, 'json')
  const result = await importEnrolees(store, rows, { now: NOW })
  assert.equal(result.imported, 2)
  const lineOf = (needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1
  assert.deepEqual(result.rejected.map((r) => [r.row, r.line, r.code, r.field]), [
    [2, lineOf('j-2@'), 'M2MSEC_ENROLEE_INVALID', 'kpm'],
    [4, lineOf('colour'), 'M2MSEC_ENROLEE_INVALID', 'colour'],
  ])
  for (const [bad, format] of [['{"kpmId":1}', 'json'], ['[1,', 'json'], ['', 'csv'], ['kpm_id,colour\n', 'csv'], ['kpm_id,kpm\n', 'csv'], [`${HEADER}\n"unclosed,1d\n`, 'csv']] as const) {
    assert.throws(() => parseImportFile(bad, format), { code: 'M2MSEC_ENROLEE_IMPORT_MALFORMED' }, bad)
  }
  const csvRows = parseImportFile(`${HEADER}\n"a,b",x\n`, 'csv')
  assert.equal(csvRows[0]?.error?.code, 'M2MSEC_ENROLEE_INVALID')
})

test('a CSV without its header line is refused without echoing the data row (a Kpm) back', () => {
  const kpm = 'DEADBEEF0011223344556677DEADBEEF'
  const text = `${kpm},dev-1@mef.example.com,30d\r\n`
  assert.throws(() => parseImportFile(text, 'csv'), (error: unknown) => {
    assert.ok(error instanceof Error)
    assert.equal((error as { code?: string }).code, 'M2MSEC_ENROLEE_IMPORT_MALFORMED')
    assert.match(error.message, /unknown CSV column 1 of the header line/)
    assert.ok(!error.message.includes(kpm), error.message)
    return true
  })
  assert.throws(() => parseImportFile('kpm_id,kpm,enrolment_expiry,colour\r\n', 'csv'), /unknown CSV column 4 "colour"/, 'a real column name is still named')
})
