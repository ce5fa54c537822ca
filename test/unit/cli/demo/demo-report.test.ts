// How `m2msec demo` shows its walk (issue 8 "each step with progress and timing and a summary
// table at the end"): progress lines on a pipe and on a terminal, the table and its total.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { demoSucceeded, formatDuration, progressLine, progressObserver, summaryTable } from '../../../../src/cli/demo/demo-report.js'
import type { StepResult } from '../../../../src/cli/demo/step-runner.js'

const RESULTS: readonly StepResult[] = [
  { name: 'provision', title: 'provision the device', status: 'ok', durationMs: 12.4, detail: 'KpmID d@mef' },
  { name: 'enrol', title: 'PPSK enrolment', status: 'failed', durationMs: 1534, detail: 'the MEF handshake failed', code: 'M2MSEC_CLIENT_HANDSHAKE_FAILED' },
  { name: 'maf-key', title: 'MAF key registration', status: 'skipped', durationMs: 0 },
]

test('durations: milliseconds below a second, seconds with two decimals above', () => {
  assert.deepEqual([formatDuration(0), formatDuration(12.4), formatDuration(999.4), formatDuration(1534)], ['0 ms', '12 ms', '999 ms', '1.53 s'])
})

test('a progress line names the step number, title, status, duration, detail and the error code of a failure', () => {
  assert.equal(progressLine(0, 3, RESULTS[0]!), '[1/3] provision the device: ok (12 ms) — KpmID d@mef')
  assert.equal(progressLine(1, 3, RESULTS[1]!), '[2/3] PPSK enrolment: FAILED (1.53 s) — the MEF handshake failed [M2MSEC_CLIENT_HANDSHAKE_FAILED]')
  assert.equal(progressLine(2, 3, RESULTS[2]!), '[3/3] MAF key registration: skipped')
})

test('on a pipe only finished steps are written, one line each; on a terminal the running line is redrawn in place', () => {
  const piped: string[] = []
  const pipe = progressObserver({ write: (text) => piped.push(text) })
  pipe.started(0, 3, RESULTS[0]!)
  pipe.finished(0, 3, RESULTS[0]!)
  assert.deepEqual(piped, ['[1/3] provision the device: ok (12 ms) — KpmID d@mef\n'])

  const drawn: string[] = []
  const tty = progressObserver({ isTTY: true, write: (text) => drawn.push(text) })
  tty.started(0, 3, RESULTS[0]!)
  tty.finished(0, 3, RESULTS[0]!)
  tty.finished(2, 3, RESULTS[2]!)
  assert.deepEqual(drawn, ['[1/3] provision the device …', '\r\x1b[2K[1/3] provision the device: ok (12 ms) — KpmID d@mef\n', '[3/3] MAF key registration: skipped\n'])
})

test('the summary table has a row per step with status and time, and a total with counts', () => {
  const lines = summaryTable(RESULTS).split('\n')
  assert.match(lines[0]!, /^STEP\s+STATUS\s+TIME\s+WHAT$/)
  assert.match(lines[2]!, /^provision\s+ok\s+12 ms\s+provision the device$/)
  assert.match(lines[3]!, /^enrol\s+FAILED\s+1\.53 s\s+PPSK enrolment$/)
  assert.match(lines[4]!, /^maf-key\s+skipped\s+-\s+MAF key registration$/)
  assert.equal(lines[5], 'total 1.55 s: 1 ok, 1 FAILED, 1 skipped')
})

test('the demo succeeded only when there were steps and every one is ok', () => {
  assert.equal(demoSucceeded([RESULTS[0]!]), true)
  assert.equal(demoSucceeded(RESULTS), false)
  assert.equal(demoSucceeded([]), false)
})
