/**
 * Throughput measurement for `npm run bench`. Every subject is reported as ops/s and as a ratio
 * against a baseline measured in the same run, so results compare across machines; nothing
 * here asserts a time.
 */

export interface BenchCase {
  readonly name: string
  /** One operation (sync or async). Return a value so the engine cannot discard the work. */
  readonly run: () => unknown
}

export interface BenchResult {
  readonly name: string
  readonly opsPerSecond: number
  /** Free text shown after the ratio (e.g. "100 concurrent", "1M rows"). */
  readonly note?: string
}

export interface BenchReport {
  readonly baseline: BenchResult
  readonly results: readonly BenchResult[]
}

/** A group measures its own baseline and subjects; `simpleGroup` covers the common one-op case. */
export interface BenchGroup {
  readonly title: string
  readonly run: (budgetMs: number) => Promise<BenchReport>
}

let sink: unknown

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
}

/** Runs `bench.run` repeatedly for about `budgetMs` after a warm-up and returns its rate. */
export async function measure(bench: BenchCase, budgetMs = 1000): Promise<BenchResult> {
  const once = async (): Promise<void> => {
    const value = bench.run()
    sink = isPromise(value) ? await value : value
  }
  const warmUntil = performance.now() + Math.min(200, budgetMs / 4)
  while (performance.now() < warmUntil) await once()
  let ops = 0
  let batch = 1
  const start = performance.now()
  let elapsed = 0
  while (elapsed < budgetMs) {
    for (let i = 0; i < batch; i++) await once()
    ops += batch
    elapsed = performance.now() - start
    if (elapsed < budgetMs / 10) batch *= 2
  }
  return { name: bench.name, opsPerSecond: (ops * 1000) / elapsed }
}

/** Measures `concurrency` copies of an async operation in flight at once, for about `budgetMs`. */
export async function measureConcurrent(
  name: string,
  operation: () => Promise<unknown>,
  concurrency: number,
  budgetMs = 1000,
): Promise<BenchResult> {
  let ops = 0
  const start = performance.now()
  const deadline = start + budgetMs
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      sink = await operation()
      ops++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { name, opsPerSecond: (ops * 1000) / (performance.now() - start), note: `${concurrency} concurrent` }
}

/** A group of one-operation cases against one baseline case. */
export function simpleGroup(title: string, baseline: BenchCase, cases: readonly BenchCase[]): BenchGroup {
  return {
    title,
    run: async (budgetMs) => {
      const base = await measure(baseline, budgetMs)
      const results: BenchResult[] = []
      for (const bench of cases) results.push(await measure(bench, budgetMs))
      return { baseline: base, results }
    },
  }
}

/** Keeps the last result observable (defeats dead-code elimination). */
export function lastSink(): unknown {
  return sink
}
