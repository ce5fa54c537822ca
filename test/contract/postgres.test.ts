/**
 * Runs the store contract on PostgreSQL: one throw-away cluster for this file (started by the
 * test itself, test/support/postgres.ts), a fresh database per test. Fails when PostgreSQL is
 * missing unless M2MSEC_SKIP_POSTGRES=1.
 */
import { readdir, readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { after, test } from 'node:test'
import pg from 'pg'
import { openStore } from '../../src/store/index.js'
import { postgresSkipReason, startPostgres } from '../support/postgres.js'
import type { PostgresCluster } from '../support/postgres.js'
import type { ContractTarget } from '../support/store-contract-target.js'
import { describeStoreContract } from './store.contract.js'

const TABLES = ['enrolees', 'enrolments', 'psk_credentials', 'client_registrations', 'key_registrations', 'cas', 'service_keys', 'issued_identifiers']

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 1))
    })
  })
}

async function filesUnder(dir: string): Promise<Buffer[]> {
  const out: Buffer[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...await filesUnder(path))
    else if (entry.isFile()) out.push(await readFile(path).catch(() => Buffer.alloc(0)))
  }
  return out
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

function makeTargetFactory(cluster: PostgresCluster): () => Promise<ContractTarget> {
  let n = 0
  return async () => {
    const url = await cluster.createDatabase(`contract_${process.pid}_${++n}`)
    const config = { kind: 'postgres', connectionString: url, poolSize: 4 } as const
    return {
      config,
    concurrentInProcess: true,
      unreachable: { kind: 'postgres', connectionString: `postgresql://postgres@127.0.0.1:${await closedPort()}/none` },
      open: (options) => openStore(config, options),
      rawExec: (statement) => withClient(url, async (c) => { await c.query(statement) }),
      async rawBytes() {
        // Rows as the server returns them (bytea as hex inside JSON) and, after a checkpoint,
        // every file of the cluster: heap, indexes and WAL.
        const rows = await withClient(url, async (c) => {
          const texts: Buffer[] = []
          for (const table of TABLES) {
            const result = await c.query<{ row: string }>(`select row_to_json(t)::text as row from ${table} t`)
            texts.push(...result.rows.map((r) => Buffer.from(r.row, 'utf8')))
          }
          return texts
        })
        await cluster.checkpoint()
        return [...rows, ...await filesUnder(cluster.dataDir)]
      },
      dispose: async () => undefined,
    }
  }
}

const skip = postgresSkipReason()
if (skip !== undefined) {
  test('store contract (postgres)', { skip }, () => undefined)
} else {
  const cluster = await startPostgres()
  after(() => cluster.stop())
  describeStoreContract('postgres', makeTargetFactory(cluster))
}
