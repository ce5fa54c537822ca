// The commands `m2msec up` prints (issue 8 "the next command to try"); the integration test runs
// them, these check their shape: the dialled URL with the FQDN named beside it, the same KpmID
// and files in each line, and no Kpm on any command line.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { nextSteps } from '../../../../src/cli/up/next-steps.js'
import type { RoleName, RunningRole } from '../../../../src/cli/up/role-registry.js'

const role = (name: RoleName, port: number): RunningRole => ({
  name, url: `https://127.0.0.1:${port}`, host: '127.0.0.1', port, fqdn: `${name}.m2msec.localhost`, close: async () => undefined,
})
const running = new Map<RoleName, RunningRole>([['mef', role('mef', 4101)], ['maf', role('maf', 4102)]])

test('next steps: enrolee add, enrol at the MEF URL with --mef-fqdn, maf register at the MAF URL with --maf-fqdn', () => {
  const [kpm, add, enrol, register, ...rest] = nextSteps('.m2msec', running, 'dev-0a1b')
  assert.deepEqual(rest, [])
  assert.match(kpm!, /^mkdir -p \.m2msec\/devices\/dev-0a1b && \(umask 077 && .* > \.m2msec\/devices\/dev-0a1b\/kpm\.hex\)$/)
  assert.match(add!, /^npx m2msec enrolee add --data-dir \.m2msec --kpm-id dev-0a1b@mef\.m2msec\.localhost --kpm-file \.m2msec\/devices\/dev-0a1b\/kpm\.hex .*--target 21:maf\.m2msec\.localhost$/)
  assert.match(enrol!, /--mef https:\/\/127\.0\.0\.1:4101 --mef-fqdn mef\.m2msec\.localhost --kpm-id dev-0a1b@mef\.m2msec\.localhost .*--maf-id maf\.m2msec\.localhost --credential-file \.m2msec\/devices\/dev-0a1b\/credential\.json/)
  assert.match(register!, /--maf-url https:\/\/127\.0\.0\.1:4102 --maf-fqdn maf\.m2msec\.localhost --credential-file \.m2msec\/devices\/dev-0a1b\/credential\.json/)
  for (const line of [add, enrol, register]) assert.doesNotMatch(line!, /--kpm /, 'the Kpm stays in its file')
})

test('next steps: a data directory with a space is quoted; a fresh device name each time', () => {
  const [mkdir, add] = nextSteps('/tmp/my data', running, 'dev-1')
  assert.match(add!, /--data-dir '\/tmp\/my data' .*--kpm-file '\/tmp\/my data\/devices\/dev-1\/kpm\.hex' /)
  assert.match(mkdir!, /^mkdir -p '\/tmp\/my data\/devices\/dev-1' /)
  const names = new Set(Array.from({ length: 8 }, () => /--kpm-id (dev-[0-9a-f]{4})@/.exec(nextSteps('.m2msec', running)[1]!)?.[1]))
  assert.ok(names.size > 1)
})

test('next steps: none without both an MEF and a MAF', () => {
  assert.deepEqual(nextSteps('.m2msec', new Map([['mef', role('mef', 1)]])), [])
})
