/** The one list of bench groups `npm run bench` runs. */
import type { BenchGroup } from './harness.js'

export const BENCH_GROUPS: readonly BenchGroup[] = []
