/**
 * Runs the demo's steps in order (issue 8: "printing each step with progress and timing … exits
 * non-zero if any step fails"): each step gets a time bound, its duration is measured, and the
 * first failure stops the walk — the steps after it are reported as skipped, since each one needs
 * what the previous ones made (a KeID, a Kc, an SA1 session). Knows nothing about oneM2M: a step
 * is a title and a function returning a one-line, non-secret detail.
 */
import { M2mSecError } from '../../core/index.js'
import { DemoError } from './errors.js'

export interface DemoStep<S> {
  /** Short stable name (summary table, --json). */
  readonly name: string
  /** What the step does, for people. */
  readonly title: string
  /** Resolves with a one-line detail (identifiers only, never key bytes). */
  run(state: S, signal: AbortSignal): Promise<string>
}

export type StepStatus = 'ok' | 'failed' | 'skipped'

export interface StepResult {
  readonly name: string
  readonly title: string
  readonly status: StepStatus
  readonly durationMs: number
  readonly detail?: string
  /** For a failed step: the error's stable code when it has one. */
  readonly code?: string
}

export interface StepObserver {
  /** A step is about to run (index from 0). */
  started(index: number, total: number, step: { readonly name: string; readonly title: string }): void
  finished(index: number, total: number, result: StepResult): void
}

export interface RunStepsOptions {
  /** Bound on one step; default 30 s. */
  readonly stepTimeoutMs?: number
  /** Monotonic milliseconds; default performance.now. */
  readonly now?: () => number
  readonly observer?: StepObserver
}

export const DEFAULT_STEP_TIMEOUT_MS = 30_000

/** The message and code of a step failure: coded errors as they are; others by message only (no stack, no cause). */
export function describeFailure(error: unknown): { readonly detail: string; readonly code?: string } {
  if (error instanceof M2mSecError) return { detail: error.message, code: error.code }
  return { detail: error instanceof Error ? error.message : 'unknown error' }
}

async function bounded<T>(work: (signal: AbortSignal) => Promise<T>, ms: number, title: string): Promise<T> {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Reject first: a step that settles when aborted must not win the race after its bound.
      reject(new DemoError('M2MSEC_DEMO_STEP_TIMEOUT', 'unavailable', `${title}: no result within ${ms} ms`))
      controller.abort()
    }, ms)
  })
  try {
    return await Promise.race([work(controller.signal), timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Runs `steps` on `state` in order; never throws for a step's failure (it becomes a result). */
export async function runSteps<S>(steps: readonly DemoStep<S>[], state: S, options: RunStepsOptions = {}): Promise<StepResult[]> {
  const now = options.now ?? (() => performance.now())
  const limit = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS
  const results: StepResult[] = []
  let failed = false
  for (const [index, step] of steps.entries()) {
    const base = { name: step.name, title: step.title }
    if (failed) {
      const skipped: StepResult = { ...base, status: 'skipped', durationMs: 0 }
      results.push(skipped)
      options.observer?.finished(index, steps.length, skipped)
      continue
    }
    options.observer?.started(index, steps.length, base)
    const start = now()
    let result: StepResult
    try {
      const detail = await bounded((signal) => step.run(state, signal), limit, step.title)
      result = { ...base, status: 'ok', durationMs: now() - start, detail }
    } catch (error) {
      failed = true
      const { detail, code } = describeFailure(error)
      result = { ...base, status: 'failed', durationMs: now() - start, detail, ...(code === undefined ? {} : { code }) }
    }
    results.push(result)
    options.observer?.finished(index, steps.length, result)
  }
  return results
}
