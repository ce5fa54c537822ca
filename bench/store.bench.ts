// Store throughput (issue 4 "Done means"): enrolment-record writes/s on SQLite and PostgreSQL,
// durable (fsync per commit) and with group commit, and PSK-identity point lookups/s at 1k and
// 1M stored records. Baseline: raw better-sqlite3 on the same row shape, in the same run.
//
// Group commit: SQLite has one writer and no cross-transaction group commit, so "group commit"
// there means batching BATCH enrolments per transaction (one WAL fsync per batch); a second row
// shows synchronous=NORMAL (WAL fsynced only at checkpoints: survives a process crash, may lose
// the last commits on power loss). PostgreSQL groups WAL flushes of concurrent committers by
// itself, so its group-commit rows are CONCURRENCY writers at once, and batches per transaction.
//
// PostgreSQL: M2MSEC_BENCH_PG_URL, else a throw-away cluster (test/support/postgres.ts) when
// PostgreSQL 15 is installed, else the PostgreSQL rows are left out. Rows for the lookup
// group: M2MSEC_BENCH_STORE_ROWS (default 1,000,000; filler rows are bulk-inserted in one
// transaction, the looked-up identities are among 1,000 real sealed rows). SQLite files go to
// M2MSEC_BENCH_DIR (default: the OS temp dir); put it on the disk whose fsync you want measured.
import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { SecretBytes, toHex } from '../src/core/index.js'
import { createAesGcmSealer } from '../src/store/custody/aes-gcm-sealer.js'
import { openStore } from '../src/store/index.js'
import type { Store, StoreConfig } from '../src/store/index.js'
import { PG_BIN, startPostgres } from '../test/support/postgres.js'
import { measure, measureConcurrent } from './harness.js'
import type { BenchGroup, BenchResult } from './harness.js'

const BATCH = 32
const CONCURRENCY = 16
const REAL_ROWS = 1000
const MANY_ROWS = Number(process.env.M2MSEC_BENCH_STORE_ROWS ?? 1_000_000)
const FQDN = 'mef.bench.example.com'

const sealer = createAesGcmSealer([{ id: 'bench-kek', key: new SecretBytes(new Uint8Array(randomBytes(32))) }], 'bench-kek')
const key = (): SecretBytes => new SecretBytes(new Uint8Array(randomBytes(32)))
const newKeId = (): string => `${toHex(randomBytes(16))}@${FQDN}`

interface Backend {
  readonly name: string
  readonly config: StoreConfig
  readonly bulkFill: (rows: number) => Promise<void>
  readonly dispose: () => Promise<void>
}

async function sqliteBackend(dir: string, synchronous: 'full' | 'normal'): Promise<Backend> {
  const path = join(dir, `store-${synchronous}-${toHex(randomBytes(4))}.sqlite`)
  return {
    name: `SQLite (synchronous=${synchronous.toUpperCase()})`,
    config: { kind: 'sqlite', path, synchronous },
    bulkFill: async (rows) => {
      const db = new Database(path)
      db.pragma('busy_timeout = 5000')
      const insert = db.prepare(`insert into psk_credentials (usage, identity, key_sealed, owner_kind, owner_ref, bound_entity_kind,
        bound_entity_ids_json, credential_id, suid, expires_at, revoked_at, created_at) values ('saef', ?, ?, 'configured', 'bench', null, '[]', null, null, null, null, 0)`)
      const blob = randomBytes(78)
      db.transaction(() => { for (let i = 0; i < rows; i++) insert.run(`filler-${i}@bench.example.com`, blob) })()
      db.close()
    },
    dispose: async () => undefined,
  }
}

