/**
 * How `m2msec demo` shows its walk (issue 8: "printing each step with progress and timing and a
 * summary table at the end"): one line per step as it finishes — on a terminal a `…` line first,
 * overwritten in place — then a table of every step with status and duration, and the total.
 * Details are the steps' own one-liners, which carry identifiers only.
 */
import { formatTable } from '../commands/enrolee.js'
import type { StepObserver, StepResult } from './step-runner.js'

export interface ReportSink {
  /** Present and true on a terminal: progress lines are redrawn in place. */
  readonly isTTY?: boolean
  write(text: string): unknown
}

const STATUS_TEXT = { ok: 'ok', failed: 'FAILED', skipped: 'skipped' } as const

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`
}

function counter(index: number, total: number): string {
  return `[${index + 1}/${total}]`
}

export function progressLine(index: number, total: number, result: StepResult): string {
  const time = result.status === 'skipped' ? '' : ` (${formatDuration(result.durationMs)})`
  const code = result.code === undefined ? '' : ` [${result.code}]`
  const detail = result.detail === undefined ? '' : ` — ${result.detail}${code}`
  return `${counter(index, total)} ${result.title}: ${STATUS_TEXT[result.status]}${time}${detail}`
}

/** Prints progress to `sink`: the step's title while it runs (terminal only), its result when done. */
export function progressObserver(sink: ReportSink): StepObserver {
  const tty = sink.isTTY === true
  return {
    started(index, total, step) {
      if (tty) sink.write(`${counter(index, total)} ${step.title} …`)
    },
    finished(index, total, result) {
      // \r + erase line: the running line is replaced by its result.
      sink.write(`${tty && result.status !== 'skipped' ? '\r\x1b[2K' : ''}${progressLine(index, total, result)}\n`)
    },
  }
}

/** The summary table and a total line. */
export function summaryTable(results: readonly StepResult[]): string {
  const rows = results.map((r) => [r.name, STATUS_TEXT[r.status], r.status === 'skipped' ? '-' : formatDuration(r.durationMs), r.title])
  const total = results.reduce((sum, r) => sum + r.durationMs, 0)
  const counts = (['ok', 'failed', 'skipped'] as const).map((s) => `${results.filter((r) => r.status === s).length} ${STATUS_TEXT[s]}`)
  return `${formatTable(['STEP', 'STATUS', 'TIME', 'WHAT'], rows)}\ntotal ${formatDuration(total)}: ${counts.join(', ')}`
}

export function demoSucceeded(results: readonly StepResult[]): boolean {
  return results.length > 0 && results.every((r) => r.status === 'ok')
}
