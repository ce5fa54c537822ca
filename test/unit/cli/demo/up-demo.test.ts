// `m2msec up --demo` (issue 8; D-182): the demo starts once, only after endpoints.json exists
// (up is ready), and a failing demo is announced loudly without throwing — up keeps running.
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { printThenDemo } from '../../../../src/cli/demo/up-demo.js'
import type { DemoOutcome } from '../../../../src/cli/demo/run-demo.js'

test('up --demo: nothing runs before endpoints.json exists; then one demo runs, and its failure is printed loudly on the warning stream', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'm2msec-up-demo-'))
  t.after(() => rmSync(dataDir, { recursive: true, force: true }))
  const printed: string[] = []
  const warned: string[] = []
  const progress: string[] = []
  let finished: (outcome: DemoOutcome | undefined) => void = () => undefined
  const done = new Promise<DemoOutcome | undefined>((resolve) => (finished = resolve))
  let runs = 0
  const print = printThenDemo({
    dataDir, mode: 'usage-constrained', print: (line) => printed.push(line), progress: { write: (text) => progress.push(text) },
    warn: (line) => warned.push(line), done: (outcome) => ((runs += 1), finished(outcome)),
  })
  print('m2msec up: data directory …')
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(progress.length, 0, 'no demo before up is ready')

  // Ready: an endpoints.json naming this process, with no database behind it, so the first step fails.
  const role = (port: number, name: string): Record<string, string> => ({ url: `https://127.0.0.1:${port}`, fqdn: `${name}.m2msec.localhost` })
  writeFileSync(join(dataDir, 'endpoints.json'), JSON.stringify({
    pid: process.pid, dataDir,
    roles: { mef: role(9, 'mef'), maf: role(9, 'maf'), gateway: { ...role(9, 'gateway'), cseId: '//m2msec.localhost/in-cse', cseBaseName: 'cse-in' } },
  }))
  print('Stop with Ctrl-C.')
  print('a later line')
  const outcome = await done
  assert.equal(runs, 1, 'one demo, however many lines follow')
  assert.equal(outcome?.ok, false)
  assert.deepEqual(outcome?.results.map((r) => r.status), ['failed', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped'])
  assert.equal(outcome?.results[0]?.code, 'M2MSEC_STORE_UNAVAILABLE')
  assert.match(warned[0] ?? '', /^m2msec up: THE DEMO FAILED at step provision \[M2MSEC_STORE_UNAVAILABLE\]: /)
  assert.match(warned[1] ?? '', /the roles keep running/)
  assert.deepEqual(printed.slice(0, 3), ['m2msec up: data directory …', 'Stop with Ctrl-C.', 'a later line'], 'up\'s own lines come first and unchanged')
  assert.ok(printed.some((l) => /total .*: 0 ok, 1 FAILED, 7 skipped/.test(l)), printed.join('\n'))
  assert.equal(existsSync(join(dataDir, 'devices')), false, 'a failed provisioning leaves no Kpm file behind')
})
