/**
 * `npm run bench [-- filter]`: each group's baseline, then its subjects as ops/s and ratio to
 * that baseline. The filter keeps groups whose title contains it; BENCH_MS sets the budget.
 */
import type { BenchGroup, BenchResult } from './harness.js'
import { BENCH_GROUPS } from './groups.js'

const budgetMs = Number(process.env.BENCH_MS ?? 1000)
const filter = process.argv[2]?.toLowerCase()

function format(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1)
}

function line(label: string, result: BenchResult, ratio: number): string {
  const note = result.note ? `   (${result.note})` : ''
  return `  ${label}`.padEnd(60) + `${format(result.opsPerSecond).padStart(12)} ops/s  ${ratio.toFixed(2).padStart(6)}x${note}`
}

async function runGroup(group: BenchGroup): Promise<void> {
  const report = await group.run(budgetMs)
  console.log(`\n${group.title}`)
  console.log(line(`baseline: ${report.baseline.name}`, report.baseline, 1))
  for (const result of report.results) {
    console.log(line(result.name, result, result.opsPerSecond / report.baseline.opsPerSecond))
  }
}

const groups = BENCH_GROUPS.filter((g) => !filter || g.title.toLowerCase().includes(filter))
if (groups.length === 0) {
  console.error(`no bench group matches "${filter ?? ''}"`)
  process.exit(1)
}
console.log(`m2msec bench — node ${process.version}, ${budgetMs} ms per case`)
for (const group of groups) await runGroup(group)
