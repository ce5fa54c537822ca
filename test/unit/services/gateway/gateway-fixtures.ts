/**
 * Fixtures for the gateway unit tests: a real SQLite store (real AES-GCM sealer) in a mkdtemp
 * directory, a settable clock, and distinctive key bytes that no output may contain.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SecretBytes, fromHex } from '../../../../src/core/index.js'
import { createAesGcmSealer, openStore, type BoundEntity, type Store } from '../../../../src/store/index.js'

export const T0 = new Date(Date.UTC(2026, 0, 15, 12, 0, 0))
export const KPSA_HEX = '6B70736140C0FFEE6B70736140C0FFEE6B70736140C0FFEE6B70736140C0FFEE'
export const KC_HEX = '4B634B63A1A2A3A4A5A6A7A8A9AAABAC4B634B63A1A2A3A4A5A6A7A8A9AAABAC'
export const FETCHED_HEX = 'FE7C4EDFE7C4EDFE7C4EDFE7C4EDFE7C4EDFE7C4EDFE7C4EDFE7C4EDFE7C4ED0'
export const GATEWAY_CSE_ID = '//m2m.example.com/CSE-B01'
export const REGISTRAR = { spId: '//m2m.example.com', cseId: '/CSE-B01' }

export interface TestStore {
  readonly store: Store
  now: Date
}

export async function openTestStore(t: { after: (fn: () => Promise<void>) => void }): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-gw-'))
  const sealer = createAesGcmSealer([{ id: 'kek-1', key: new SecretBytes(new Uint8Array(randomBytes(32))) }], 'kek-1')
  const holder = { now: T0 }
  const store = await openStore({ kind: 'sqlite', path: join(dir, 'gw.sqlite') }, { sealer, clock: () => holder.now })
  t.after(async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const result = { store } as TestStore
  Object.defineProperty(result, 'now', { get: () => holder.now, set: (d: Date) => { holder.now = d }, enumerable: true })
  return result
}

export async function addKpsa(s: TestStore, identity: string, options: { hex?: string; bound?: BoundEntity; credentialId?: string; expiresAt?: Date } = {}): Promise<void> {
  await s.store.transaction((tx) => tx.pskCredentials.put({
    usage: 'saef', identity, key: new SecretBytes(fromHex(options.hex ?? KPSA_HEX)), owner: { kind: 'configured', ref: identity },
    ...(options.bound ? { boundEntity: options.bound } : {}), ...(options.credentialId ? { credentialId: options.credentialId } : {}),
    ...(options.expiresAt ? { expiresAt: options.expiresAt } : {}),
  }))
}

export function never(): AbortSignal {
  return new AbortController().signal
}