async function postgresBackend(): Promise<Backend | undefined> {
  let url = process.env.M2MSEC_BENCH_PG_URL
  let stop = async (): Promise<void> => undefined
  if (url === undefined) {
    if (!existsSync(join(PG_BIN, 'initdb'))) return undefined
    const cluster = await startPostgres()
    url = await cluster.createDatabase(`bench_${process.pid}`)
    stop = () => cluster.stop()
  }
  const connectionString = url
  return {
    name: 'PostgreSQL',
    config: { kind: 'postgres', connectionString, poolSize: CONCURRENCY },
    bulkFill: async (rows) => {
      const client = new pg.Client({ connectionString })
      await client.connect()
      try {
        await client.query(`insert into psk_credentials select 'saef', 'filler-' || g || '@bench.example.com', $1::bytea, 'configured', 'bench',
          null, '[]', null, null, null, null, 0 from generate_series(1, $2::int) g`, [randomBytes(78), rows])
        await client.query('analyze psk_credentials')
      } finally {
        await client.end()
      }
    },
    dispose: stop,
  }
}

async function enroleeOf(store: Store): Promise<string> {
  const e = await store.transaction((tx) => tx.enrolees.create({
    credential: { kind: 'psk', kpmId: `kpm-${toHex(randomBytes(4))}@bench`, kpm: key() }, enrolmentLifetimeMs: 86_400_000, targets: [],
  }))
  return e.enroleeRef
}

function enrolOnce(store: Store, enroleeRef: string, count: number): Promise<void> {
  return store.transaction(async (tx) => {
    for (let i = 0; i < count; i++) {
      await tx.enrolments.create({ keId: newKeId(), enroleeRef, ke: key(), expiresAt: new Date(Date.now() + 86_400_000) })
    }
  })
}

async function writeCases(backend: Backend, budgetMs: number): Promise<BenchResult[]> {
  const store = await openStore(backend.config, { sealer })
  try {
    const ref = await enroleeOf(store)
    const results = [await measure({ name: `${backend.name}: enrolment, 1 per transaction`, run: () => enrolOnce(store, ref, 1) }, budgetMs)]
    const batched = await measure({ name: `${backend.name}: enrolments, ${BATCH} per transaction`, run: () => enrolOnce(store, ref, BATCH) }, budgetMs)
    results.push({ ...batched, opsPerSecond: batched.opsPerSecond * BATCH, note: `group commit: ${BATCH} per fsync` })
    if (store.dialect === 'postgres') {
      results.push(await measureConcurrent(`${backend.name}: enrolment, 1 per transaction`, () => enrolOnce(store, ref, 1), CONCURRENCY, budgetMs))
    }
    return results
  } finally {
    await store.close()
  }
}

function rawSqliteBaseline(dir: string): { insert: () => unknown; select: () => unknown; close: () => void } {
  const db = new Database(join(dir, 'raw.sqlite'))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec(`create table enrolments (ke_id text primary key, mef_fqdn text not null, relative_ke_id text not null, enrolee_ref text not null,
    ke_sealed blob not null, expires_at integer not null, created_at integer not null)`)
  const insert = db.prepare('insert into enrolments values (?, ?, ?, ?, ?, ?, ?)')
  const select = db.prepare('select * from enrolments where ke_id = ?')
  const ids: string[] = []
  const blob = randomBytes(78)
  return {
    insert: () => {
      const relative = toHex(randomBytes(16))
      ids.push(`${relative}@${FQDN}`)
      return insert.run(`${relative}@${FQDN}`, FQDN, relative, 'enrBENCH', blob, Date.now() + 86_400_000, Date.now())
    },
    select: () => select.get(ids[Math.floor(Math.random() * ids.length)]),
    close: () => db.close(),
  }
}

