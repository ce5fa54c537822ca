/**
 * Sealer for store tests: custody's real AES-256-GCM sealer over random (or given) in-memory
 * KEKs, with `rotate` to model a KEK rotation (the old KEKs stay loaded, a new one seals).
 */
import { randomBytes } from 'node:crypto'
import { SecretBytes } from '../../src/core/index.js'
import { createAesGcmSealer } from '../../src/store/custody/aes-gcm-sealer.js'
import type { Sealer } from '../../src/store/custody/sealer.js'

export interface TestSealer extends Sealer {
  /** A sealer holding this one's KEKs plus `newKekId`, which becomes the active KEK. */
  rotate(newKekId: string): TestSealer
}

export function createTestSealer(activeKekId = 'test-kek-1', keks: ReadonlyMap<string, Uint8Array> = new Map()): TestSealer {
  const all = new Map(keks)
  if (!all.has(activeKekId)) all.set(activeKekId, new Uint8Array(randomBytes(32)))
  const sealer = createAesGcmSealer([...all].map(([id, key]) => ({ id, key: new SecretBytes(key) })), activeKekId)
  return {
    activeKekId: sealer.activeKekId,
    seal: (secret, context) => sealer.seal(secret, context),
    open: (blob, context) => sealer.open(blob, context),
    kekIdOf: (blob) => sealer.kekIdOf(blob),
    rotate: (newKekId) => createTestSealer(newKekId, all),
  }
}
