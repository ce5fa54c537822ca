/**
 * The on-disk layout of a data directory and how a store is opened from it: one SQLite file,
 * and the KEK that seals its keys. Every command and role that works on "the data directory"
 * (`m2msec up`, `audit verify`, operator commands) opens it here, so the layout lives in one place.
 *
 * KEK precedence: the M2MSEC_KEK environment variable (with M2MSEC_KEK_PREVIOUS during a
 * rotation), else `keyring.json` when present, else the raw `kek` file (created 0600 on first
 * start only when asked to create).
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createAesGcmSealer } from './custody/aes-gcm-sealer.js'
import { KEK_ENV_VARIABLE } from './custody/kek-source.js'
import { loadKeyring, type KekSource, type Keyring } from './custody/keyring.js'
import { StoreError } from './errors.js'
import { openStore } from './open-store.js'
import type { Store } from './store.js'

export const DATA_DIRECTORY_FILES = {
  database: 'm2msec.db',
  kek: 'kek',
  keyring: 'keyring.json',
} as const

export interface DataDirectoryOptions {
  readonly dataDir: string
  /** Create the directory and a fresh KEK when missing (first start); otherwise refuse. */
  readonly create: boolean
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly clock?: () => Date
}

/** Which KEK source applies to a data directory, by the precedence above. */
export function kekSourceFor(options: DataDirectoryOptions): KekSource {
  const env = options.env ?? process.env
  if (env[KEK_ENV_VARIABLE] !== undefined) return { kind: 'env', env }
  const keyring = join(options.dataDir, DATA_DIRECTORY_FILES.keyring)
  if (existsSync(keyring)) return { kind: 'keyring', path: keyring }
  return { kind: 'file', path: join(options.dataDir, DATA_DIRECTORY_FILES.kek), create: options.create }
}

export function loadDataDirectoryKeyring(options: DataDirectoryOptions): Keyring {
  return loadKeyring(kekSourceFor(options))
}

/**
 * Opens the SQLite store of a data directory with its KEK.
 * @throws StoreError M2MSEC_STORE_UNAVAILABLE when the directory is missing and `create` is false;
 *   M2MSEC_STORE_KEK_INVALID / _INSECURE for KEK problems.
 */
export async function openDataDirectoryStore(options: DataDirectoryOptions): Promise<Store> {
  if (options.create) mkdirSync(options.dataDir, { recursive: true, mode: 0o700 })
  else if (!existsSync(join(options.dataDir, DATA_DIRECTORY_FILES.database))) {
    throw new StoreError('M2MSEC_STORE_UNAVAILABLE', 'unavailable', `no m2msec database in data directory ${options.dataDir}`)
  }
  const keyring = loadDataDirectoryKeyring(options)
  const sealer = createAesGcmSealer(keyring.keks, keyring.activeKekId)
  return openStore(
    { kind: 'sqlite', path: join(options.dataDir, DATA_DIRECTORY_FILES.database) },
    { sealer, ...(options.clock ? { clock: options.clock } : {}) },
  )
}