export const storeWriteBenchGroup: BenchGroup = {
  title: 'store: enrolment-record writes/s (SQLite, PostgreSQL; durable and group commit)',
  run: async (budgetMs) => {
    const dir = await mkdtemp(join(process.env.M2MSEC_BENCH_DIR ?? tmpdir(), 'm2msec-bench-'))
    const raw = rawSqliteBaseline(dir)
    try {
      const baseline = await measure({ name: 'raw better-sqlite3 INSERT, WAL, synchronous=FULL, autocommit', run: raw.insert }, budgetMs)
      const results = [...await writeCases(await sqliteBackend(dir, 'full'), budgetMs)]
      const normal = await writeCases(await sqliteBackend(dir, 'normal'), budgetMs)
      results.push({ ...normal[0]!, note: 'no fsync per commit (WAL, checkpoint-time fsync)' })
      const pgBackend = await postgresBackend()
      if (pgBackend !== undefined) {
        try {
          results.push(...await writeCases(pgBackend, budgetMs))
        } finally {
          await pgBackend.dispose()
        }
      }
      return { baseline, results }
    } finally {
      raw.close()
      await rm(dir, { recursive: true, force: true })
    }
  },
}

async function lookupCases(backend: Backend, budgetMs: number): Promise<BenchResult[]> {
  const store = await openStore(backend.config, { sealer })
  try {
    const identities = Array.from({ length: REAL_ROWS }, (_, i) => `kpsa-${i}@bench.example.com`)
    for (let i = 0; i < REAL_ROWS; i += 100) {
      await store.transaction(async (tx) => {
        for (const identity of identities.slice(i, i + 100)) {
          await tx.pskCredentials.put({ usage: 'saef', identity, key: key(), owner: { kind: 'configured', ref: 'bench' }, boundEntity: { kind: 'ae', ids: ['//sp/Cbench'] } })
        }
      })
    }
    let n = 0
    const now = new Date()
    const lookup = async (): Promise<unknown> => {
      const found = await store.reader.findPskByIdentity('saef', identities[n++ % REAL_ROWS]!, now)
      if (!found.ok) throw new Error('bench identity missing')
      return found
    }
    const small = await measure({ name: `${backend.name}: findPskByIdentity`, run: lookup }, budgetMs)
    const results: BenchResult[] = [{ ...small, note: `${REAL_ROWS.toLocaleString('en-US')} rows` }]
    const fillStart = performance.now()
    await backend.bulkFill(MANY_ROWS - REAL_ROWS)
    const fillSeconds = ((performance.now() - fillStart) / 1000).toFixed(1)
    const large = await measure({ name: `${backend.name}: findPskByIdentity`, run: lookup }, budgetMs)
    results.push({ ...large, note: `${MANY_ROWS.toLocaleString('en-US')} rows, bulk fill ${fillSeconds} s` })
    if (store.dialect === 'postgres') {
      // Sequential lookups measure one network round trip; handshakes arrive concurrently.
      const concurrent = await measureConcurrent(`${backend.name}: findPskByIdentity`, lookup, CONCURRENCY, budgetMs)
      results.push({ ...concurrent, note: `${MANY_ROWS.toLocaleString('en-US')} rows, ${CONCURRENCY} concurrent` })
    }
    return results
  } finally {
    await store.close()
    await backend.dispose()
  }
}

export const storeLookupBenchGroup: BenchGroup = {
  title: 'store: PSK identity point lookups/s at 1k and 1M records',
  run: async (budgetMs) => {
    const dir = await mkdtemp(join(process.env.M2MSEC_BENCH_DIR ?? tmpdir(), 'm2msec-bench-'))
    const raw = rawSqliteBaseline(dir)
    try {
      for (let i = 0; i < REAL_ROWS; i++) raw.insert()
      const baseline = await measure({ name: 'raw better-sqlite3 SELECT by primary key (no unsealing)', run: raw.select }, budgetMs)
      const results = await lookupCases(await sqliteBackend(dir, 'full'), budgetMs)
      const pgBackend = await postgresBackend()
      if (pgBackend !== undefined) results.push(...await lookupCases(pgBackend, budgetMs))
      return { baseline, results }
    } finally {
      raw.close()
      await rm(dir, { recursive: true, force: true })
    }
  },
}
