/**
 * Option parsing shared by the CLI commands, and the one error type for a usage mistake: main.ts
 * prints its message (no stack) and exits 2, so a typo never looks like a crash.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/**
 * Commander accumulator for repeatable options. Pass no default list where the option is
 * required: commander treats a default as given.
 */
export function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value]
}

/**
 * `host:port` (IPv6 as `[::1]:0`); port 0 asks the system for a free one.
 * @throws UsageError naming the option and what it got.
 */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text)
  const port = Number(m?.[3])
  if (m === null || port > 65535) throw new UsageError(`--listen must be host:port, got '${text}'`)
  return { host: m[1] ?? m[2] ?? '127.0.0.1', port }
}
