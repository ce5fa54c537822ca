/**
 * The only place store code touches key bytes: secrets enter as SecretBytes and are sealed
 * before any query sees them; blobs leave only through Sealer.open with the same context
 * (ARCHITECTURE.md §3 "Secrets at rest are sealed"). The context names table, record and
 * purpose, so a blob copied to another row or column does not open (custody/sealer.ts).
 */
import type { SecretBytes } from '../core/index.js'
import type { SealContext, Sealer } from './custody/sealer.js'
import { fromBlob, toBlob } from './row-codec.js'

export function sealFor(sealer: Sealer, secret: SecretBytes, context: SealContext): Buffer {
  return toBlob(sealer.seal(secret, context))
}

/** @throws StoreError M2MSEC_STORE_SEAL_INVALID (from the sealer) when the blob is not bound to `context`. */
export function openFrom(sealer: Sealer, blob: Uint8Array, context: SealContext): SecretBytes {
  return sealer.open(fromBlob(blob), context)
}
