/**
 * Durability of SQLite commits without blocking the event loop (issue 5 bench; store
 * `synchronous: 'full'`). better-sqlite3 runs COMMIT on the event-loop thread, so with
 * `PRAGMA synchronous=FULL` every handshake in the process waits for each fsync of the WAL.
 * Instead the connection runs with synchronous=NORMAL (a COMMIT only write()s its WAL frames)
 * and this module fdatasync()s the WAL file on libuv's thread pool after the COMMIT; the store
 * answers the transaction's caller only when that flush returned. What was answered is then on
 * disk exactly as with FULL:
 *
 *   - The WAL is append-only between checkpoints, so one fdatasync of the file makes every frame
 *     written before it durable: concurrent commits share one flush (at most one in flight; a
 *     commit that finds one running waits for the next, which starts after it).
 *   - SQLite still does the syncs that protect the file's structure, whatever this module does:
 *     the WAL header when the WAL (re)starts, with the one-time fsync of its directory, and the
 *     WAL before and the database after every checkpoint (NORMAL keeps all of those).
 *   - While this store's connection is open SQLite never deletes or truncates the WAL (no
 *     journal_size_limit is set), so the descriptor opened here keeps naming it.
 *
 * The difference from FULL: a commit is visible to readers (this process and others) during
 * its flush, before it is durable. A power loss in that window loses it as it would lose an
 * unanswered FULL commit, but a reader may have seen it; no caller was told it succeeded. A
 * failed flush fails the callers of every commit it covered (their rows may still persist).
 */
import { open, type FileHandle } from 'node:fs/promises'

export interface WalFlusher {
  /** Resolves once every WAL frame written before this call is on stable storage. */
  flush(): Promise<void>
  /** Waits for the flushes under way, then closes the WAL descriptor. */
  close(): Promise<void>
}

/**
 * Coalesces flushes: at most one `syncOnce` in flight; a flush requested meanwhile waits for the
 * next one, which starts after the current one ended (it may have started before the caller's
 * frames were written). Every caller waiting for that next one shares it.
 */
export function coalescingFlusher(syncOnce: () => Promise<void>, release: () => Promise<void> = async () => undefined): WalFlusher {
  let running: Promise<void> | undefined
  let queued: Promise<void> | undefined

  const start = (): Promise<void> => {
    const flushing: Promise<void> = syncOnce().finally(() => {
      if (running === flushing) running = undefined
    })
    running = flushing
    return flushing
  }

  return {
    flush: () => {
      if (running === undefined) return start()
      queued ??= running.catch(() => undefined).then(() => {
        queued = undefined
        return start()
      })
      return queued
    },
    close: async () => {
      await (queued ?? running)?.catch(() => undefined)
      await release()
    },
  }
}

/** A flusher for the WAL of the database at `databasePath` (`<path>-wal`, opened on first use). */
export function walFlusher(databasePath: string): WalFlusher {
  let handle: Promise<FileHandle> | undefined
  const syncOnce = async (): Promise<void> => {
    handle ??= open(`${databasePath}-wal`, 'r')
    let file: FileHandle
    try {
      file = await handle
    } catch (error) {
      handle = undefined
      // No WAL yet: nothing was written through it, so nothing waits for a flush.
      if ((error as { code?: unknown }).code === 'ENOENT') return
      throw error
    }
    await file.datasync()
  }
  const release = async (): Promise<void> => {
    const file = handle
    handle = undefined
    if (file !== undefined) await (await file.catch(() => undefined))?.close()
  }
  return coalescingFlusher(syncOnce, release)
}
