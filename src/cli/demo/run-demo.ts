/**
 * `m2msec demo` from start to end (issue 8): find the running `up` through its endpoints.json,
 * walk a fresh demo device through PPSK enrolment → MAF client and key registration → SA1 with
 * the MAF-based SAEF → AE registration → data → notification over SA2, report each step and a
 * summary, and release every session and in-memory key. Shared by the `demo` command and by
 * `up --demo`, which runs the very same walk against itself.
 */
import type { TargetKeyMode } from '../../core/index.js'
import { readDemoEndpoints, type DemoEndpoints } from './demo-endpoints.js'
import { demoSucceeded, progressObserver, summaryTable, type ReportSink } from './demo-report.js'
import { newDemoState, releaseDemoState, type DemoState } from './demo-state.js'
import { enrolmentStep } from './enrolment-step.js'
import { aeRegistrationStep, dataStep, sa1Step } from './gateway-steps.js'
import { mafKeyRegistrationStep, mafRegistrationStep } from './maf-steps.js'
import { notificationStep } from './notification-step.js'
import { provisionStep, type OpenStore } from './provision-step.js'
import { runSteps, type DemoStep, type StepResult } from './step-runner.js'

export interface DemoOptions {
  /** Data directory of the running `up`. */
  readonly dataDir: string
  /** Target key mode of the MEF (OQ-6); default: what endpoints.json records, else usage-constrained. */
  readonly mode?: TargetKeyMode
  /** Device name; default a fresh `demo-xxxxxx`. */
  readonly deviceName?: string
  /** The pid allowed to own endpoints.json besides another live process (`up --demo`: itself). */
  readonly selfPid?: number
  readonly stepTimeoutMs?: number
  /** Progress lines; nothing when absent (--json). */
  readonly progress?: ReportSink
  readonly openStore?: OpenStore
}

export interface DemoOutcome {
  readonly ok: boolean
  readonly device: string
  readonly results: readonly StepResult[]
  readonly summary: string
}

/** The walk, in order. */
export function demoSteps(openStore?: OpenStore): DemoStep<DemoState>[] {
  return [
    provisionStep(openStore), enrolmentStep(), mafRegistrationStep(), mafKeyRegistrationStep(),
    sa1Step(), aeRegistrationStep(), dataStep(), notificationStep(),
  ]
}

/** Runs the walk against `endpoints`. Never throws for a failed step: see `ok` and the results. */
export async function runDemoAgainst(endpoints: DemoEndpoints, options: Omit<DemoOptions, 'dataDir' | 'selfPid'>): Promise<DemoOutcome> {
  const mode = options.mode ?? endpoints.targetKeyMode ?? 'usage-constrained'
  const state = newDemoState(endpoints, mode, options.deviceName)
  options.progress?.write(`m2msec demo: device ${state.device.name} against the m2msec up of ${endpoints.dataDir} (pid ${endpoints.pid})\n`)
  let results: StepResult[]
  try {
    results = await runSteps(demoSteps(options.openStore), state, {
      ...(options.stepTimeoutMs === undefined ? {} : { stepTimeoutMs: options.stepTimeoutMs }),
      ...(options.progress === undefined ? {} : { observer: progressObserver(options.progress) }),
    })
  } finally {
    await releaseDemoState(state)
  }
  return { ok: demoSucceeded(results), device: state.device.name, results, summary: summaryTable(results) }
}

/**
 * Reads `<dataDir>/endpoints.json` and runs the walk.
 * @throws DemoError M2MSEC_DEMO_UNAVAILABLE when no `up` runs on `dataDir`.
 */
export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  return runDemoAgainst(readDemoEndpoints(options.dataDir, options.selfPid), options)
}
