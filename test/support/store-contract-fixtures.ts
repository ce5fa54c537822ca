/**
 * Shared fixtures of the store contract suite: a fixed clock origin, distinctive key bytes,
 * and a per-test fresh database with a store opened on it.
 */
import { SecretBytes } from '../../src/core/index.js'
import type { Store, StoreTx } from '../../src/store/index.js'
import { createTestSealer } from './store-test-sealer.js'
import type { TestSealer } from './store-test-sealer.js'
import type { ContractTarget, MakeTarget } from './store-contract-target.js'

export const T0 = new Date('2026-01-01T00:00:00.000Z')
export const HOUR = 3_600_000
export const at = (ms: number): Date => new Date(T0.getTime() + ms)

/** Distinctive 32-byte key: a recognisable pattern plus `seed`, never all-zero. */
export function key(seed: number): SecretBytes {
  const bytes = new Uint8Array(32)
  for (let i = 0; i < 32; i++) bytes[i] = (0xa5 ^ (i * 29) ^ (seed * 61)) & 0xff
  return new SecretBytes(bytes)
}

export interface Harness {
  readonly target: ContractTarget
  readonly store: Store
  readonly sealer: TestSealer
}

/** Opens a fresh target and store for one test and disposes both afterwards. */
export async function withStore(make: MakeTarget, work: (h: Harness) => Promise<void>): Promise<void> {
  const target = await make()
  const sealer = createTestSealer()
  const store = await target.open({ sealer, clock: () => T0 })
  try {
    await work({ target, store, sealer })
  } finally {
    await store.close()
    await target.dispose()
  }
}

export async function addPskEnrolee(tx: StoreTx, kpmId: string, seed: number) {
  return tx.enrolees.create({
    credential: { kind: 'psk', kpmId, kpm: key(seed) },
    enroleeId: '//sp.example.com/Cenrolee1',
    enrolmentLifetimeMs: 24 * HOUR,
    targets: [{ targetId: 'maf.example.com', suid: 21 }, { targetId: '//sp.example.com/in-cse', suid: 22, keyLifetimeMs: HOUR }],
    config: { certificateEnrolment: true },
  })
}

