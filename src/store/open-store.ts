/**
 * Opens a store on SQLite (better-sqlite3, the embedded default: one file in the data
 * directory) or PostgreSQL (pg pool), applies migrations and returns the Store. Both run the
 * same Kysely queries; what differs is confined here: connection set-up, pragmas, and how a
 * transaction starts.
 *
 * SQLite: WAL journal (readers do not block the writer); by default ('full') a transaction
 * resolves only once its commit is fsynced, the fsync running off the event loop
 * (wal-flush.ts; 'normal' trades the last commits on power loss for speed; a process crash
 * loses nothing in either mode); busy_timeout so a second process waits for the lock instead
 * of failing; foreign_keys on. Transactions start with BEGIN IMMEDIATE: a deferred BEGIN that
 * reads first could fail with SQLITE_BUSY on its first write when another process wrote in
 * between, and SQLite's busy handler cannot resolve that case. Concurrent transactions share
 * one BEGIN/COMMIT and one fsync (group-commit.ts), and statements are prepared once
 * (statement-cache.ts).
 * PostgreSQL: int8 columns are parsed to number (times and counters stay below 2^53).
 */
import Database from 'better-sqlite3'
import { closeSync, existsSync, openSync } from 'node:fs'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import type { Sealer } from './custody/sealer.js'
import type { RepoContext } from './context.js'
import { appRuleRepo } from './app-rules.js'
import { auditRepo } from './audit-events.js'
import { caRepo } from './ca-state.js'
import { clientRegistrationRepo } from './client-registrations.js'
import { enroleeRepo } from './enrolees.js'
import { enrolmentRepo } from './enrolments.js'
import { translateDriverError } from './driver-errors.js'
import { guarded } from './guard.js'
import { groupCommitRunner } from './group-commit.js'
import { handshakeReader } from './handshake-reader.js'
import { identifierAllocator } from './identifiers.js'
import { identityBindingRepo } from './identity-bindings.js'
import { keyRegistrationRepo } from './key-registrations.js'
import { migrate } from './migrate.js'
import type { StoreDialect } from './migrations.js'
import { pskCredentialRepo } from './psk-credentials.js'
import { resealAll, sealedColumns } from './reseal.js'
import type { Database as Schema } from './schema.js'
import { serviceKeyRepo } from './service-keys.js'
import { cachingSqliteDatabase } from './statement-cache.js'
import { walFlusher, type WalFlusher } from './wal-flush.js'
import type { Store, StoreTx } from './store.js'

export type StoreConfig =
  | {
    readonly kind: 'sqlite'
    /** Database file (created if missing); WAL adds `-wal` and `-shm` beside it. */
    readonly path: string
    /**
     * 'full' (default): a transaction resolves only once its commit is on stable storage (the WAL
     * is fdatasync'ed after each group commit, off the event loop). 'normal': fsync at WAL
     * checkpoints only; the last commits may be lost on power loss (never on a process crash).
     */
    readonly synchronous?: 'full' | 'normal'
    readonly busyTimeoutMs?: number
  }
  | {
    readonly kind: 'postgres'
    readonly connectionString: string
    readonly poolSize?: number
  }

export interface StoreOptions {
  readonly sealer: Sealer
  readonly clock?: () => Date
}

const INT8_OID = 20

function openKysely(config: StoreConfig): Kysely<Schema> {
  if (config.kind === 'sqlite') {
    // Owner-only from the first byte: the file holds sealed keys and identifiers. SQLite gives
    // its -wal and -shm files the permissions of the database file.
    if (!existsSync(config.path)) closeSync(openSync(config.path, 'a', 0o600))
    const database = new Database(config.path)
    database.pragma('journal_mode = WAL')
    // NORMAL in both modes: for 'full' the store fsyncs the WAL itself, off the event loop (wal-flush.ts).
    database.pragma('synchronous = NORMAL')
    database.pragma(`busy_timeout = ${Math.trunc(config.busyTimeoutMs ?? 5000)}`)
    database.pragma('foreign_keys = ON')
    return new Kysely<Schema>({ dialect: new SqliteDialect({ database: cachingSqliteDatabase(database) }) })
  }
  const pool = new pg.Pool({
    connectionString: config.connectionString,
    max: config.poolSize ?? 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  })
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined)
  return new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) })
}

function bindTx(ctx: RepoContext): StoreTx {
  return {
    enrolees: enroleeRepo(ctx),
    enrolments: enrolmentRepo(ctx),
    pskCredentials: pskCredentialRepo(ctx),
    clientRegistrations: clientRegistrationRepo(ctx),
    keyRegistrations: keyRegistrationRepo(ctx),
    identityBindings: identityBindingRepo(ctx),
    appRules: appRuleRepo(ctx),
    ca: caRepo(ctx),
    serviceKeys: serviceKeyRepo(ctx),
    audit: auditRepo(ctx),
    identifiers: identifierAllocator(ctx),
    sealedColumns: sealedColumns(ctx),
  }
}

type TransactionRunner = <T>(work: (ctx: RepoContext) => Promise<T>) => Promise<T>

/** PostgreSQL: one pooled connection per transaction; the server groups concurrent commits. */
function postgresRunner(db: Kysely<Schema>, base: Omit<RepoContext, 'db'>): TransactionRunner {
  return async <T>(work: (ctx: RepoContext) => Promise<T>): Promise<T> => {
    // The caller's own error is rethrown as it was; only begin/commit failures are translated.
    let thrown: { readonly error: unknown } | undefined
    try {
      return await db.transaction().execute(async (trx) => {
        try {
          return await work({ ...base, db: trx })
        } catch (error) {
          thrown = { error }
          throw error
        }
      })
    } catch (error) {
      if (thrown !== undefined) throw thrown.error
      throw translateDriverError(error, 'transaction')
    }
  }
}

function transactionRunner(db: Kysely<Schema>, base: Omit<RepoContext, 'db'>, wal: WalFlusher | undefined): TransactionRunner {
  if (base.dialect === 'postgres') return postgresRunner(db, base)
  return groupCommitRunner(db, base, wal === undefined ? {} : { durable: wal.flush })
}

/**
 * Opens (and migrates) a store.
 * @throws StoreError M2MSEC_STORE_UNAVAILABLE when the database cannot be opened,
 * M2MSEC_STORE_MIGRATION when the schema cannot be brought up to date.
 */
export async function openStore(config: StoreConfig, options: StoreOptions): Promise<Store> {
  const dialect: StoreDialect = config.kind
  const clock = options.clock ?? (() => new Date())
  const db = await guarded('open database', async () => openKysely(config))
  const wal = config.kind === 'sqlite' && config.synchronous !== 'normal' ? walFlusher(config.path) : undefined
  try {
    await migrate(db, dialect, clock().getTime())
    // Migrations commit outside the transaction runner: make them durable before serving.
    await wal?.flush()
  } catch (error) {
    await wal?.close()
    await db.destroy()
    throw error
  }
  const base = { sealer: options.sealer, dialect, clock }
  const run = transactionRunner(db, base, wal)
  return {
    dialect,
    reader: handshakeReader({ ...base, db }),
    transaction: (work) => run((ctx) => work(bindTx(ctx))),
    resealAll: (opts = {}) => resealAll(run, opts.batchSize),
    close: async () => {
      await wal?.close()
      await db.destroy()
    },
  }
}
