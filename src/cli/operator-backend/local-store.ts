/**
 * How the operator commands reach the local data directory: its store opened for one command and
 * closed after it, whatever happened. Tests replace the opener and the clock.
 */
import { openDataDirectoryStore } from '../../store/index.js'
import type { Store } from '../../store/index.js'

/** Where `m2msec up` keeps its data unless told otherwise. */
export const DEFAULT_DATA_DIR = '.m2msec'

/** Seams for tests; the defaults open the data directory's SQLite store and use the wall clock. */
export interface OperatorCommandDeps {
  readonly openStore?: (options: { readonly dataDir: string; readonly create: boolean }) => Promise<Store>
  readonly now?: () => Date
  /** Where the import progress bar goes; default stderr, and only when it is a TTY. */
  readonly progress?: { readonly isTTY?: boolean; write(text: string): boolean }
  /** Pause between two polls of a remote import; default 250 ms. */
  readonly pollMs?: number
}

/** Runs `work` on the data directory's store, closing it afterwards. */
export async function withStore<T>(deps: OperatorCommandDeps, dataDir: string, create: boolean, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await (deps.openStore ?? openDataDirectoryStore)({ dataDir, create })
  try {
    return await work(store)
  } finally {
    await store.close()
  }
}

export function nowOf(deps: OperatorCommandDeps): Date {
  return (deps.now ?? (() => new Date()))()
}
