/**
 * KEK rotation (issue 4: "KEK rotation re-seals everything online"). The store exposes its
 * sealed columns as a SealedColumnSource; rotation opens each blob that is not yet under the
 * active KEK and writes it back sealed under the active KEK with the same context.
 *
 * Online and resumable: a blob already under the active KEK is skipped, so rotation can run in
 * several transactions (batches), be interrupted and be run again; readers keep working
 * throughout because the sealer they use holds both the old and the new KEK. The old KEK may
 * be retired only once `remaining` is 0, i.e. a second pass found no blob under another KEK
 * (a writer still running with the old keyring would leave some).
 */
import type { SealContext, Sealer } from './sealer.js'

export interface SealedEntry {
  readonly context: SealContext
  readonly blob: Uint8Array
}

/**
 * Every sealed column of the store. Contract for implementers:
 * - `listSealed` yields each sealed value once, with the context it was sealed under;
 * - `replaceSealed` may be called between two yields of `listSealed` (page by primary key or
 *   read a batch before yielding it: better-sqlite3 cannot write while a statement iterates);
 * - `replaceSealed` writes the blob of exactly the row/column named by the context and throws
 *   StoreError M2MSEC_STORE_NOT_FOUND when there is none.
 */
export interface SealedColumnSource {
  listSealed(): AsyncIterable<SealedEntry>
  replaceSealed(context: SealContext, blob: Uint8Array): Promise<void>
}

export interface RotationReport {
  /** Sealed values seen. */
  readonly scanned: number
  /** Values re-sealed under the active KEK by this run. */
  readonly resealed: number
  /** Values still under another KEK after the run (0 means the old KEKs may be retired). */
  readonly remaining: number
  /** Count of values found per KEK id before re-sealing (for operator output). */
  readonly byKekId: Readonly<Record<string, number>>
}

/**
 * Re-seals one blob under `to.activeKekId`, or returns undefined when it is already there.
 * @throws StoreError M2MSEC_STORE_SEAL_INVALID when `from` cannot open it under `context`.
 */
export function resealBlob(entry: SealedEntry, from: Sealer, to: Sealer): Uint8Array | undefined {
  if (to.kekIdOf(entry.blob) === to.activeKekId) return undefined
  const secret = from.open(entry.blob, entry.context)
  try {
    return to.seal(secret, entry.context)
  } finally {
    secret.wipe()
  }
}

/**
 * Yields the re-sealed entries of `entries` (only those that changed), without writing anything.
 * `from` opens (it holds the old KEKs), `to` seals; one sealer holding both may play both parts.
 */
export async function* resealAll(
  entries: AsyncIterable<SealedEntry> | Iterable<SealedEntry>,
  from: Sealer,
  to: Sealer,
): AsyncGenerator<SealedEntry> {
  for await (const entry of entries) {
    const blob = resealBlob(entry, from, to)
    if (blob !== undefined) yield { context: entry.context, blob }
  }
}

/**
 * Re-seals every sealed value of `source` under `to.activeKekId`, then counts what is left
 * under other KEKs. Call it inside a store transaction, or per batch: it is idempotent.
 * @throws StoreError M2MSEC_STORE_SEAL_INVALID on a blob that does not open (nothing after it is
 *   re-sealed; rows re-sealed before it stay valid under the new KEK).
 */
export async function rotateKek(source: SealedColumnSource, from: Sealer, to: Sealer): Promise<RotationReport> {
  let scanned = 0
  let resealed = 0
  // A null-prototype object: KEK ids are operator-visible text and '__proto__' is a valid one.
  const byKekId = Object.create(null) as Record<string, number>
  for await (const entry of source.listSealed()) {
    scanned += 1
    const kekId = to.kekIdOf(entry.blob)
    byKekId[kekId] = (byKekId[kekId] ?? 0) + 1
    const blob = resealBlob(entry, from, to)
    if (blob === undefined) continue
    await source.replaceSealed(entry.context, blob)
    resealed += 1
  }
  let remaining = 0
  for await (const entry of source.listSealed()) {
    if (to.kekIdOf(entry.blob) !== to.activeKekId) remaining += 1
  }
  return { scanned, resealed, remaining, byKekId }
}
