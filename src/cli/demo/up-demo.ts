/**
 * `m2msec up --demo` (issue 8: "`m2msec demo` (against a running `up`, or `m2msec up --demo`)"):
 * once every role listens, the same walk as `m2msec demo` runs in the same process against
 * endpoints.json, its progress and summary printed among up's lines; up keeps running whatever
 * the result (D-182): a failed demo is printed loudly on stderr with the step, and the roles stay
 * up so the operator can look at them and rerun `m2msec demo`.
 *
 * Readiness is endpoints.json naming this process: run-up.ts writes it once every role listens
 * and only then prints its summary, so the first printed line after it exists starts the demo —
 * after the summary (setImmediate), never before a role is ready.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { TargetKeyMode } from '../../core/index.js'
import { ENDPOINTS_FILE } from '../up/endpoints-file.js'
import { describeFailure } from './step-runner.js'
import type { ReportSink } from './demo-report.js'
import { runDemo, type DemoOutcome } from './run-demo.js'

export interface UpDemoOptions {
  readonly dataDir: string
  readonly mode: TargetKeyMode
  /** up's own line printer (stdout). */
  readonly print: (line: string) => void
  /** Where the demo's progress goes (stdout). */
  readonly progress: ReportSink
  /** Where a failure is announced (stderr). */
  readonly warn: (line: string) => void
  /** Resolves with the outcome once the demo ran (tests); undefined when it could not start. */
  readonly done?: (outcome: DemoOutcome | undefined) => void
}

function announce(options: UpDemoOptions, outcome: DemoOutcome): void {
  options.print('')
  options.print(outcome.summary)
  if (outcome.ok) {
    options.print('demo passed — up keeps running; `m2msec demo` runs it again (Ctrl-C stops up)')
    return
  }
  const failed = outcome.results.find((r) => r.status === 'failed')
  const where = failed === undefined ? '' : ` at step ${failed.name}${failed.code === undefined ? '' : ` [${failed.code}]`}: ${failed.detail ?? ''}`
  options.warn(`m2msec up: THE DEMO FAILED${where}`)
  options.warn('m2msec up: the roles keep running; look at the lines above, then retry with `m2msec demo`')
}

async function runInUp(options: UpDemoOptions): Promise<void> {
  let outcome: DemoOutcome | undefined
  try {
    options.print('')
    outcome = await runDemo({ dataDir: options.dataDir, mode: options.mode, selfPid: process.pid, progress: options.progress })
    announce(options, outcome)
  } catch (error) {
    options.warn(`m2msec up: THE DEMO COULD NOT RUN: ${describeFailure(error).detail}`)
  } finally {
    options.done?.(outcome)
  }
}

/**
 * A line printer for `runUp` that prints as `options.print` does and starts the demo once, right
 * after up printed its summary.
 */
export function printThenDemo(options: UpDemoOptions): (line: string) => void {
  const endpoints = join(resolve(options.dataDir), ENDPOINTS_FILE)
  let started = false
  return (line) => {
    options.print(line)
    if (started || !existsSync(endpoints)) return
    started = true
    // The summary is printed synchronously line by line: run after its last line.
    setImmediate(() => void runInUp(options))
  }
}
