/**
 * The seam between the store and key custody (ARCHITECTURE.md §3 "Secrets at rest are sealed").
 * A Sealer turns a key into an opaque sealed blob bound to the record and purpose it belongs to,
 * so a blob copied into another row, or into another column of the same row, does not open.
 * Implementations: a file/env-held KEK (AES-256-GCM) and, later, a PKCS#11-held KEK.
 */
import type { SecretBytes } from '../../core/index.js'

/** What a sealed blob is bound to: the associated data of the AEAD. */
export interface SealContext {
  /** Logical table or record kind, e.g. 'enrolment', 'key_registration'. */
  readonly table: string
  /** The record's stable primary identifier (e.g. the KeID, the key registration id). */
  readonly recordId: string
  /** Which secret of the record this is, e.g. 'ke', 'kpm', 'kc'. */
  readonly purpose: string
}

export interface Sealer {
  /** Identifier of the KEK that seals new blobs (stored in the blob; rotation re-seals old ones). */
  readonly activeKekId: string
  seal(secret: SecretBytes, context: SealContext): Uint8Array
  /** @throws StoreError M2MSEC_STORE_SEAL_INVALID when the blob does not open under `context`. */
  open(blob: Uint8Array, context: SealContext): SecretBytes
  /** KEK id a blob was sealed under, read from its header without opening it. */
  kekIdOf(blob: Uint8Array): string
}
