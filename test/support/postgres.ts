/**
 * Starts a throw-away PostgreSQL 15 cluster for the contract suite (issue 4: the tests start
 * their own cluster in a temp directory and tear it down). initdb refuses to run as root, so
 * when the tests run as root the cluster belongs to the `postgres` user (or `nobody`) and the
 * binaries run through runuser. PostgreSQL cannot listen on port 0, so a free port is found by
 * binding port 0 first; the Unix socket goes into the temp dir. Missing binaries fail loudly
 * unless M2MSEC_SKIP_POSTGRES=1 (ignored under CI=true).
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chown, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'

const run = promisify(execFile)
export const PG_BIN = process.env.M2MSEC_PG_BIN ?? '/usr/lib/postgresql/15/bin'

export interface PostgresCluster {
  readonly port: number
  readonly dataDir: string
  /** Creates a fresh database and returns its connection string. */
  createDatabase(name: string): Promise<string>
  /** Forces dirty pages to disk so a file scan sees what the tables hold. */
  checkpoint(): Promise<void>
  stop(): Promise<void>
}

/** True when the suite may be skipped: binaries missing and M2MSEC_SKIP_POSTGRES=1. */
export function postgresSkipReason(): string | undefined {
  if (existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'pg_ctl'))) return undefined
  // STYLE.md §7: skipping a missing peer is allowed locally, never under CI=true.
  if (process.env.M2MSEC_SKIP_POSTGRES === '1' && process.env.CI !== 'true') return `PostgreSQL binaries not found in ${PG_BIN} (M2MSEC_SKIP_POSTGRES=1)`
  throw new Error(`PostgreSQL binaries not found in ${PG_BIN}: install postgresql-15 or set M2MSEC_SKIP_POSTGRES=1 to skip explicitly`)
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

async function clusterUser(): Promise<{ name: string; uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number((await run('id', ['-u', name])).stdout.trim())
      const gid = Number((await run('id', ['-g', name])).stdout.trim())
      return { name, uid, gid }
    } catch {
      // try the next user
    }
  }
  throw new Error('running as root, but neither user postgres nor nobody exists for initdb')
}

export async function startPostgres(): Promise<PostgresCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'm2msec-pg-'))
  const user = await clusterUser()
  if (user !== undefined) await chown(dir, user.uid, user.gid)
  const exec = (bin: string, args: string[]) => user === undefined
    ? run(join(PG_BIN, bin), args, { timeout: 60_000 })
    : run('runuser', ['-u', user.name, '--', join(PG_BIN, bin), ...args], { timeout: 60_000 })
  const dataDir = join(dir, 'data')
  const port = await freePort()
  try {
    await exec('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions'])
    await exec('pg_ctl', ['start', '-w', '-D', dataDir, '-l', join(dir, 'server.log'),
      '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=100`])
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw new Error(`could not start PostgreSQL in ${dir}`, { cause: error })
  }
  const adminUrl = `postgresql://postgres@127.0.0.1:${port}/postgres`
  const admin = async (statement: string): Promise<void> => {
    const client = new pg.Client({ connectionString: adminUrl })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  return {
    port,
    dataDir,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`)
      await admin(`create database ${name}`)
      return `postgresql://postgres@127.0.0.1:${port}/${name}`
    },
    checkpoint: () => admin('checkpoint'),
    async stop() {
      try {
        await exec('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w'])
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    },
  }
}
