/**
 * What the store contract suite needs from a backend: a fresh database it can open more than
 * once (reopen, concurrent start), raw access for tamper tests, and every byte held at rest
 * for the "no key in clear" scan.
 */
import type { Store, StoreConfig, StoreOptions } from '../../src/store/index.js'

export interface ContractTarget {
  readonly config: StoreConfig
  /** A config that points at nothing reachable (for M2MSEC_STORE_UNAVAILABLE). */
  readonly unreachable: StoreConfig
  /**
   * Whether several stores may contend on this database from one process. Not for SQLite:
   * better-sqlite3 is synchronous, so a connection waiting on the lock blocks the event loop
   * that the lock holder needs (one process opens its SQLite store once and shares it).
   */
  readonly concurrentInProcess: boolean
  open(options: StoreOptions): Promise<Store>
  /** Runs one SQL statement outside the store (tamper tests). */
  rawExec(statement: string): Promise<void>
  /** Database files (and, for PostgreSQL, table rows as text) after forcing data to disk. */
  rawBytes(): Promise<Buffer[]>
  dispose(): Promise<void>
}

export type MakeTarget = () => Promise<ContractTarget>

/** Searches `haystacks` for `needle` raw, as upper/lower hex, base64 and base64url. */
export function findSecretForms(haystacks: readonly Buffer[], needle: Uint8Array): string[] {
  const bytes = Buffer.from(needle)
  const forms: [string, Buffer][] = [
    ['raw', bytes],
    ['hex', Buffer.from(bytes.toString('hex'), 'latin1')],
    ['HEX', Buffer.from(bytes.toString('hex').toUpperCase(), 'latin1')],
    ['base64', Buffer.from(bytes.toString('base64').replace(/=+$/, ''), 'latin1')],
    ['base64url', Buffer.from(bytes.toString('base64url'), 'latin1')],
  ]
  const found: string[] = []
  for (const [name, form] of forms) {
    if (haystacks.some((h) => h.includes(form))) found.push(name)
  }
  return found
}
