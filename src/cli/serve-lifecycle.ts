/**
 * The lifecycle every `m2msec serve <role>` shares (ARCHITECTURE.md §1; STYLE.md §7): open the
 * data directory's store, start the role on it — closing the store again when that fails — print
 * the ready lines on stdout (first one JSON line `{"role":…,"host":…,"port":N,…}` that scripts
 * and tests wait for), serve until SIGTERM or SIGINT, then close the port before the store so the
 * process exits 0 on its own.
 */
import { openDataDirectoryStore, type Store } from '../store/index.js'

/** What a started role gives back: where it listens, and how to stop it. */
export interface ListeningService {
  readonly host: string
  readonly port: number
  close(): Promise<void>
}

/** The JSON ready line of `role`: role, host and port first, then the role's own `fields`. */
export function readyLine(role: string, service: ListeningService, fields: Readonly<Record<string, unknown>> = {}): string {
  return JSON.stringify({ role, host: service.host, port: service.port, ...fields })
}

/** Resolves on the first SIGTERM or SIGINT, and stops listening for both. */
export function stopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGTERM', stop)
      process.off('SIGINT', stop)
      resolve()
    }
    process.on('SIGTERM', stop)
    process.on('SIGINT', stop)
  })
}

/** Prints `lines` on stdout, waits for SIGTERM or SIGINT, then closes `service`. */
export async function serveUntilStopped(service: ListeningService, lines: readonly string[]): Promise<void> {
  for (const line of lines) console.log(line)
  await stopSignal()
  await service.close()
}

/**
 * `serveUntilStopped` for a role on the store of `dataDir` (created when missing): `start` runs
 * on the open store; `lines` are the ready lines of the started service.
 */
export async function serveOnStore<S extends ListeningService>(
  dataDir: string, start: (store: Store) => Promise<S>, lines: (service: S) => readonly string[],
): Promise<void> {
  const store = await openDataDirectoryStore({ dataDir, create: true })
  let service: S
  try {
    service = await start(store)
  } catch (error) {
    await store.close()
    throw error
  }
  await serveUntilStopped(service, lines(service))
  await store.close()
}
