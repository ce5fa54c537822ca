/** The one list of bench groups `npm run bench` runs, in order. */
import type { BenchGroup } from './harness.js'
import { derivationsBenchGroup, keyWrapBenchGroup } from './core/derivations.bench.js'
import { eccsiBenchGroup, eccsiSignBenchGroup } from './core/eccsi.bench.js'
import { milenageBenchGroup } from './core/milenage.bench.js'
import { TLS_BENCH_GROUPS } from './tls.bench.js'
import { storeLookupBenchGroup, storeWriteBenchGroup } from './store.bench.js'
import { mefBenchGroup } from './mef.bench.js'
import { mafBenchGroup } from './maf.bench.js'
import { gatewayBenchGroup } from './gateway.bench.js'

export const BENCH_GROUPS: readonly BenchGroup[] = [eccsiBenchGroup, eccsiSignBenchGroup, derivationsBenchGroup, keyWrapBenchGroup, milenageBenchGroup, ...TLS_BENCH_GROUPS, storeWriteBenchGroup, storeLookupBenchGroup, mefBenchGroup, mafBenchGroup, gatewayBenchGroup]
