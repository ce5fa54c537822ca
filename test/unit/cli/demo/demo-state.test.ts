// The demo device's identifiers and files (issue 8 demo; D-143 device files under
// `<data>/devices/`), and the release of sessions and in-memory keys.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SecretBytes } from '../../../../src/core/index.js'
import { demoDevice, needed, newDemoDeviceName, newDemoState, releaseDemoState } from '../../../../src/cli/demo/demo-state.js'
import { parseDemoEndpoints } from '../../../../src/cli/demo/demo-endpoints.js'
import type { EntityASession, Sa2Server } from '../../../../src/client/index.js'

const ENDPOINTS = parseDemoEndpoints(JSON.stringify({
  pid: 1, dataDir: '/srv/m2msec',
  roles: {
    mef: { url: 'https://127.0.0.1:1', fqdn: 'mef.example.org' },
    maf: { url: 'https://127.0.0.1:2', fqdn: 'maf.example.org' },
    gateway: { url: 'https://127.0.0.1:3', fqdn: 'gw.example.org', cseId: '//sp.example.org/cse-1', cseBaseName: 'base' },
  },
}), '/x')

test('the demo device: KpmID at the MEF FQDN, S-type Enrolee-ID in the Registrar\'s SP, files under <data>/devices/<name>/', () => {
  assert.deepEqual(demoDevice(ENDPOINTS, 'demo-ab12cd'), {
    name: 'demo-ab12cd', directory: '/srv/m2msec/devices/demo-ab12cd', kpmId: 'demo-ab12cd@mef.example.org',
    kpmFile: '/srv/m2msec/devices/demo-ab12cd/kpm.hex', credentialFile: '/srv/m2msec/devices/demo-ab12cd/credential.json',
    enroleeId: '//sp.example.org/Sdemoab12cd', aeStem: 'Sdemoab12cd',
  })
})

test('device names are fresh per run and usable in KpmIDs and AE-ID stems', () => {
  const names = new Set(Array.from({ length: 50 }, newDemoDeviceName))
  assert.ok(names.size > 45, 'fresh names')
  for (const name of names) assert.match(name, /^demo-[0-9a-f]{6}$/)
})

test('needed: a value an earlier step did not set is M2MSEC_DEMO_STEP_FAILED', () => {
  assert.equal(needed('x', 'the KeID'), 'x')
  assert.throws(() => needed(undefined, 'the KeID'), { code: 'M2MSEC_DEMO_STEP_FAILED', message: /the KeID is missing/ })
})

test('releaseDemoState closes SA1 and SA2 and wipes the MAF key and Kc; a second call does nothing more', async () => {
  const state = newDemoState(ENDPOINTS, 'usage-constrained', 'demo-000001')
  const closed: string[] = []
  state.sa1 = { close: () => closed.push('sa1') } as unknown as EntityASession
  state.sa2 = { close: async () => void closed.push('sa2') } as unknown as Sa2Server
  state.mafKey = new SecretBytes(new Uint8Array(32).fill(0xa5))
  state.kc = { keyIdentifier: `${'AB'.repeat(16)}@maf.example.org`, key: new SecretBytes(new Uint8Array(32).fill(0x5a)) }
  await releaseDemoState(state)
  await releaseDemoState(state)
  assert.deepEqual(closed, ['sa1', 'sa2'])
  assert.ok(state.mafKey.reveal().every((b) => b === 0))
  assert.ok(state.kc.key.reveal().every((b) => b === 0))
})
