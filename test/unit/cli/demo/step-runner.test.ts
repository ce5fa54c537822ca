// The demo's step runner (issue 8 "printing each step with progress and timing … exits non-zero
// if any step fails"): order, durations from the injected clock, the first failure skipping the
// rest, coded failures keeping their code, a per-step time bound that aborts the step.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { ClientError } from '../../../../src/client/index.js'
import { describeFailure, runSteps, type DemoStep, type StepResult } from '../../../../src/cli/demo/step-runner.js'

function step(name: string, run: DemoStep<string[]>['run']): DemoStep<string[]> {
  return { name, title: `title of ${name}`, run }
}

/** A clock that advances 10 ms per reading. */
function fakeClock(): () => number {
  let t = 0
  return () => (t += 10)
}

test('runs every step in order on the shared state and reports ok with the step detail and duration', async () => {
  const state: string[] = []
  const steps = ['a', 'b', 'c'].map((n) => step(n, async (s) => (s.push(n), `did ${n}`)))
  const results = await runSteps(steps, state, { now: fakeClock() })
  assert.deepEqual(state, ['a', 'b', 'c'])
  assert.deepEqual(results.map((r) => [r.name, r.status, r.detail, r.durationMs]), [['a', 'ok', 'did a', 10], ['b', 'ok', 'did b', 10], ['c', 'ok', 'did c', 10]])
})

test('the first failing step stops the walk: it is failed with its error code, the steps after it are skipped and never run', async () => {
  const ran: string[] = []
  const steps = [
    step('a', async () => (ran.push('a'), 'ok')),
    step('b', async () => {
      ran.push('b')
      throw new ClientError('M2MSEC_CLIENT_HANDSHAKE_FAILED', 'unauthenticated', 'the MAF handshake failed')
    }),
    step('c', async () => (ran.push('c'), 'never')),
    step('d', async () => (ran.push('d'), 'never')),
  ]
  const seen: string[] = []
  const results = await runSteps(steps, [], {
    now: fakeClock(),
    observer: { started: (i) => seen.push(`start ${i}`), finished: (i, total, r) => seen.push(`end ${i}/${total} ${r.status}`) },
  })
  assert.deepEqual(ran, ['a', 'b'])
  assert.deepEqual(results.map((r) => r.status), ['ok', 'failed', 'skipped', 'skipped'])
  assert.deepEqual([results[1]!.code, results[1]!.detail], ['M2MSEC_CLIENT_HANDSHAKE_FAILED', 'the MAF handshake failed'])
  assert.deepEqual([results[2]!.durationMs, results[2]!.detail], [0, undefined])
  assert.deepEqual(seen, ['start 0', 'end 0/4 ok', 'start 1', 'end 1/4 failed', 'end 2/4 skipped', 'end 3/4 skipped'])
})

test('a step that outlives its bound fails with M2MSEC_DEMO_STEP_TIMEOUT and sees its signal aborted', async () => {
  let aborted = false
  const slow = step('slow', (_s, signal) => new Promise<string>((resolve) => {
    signal.addEventListener('abort', () => {
      aborted = true
      resolve('too late')
    })
  }))
  const results = await runSteps([slow, step('next', async () => 'never')], [], { stepTimeoutMs: 20 })
  assert.equal(results[0]!.status, 'failed')
  assert.equal(results[0]!.code, 'M2MSEC_DEMO_STEP_TIMEOUT')
  assert.match(results[0]!.detail ?? '', /title of slow: no result within 20 ms/)
  assert.equal(aborted, true)
  assert.equal(results[1]!.status, 'skipped')
})

test('an uncoded error is reported by its message only, without a code; a non-Error by a fixed text', () => {
  assert.deepEqual(describeFailure(new Error('socket hang up')), { detail: 'socket hang up' })
  assert.deepEqual(describeFailure('a string'), { detail: 'unknown error' })
})

test('property: whatever steps fail, the results hold one entry per step, ok before the first failure, skipped after it', async () => {
  await fc.assert(fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }), async (outcomes) => {
    const steps = outcomes.map((ok, i) => step(`s${i}`, async () => {
      if (!ok) throw new Error(`s${i} failed`)
      return 'fine'
    }))
    const results: StepResult[] = await runSteps(steps, [], { now: fakeClock() })
    const firstFailure = outcomes.indexOf(false)
    assert.equal(results.length, outcomes.length)
    results.forEach((r, i) => {
      const expected = firstFailure === -1 || i < firstFailure ? 'ok' : i === firstFailure ? 'failed' : 'skipped'
      assert.equal(r.status, expected, `step ${i} of ${JSON.stringify(outcomes)}`)
    })
  }), { numRuns: 100 })
})
