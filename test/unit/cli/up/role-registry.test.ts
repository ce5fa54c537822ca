// The role registry as a function of the configuration (D-178): with `gateway.upstream` the
// gateway's certificate URI and MEF Enrolment Target identity follow the outside CSE-ID, and the
// reference `cse` role is replaced; without it they follow the reference CSE (D-135, D-144).
import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { runUp } from '../../../../src/cli/up/run-up.js'
import { DEFAULT_ROLE_CONFIG, gatewayRegistrar, UP_ROLES, type RoleConfig, type RoleDefinition } from '../../../../src/cli/up/role-registry.js'

const OUTSIDE: RoleConfig = {
  gateway: { upstream: { url: 'http://10.0.0.7:8080', cseId: '//iot.example.net/cse-1', cseBaseName: 'outside-base' }, upstreamTimeoutMs: 10_000 },
}

function definition(name: string): RoleDefinition {
  const found = UP_ROLES.find((r) => r.name === name)
  assert.ok(found, `no role ${name}`)
  return found
}

test('role registry: the gateway names the reference CSE by default (D-144) and the outside CSE with gateway.upstream', () => {
  const gateway = definition('gateway')
  assert.deepEqual(gatewayRegistrar(DEFAULT_ROLE_CONFIG), { cseId: '//m2msec.localhost/in-cse', cseBaseName: 'cse-in' })
  assert.deepEqual(gatewayRegistrar(OUTSIDE), { cseId: '//iot.example.net/cse-1', cseBaseName: 'outside-base' })
  assert.deepEqual(gateway.certificateUris?.(DEFAULT_ROLE_CONFIG), ['//m2msec.localhost/in-cse'])
  assert.deepEqual(gateway.certificateUris?.(OUTSIDE), ['//iot.example.net/cse-1'], 'D-135: URI SAN = the absolute CSE-ID it fronts')
  assert.deepEqual(gateway.mefTarget?.('gateway.m2msec.localhost', OUTSIDE), { fqdn: 'gateway.m2msec.localhost', originatorIds: ['//iot.example.net/cse-1'] })
  assert.deepEqual(gateway.mefTarget?.('gateway.m2msec.localhost', DEFAULT_ROLE_CONFIG), { fqdn: 'gateway.m2msec.localhost', originatorIds: ['//m2msec.localhost/in-cse'] })
})

test('role registry: only the cse role is replaced, and only by gateway.upstream', () => {
  const replaced = (config: RoleConfig): string[] => UP_ROLES.filter((r) => r.replacedBy?.(config) !== undefined).map((r) => r.name)
  assert.deepEqual(replaced(DEFAULT_ROLE_CONFIG), [])
  assert.deepEqual(replaced(OUTSIDE), ['cse'])
  assert.equal(definition('cse').replacedBy?.(OUTSIDE)?.key, 'gateway.upstream')
  // Nothing else depends on the configuration: the MAF's target stays its own FQDN.
  assert.deepEqual(definition('maf').mefTarget?.('maf.m2msec.localhost', OUTSIDE), { fqdn: 'maf.m2msec.localhost', originatorIds: ['maf.m2msec.localhost'] })
})

test('run up: asked to start the cse role beside gateway.upstream, it refuses before touching the data directory', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'm2msec-up-refused-'))
  t.after(() => rmSync(dataDir, { recursive: true, force: true }))
  await assert.rejects(runUp({
    dataDir, host: '127.0.0.1', ports: new Map(), targetKeyMode: 'usage-constrained', roles: UP_ROLES, config: OUTSIDE,
    stopped: new Promise(() => undefined), print: () => undefined, printEvent: () => undefined,
  }), { name: 'UsageError', message: /^cse cannot run with gateway\.upstream set/ })
  assert.deepEqual(readdirSync(dataDir), [])
})
