/**
 * Runs the store contract on SQLite: a fresh database file in its own temp dir per test.
 */
import Database from 'better-sqlite3'
import assert from 'node:assert/strict'
import { existsSync, statSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { SecretBytes } from '../../src/core/index.js'
import { openStore } from '../../src/store/index.js'
import { createTestSealer } from '../support/store-test-sealer.js'
import type { ContractTarget } from '../support/store-contract-target.js'
import { describeStoreContract } from './store.contract.js'

async function makeSqliteTarget(): Promise<ContractTarget> {
  const dir = await mkdtemp(join(tmpdir(), 'm2msec-sqlite-'))
  const path = join(dir, 'store.sqlite')
  const config = { kind: 'sqlite', path } as const
  return {
    config,
    concurrentInProcess: false,
    unreachable: { kind: 'sqlite', path: join(dir, 'missing-dir', 'store.sqlite') },
    open: (options) => openStore(config, options),
    async rawExec(statement) {
      const db = new Database(path)
      try {
        db.pragma('busy_timeout = 5000')
        db.exec(statement)
      } finally {
        db.close()
      }
    },
    async rawBytes() {
      // The main file and the WAL: committed rows sit in the WAL until a checkpoint.
      const files = [path, `${path}-wal`, `${path}-shm`].filter((f) => existsSync(f))
      return Promise.all(files.map((f) => readFile(f)))
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  }
}

describeStoreContract('sqlite', makeSqliteTarget)

test('the SQLite file and its WAL are created owner-only (0600)', async () => {
  const target = await makeSqliteTarget()
  const store = await target.open({ sealer: createTestSealer() })
  try {
    await store.transaction((tx) => tx.serviceKeys.create('k', new SecretBytes(new Uint8Array(32).fill(7))))
    for (const suffix of ['', '-wal']) {
      const mode = statSync(`${(target.config as { path: string }).path}${suffix}`).mode & 0o777
      assert.equal(mode & 0o077, 0, `store.sqlite${suffix} mode ${mode.toString(8)}`)
    }
  } finally {
    await store.close()
    await target.dispose()
  }
})
