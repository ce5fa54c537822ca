// The effective `m2msec up` configuration (issue 8): defaults < file < environment < flags, the
// file found by --config, M2MSEC_CONFIG or ./m2msec.yaml, every problem naming its file and key,
// its variable or its flag — and never echoing the refused value.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { ConfigError, type ConfigProblem } from '../../../../src/cli/config/config-error.js'
import type { RoleCatalogue } from '../../../../src/cli/config/config-keys.js'
import type { UpFlags } from '../../../../src/cli/config/config-layers.js'
import { chooseConfigFile, loadUpConfig } from '../../../../src/cli/config/load-config.js'
import { UP_ROLES } from '../../../../src/cli/up/role-registry.js'

const ROLES: RoleCatalogue = [
  { name: 'mef', after: [] }, { name: 'maf', after: ['mef'] }, { name: 'cse', after: [] }, { name: 'gateway', after: ['mef', 'maf', 'cse'] },
]

function workdir(t: TestContext, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-config-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

function load(cwd: string, env: NodeJS.ProcessEnv = {}, flags: UpFlags = {}): ReturnType<typeof loadUpConfig> {
  return loadUpConfig({ flags, env, cwd, roles: ROLES })
}

function problemsOf(run: () => unknown): readonly ConfigProblem[] {
  try {
    run()
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`)
    assert.equal(error.name, 'UsageError', 'main.ts exits 2 on a UsageError')
    return error.problems
  }
  assert.fail('the configuration was accepted')
}

test('config: with no file, no variable and no flag every key has its documented default', (t) => {
  const { config, sources, file } = load(workdir(t))
  assert.equal(file, undefined)
  assert.deepEqual(config, {
    dataDir: '.m2msec', host: '127.0.0.1', roles: ['mef', 'maf', 'cse', 'gateway'], ports: new Map(), targetKeyMode: 'usage-constrained', log: { level: 'info' },
    gateway: { upstreamTimeoutMs: 10_000 },
  })
  assert.deepEqual([...sources.values()].map((s) => s.kind), ['default', 'default', 'default', 'default', 'default', 'default'])
})

test('config: flags beat the environment, which beats the file, which beats the defaults — key by key', (t) => {
  const cwd = workdir(t, { 'm2msec.yaml': 'dataDir: from-file\nhost: ::1\nroles: [mef, maf]\nports: { mef: 4001, maf: 4002 }\nlog: { level: warn }\n' })
  const { config, sources, file } = load(cwd, { M2MSEC_HOST: '0.0.0.0', M2MSEC_PORTS_MAF: '5002', M2MSEC_LOG_LEVEL: 'error' }, { logLevel: 'debug', port: ['mef=6001'] })
  assert.deepEqual(file, { path: join(cwd, 'm2msec.yaml'), display: 'm2msec.yaml', via: 'current directory' })
  assert.equal(config.dataDir, 'from-file')
  assert.equal(config.host, '0.0.0.0')
  assert.deepEqual(config.roles, ['mef', 'maf'])
  assert.deepEqual(config.ports, new Map([['mef', 6001], ['maf', 5002]]))
  assert.equal(config.targetKeyMode, 'usage-constrained')
  assert.equal(config.log.level, 'debug')
  assert.deepEqual(Object.fromEntries(sources), {
    dataDir: { kind: 'file', file: 'm2msec.yaml' }, host: { kind: 'env', name: 'M2MSEC_HOST' }, roles: { kind: 'file', file: 'm2msec.yaml' },
    'ports.mef': { kind: 'flag', flag: '--port mef=6001' }, 'ports.maf': { kind: 'env', name: 'M2MSEC_PORTS_MAF' },
    targetKeyMode: { kind: 'default' }, 'gateway.upstream.timeoutMs': { kind: 'default' }, 'log.level': { kind: 'flag', flag: '--log-level' },
  })
})

test('config: roles come back in start order whatever order they were written in', (t) => {
  assert.deepEqual(load(workdir(t), { M2MSEC_ROLES: 'gateway, cse,maf,mef' }).config.roles, ['mef', 'maf', 'cse', 'gateway'])
})

test('config: the file is --config, else M2MSEC_CONFIG, else ./m2msec.yaml when it exists', (t) => {
  const cwd = workdir(t, { 'm2msec.yaml': '', 'a.yaml': '', 'b.yaml': '' })
  assert.equal(chooseConfigFile({ config: 'a.yaml' }, { M2MSEC_CONFIG: 'b.yaml' }, cwd)?.display, 'a.yaml')
  assert.equal(chooseConfigFile({}, { M2MSEC_CONFIG: 'b.yaml' }, cwd)?.via, 'env')
  assert.equal(chooseConfigFile({}, {}, cwd)?.via, 'current directory')
  assert.equal(chooseConfigFile({}, {}, workdir(t)), undefined)
  assert.equal(load(cwd, {}, { config: 'a.yaml' }).config.host, '127.0.0.1', 'an empty file sets nothing')
})

test('config: a file named by --config or M2MSEC_CONFIG that cannot be read is refused, naming it', (t) => {
  const cwd = workdir(t)
  assert.deepEqual(problemsOf(() => load(cwd, {}, { config: 'missing.yaml' })), [{ source: { kind: 'file', file: 'missing.yaml' }, why: 'cannot be read (ENOENT)' }])
  assert.deepEqual(problemsOf(() => load(cwd, { M2MSEC_CONFIG: 'gone.yaml' })), [{ source: { kind: 'file', file: 'gone.yaml' }, why: 'cannot be read (ENOENT)' }])
})

test('config: a file problem reads `<file>: key.path: why`, every problem at once', (t) => {
  const cwd = workdir(t, { 'm2msec.yaml': 'hots: x\nports:\n  mef: 70000\n' })
  try {
    load(cwd)
    assert.fail('accepted')
  } catch (error) {
    assert.ok(error instanceof ConfigError)
    assert.deepEqual(error.problems.map((p) => p.key), ['hots', 'ports.mef'])
    assert.match(error.message, /^the configuration has 2 problems:\n {2}m2msec\.yaml: hots: unknown key/)
    assert.match(error.message, /\n {2}m2msec\.yaml: ports\.mef: must be an integer from 0 to 65535$/)
  }
  const one = workdir(t, { 'm2msec.yaml': 'ports: { gateway: -4 }\n' })
  assert.throws(() => load(one), { message: 'm2msec.yaml: ports.gateway: must be an integer from 0 to 65535' })
})

test('config: YAML that does not parse is refused with its line, and duplicate keys are not silently merged', (t) => {
  const cwd = workdir(t, { 'm2msec.yaml': 'host: a\nhost: b\n', 'flow.yaml': 'roles: [mef,\n' })
  const duplicate = problemsOf(() => load(cwd))
  assert.equal(duplicate[0]!.key, 'line 2, column 1')
  assert.match(duplicate[0]!.why, /unique/)
  assert.match(problemsOf(() => load(cwd, {}, { config: 'flow.yaml' }))[0]!.key!, /^line \d+, column \d+$/)
})

test('config: the refused value never appears in the message (a secret pasted by mistake stays off the terminal)', (t) => {
  const secret = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90'
  const cwd = workdir(t, { 'm2msec.yaml': `kek: ${secret}\nhost: "${secret} x"\n`, 'broken.yaml': `dataDir: [${secret}\n` })
  for (const run of [() => load(cwd), () => load(cwd, { M2MSEC_HOST: `${secret}/`, M2MSEC_PORTS_MEF: secret }, { config: 'none.yaml' }), () => load(cwd, {}, { config: 'broken.yaml' })]) {
    assert.throws(run, (error: Error) => !error.message.includes(secret) && !error.message.includes(secret.slice(0, 16)))
  }
})

test('config: an environment problem names the variable', (t) => {
  const cwd = workdir(t)
  assert.deepEqual(problemsOf(() => load(cwd, { M2MSEC_PORTS_MEF: '8x', M2MSEC_TARGET_KEY_MODE: 'raw', M2MSEC_ROLES: '' })).map((p) => [p.source, p.key]), [
    [{ kind: 'env', name: 'M2MSEC_ROLES' }, 'roles'], [{ kind: 'env', name: 'M2MSEC_PORTS_MEF' }, 'ports.mef'], [{ kind: 'env', name: 'M2MSEC_TARGET_KEY_MODE' }, 'targetKeyMode'],
  ])
  assert.throws(() => load(cwd, { M2MSEC_PORTS_MEF: '65536' }), { message: 'M2MSEC_PORTS_MEF: must be an integer from 0 to 65535' })
})

test('config: an unknown variable under a section prefix is refused; a near miss elsewhere is a warning; other M2MSEC_ names pass', (t) => {
  const cwd = workdir(t)
  assert.deepEqual(problemsOf(() => load(cwd, { M2MSEC_PORTS_KMS: '1' })), [{ source: { kind: 'env', name: 'M2MSEC_PORTS_KMS' }, why: 'not a configuration variable' }])
  assert.match(problemsOf(() => load(cwd, { M2MSEC_LOG_LEVL: 'info' }))[0]!.why, /did you mean M2MSEC_LOG_LEVEL\?/)
  assert.deepEqual(load(cwd, { M2MSEC_HOTS: 'x' }).warnings, ['M2MSEC_HOTS is not a configuration variable (did you mean M2MSEC_HOST?); it is ignored'])
  assert.deepEqual(load(cwd, { M2MSEC_KEK: 'x', M2MSEC_KEK_PREVIOUS: 'y', M2MSEC_ADMIN_TOKEN: 'z', M2MSEC_CONFIG: '' }).warnings, [])
})

test('config: a flag problem names the flag', (t) => {
  const cwd = workdir(t)
  assert.deepEqual(problemsOf(() => load(cwd, {}, { mode: 'x', host: '', port: ['kms=1', 'mef=1', 'mef=2', 'maf=99999'] })).map((p) => p.source), [
    { kind: 'flag', flag: '--port kms=1' }, { kind: 'flag', flag: '--port mef=2' }, { kind: 'flag', flag: '--host' },
    { kind: 'flag', flag: '--port maf=99999' }, { kind: 'flag', flag: '--mode' },
  ])
})

test('config: a role without the roles it starts after is refused, naming what to add and where roles came from', (t) => {
  const cwd = workdir(t, { 'm2msec.yaml': 'roles: [cse, gateway]\n' })
  assert.deepEqual(problemsOf(() => load(cwd)), [{ source: { kind: 'file', file: 'm2msec.yaml' }, key: 'roles', why: 'gateway needs mef, maf, cse running before it: add mef, maf' }])
  assert.deepEqual(problemsOf(() => load(cwd, { M2MSEC_ROLES: 'maf' })).map((p) => p.source), [{ kind: 'env', name: 'M2MSEC_ROLES' }])
  assert.deepEqual(load(cwd, {}, { roles: 'cse' }).config.roles, ['cse'])
})

test('config: two roles on the same fixed port are refused; port 0 may repeat; a port of a role not run is a warning', (t) => {
  const cwd = workdir(t, { 'm2msec.yaml': 'ports: { mef: 4000, maf: 0, cse: 0 }\n' })
  assert.deepEqual(problemsOf(() => load(cwd, { M2MSEC_PORTS_GATEWAY: '4000' })), [
    { source: { kind: 'env', name: 'M2MSEC_PORTS_GATEWAY' }, key: 'ports.gateway', why: 'port 4000 is already the port of mef' },
  ])
  const narrowed = load(cwd, {}, { roles: 'mef,cse' })
  assert.deepEqual(narrowed.config.ports, new Map([['mef', 4000], ['cse', 0]]))
  assert.deepEqual(narrowed.warnings, ['ports.maf (file m2msec.yaml) is ignored: maf is not among roles'])
})

test('config: YAML aliases are bounded (no expansion bomb)', (t) => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n')
  const problems = problemsOf(() => load(workdir(t, { 'm2msec.yaml': bomb })))
  assert.equal(problems.length, 1)
  assert.match(problems[0]!.why, /alias/)
})

// gateway.upstream (D-178): the gateway fronts an outside CSE; the cse role then does not run.
const OUTSIDE_YAML = 'gateway:\n  upstream:\n    url: http://10.0.0.7:8080\n    cseId: //iot.example.net/cse-1\n    cseBaseName: cse-base\n'

function loadReal(cwd: string, env: NodeJS.ProcessEnv = {}, flags: UpFlags = {}): ReturnType<typeof loadUpConfig> {
  return loadUpConfig({ flags, env, cwd, roles: UP_ROLES })
}

test('config: gateway.upstream from the file names the outside CSE and leaves the cse role out of the default roles', (t) => {
  const { config, values, sources } = loadReal(workdir(t, { 'm2msec.yaml': OUTSIDE_YAML }))
  assert.deepEqual(config.gateway, { upstream: { url: 'http://10.0.0.7:8080', cseId: '//iot.example.net/cse-1', cseBaseName: 'cse-base' }, upstreamTimeoutMs: 10_000 })
  assert.deepEqual(config.roles, ['mef', 'maf', 'gateway', 'admin'])
  assert.deepEqual(values.get('roles'), ['mef', 'maf', 'gateway', 'admin'], 'config check shows the roles that will run')
  assert.deepEqual(sources.get('roles'), { kind: 'default' })
  assert.deepEqual(sources.get('gateway.upstream.cseId'), { kind: 'file', file: 'm2msec.yaml' })
  // Without it the default is every role, and the gateway fronts the reference CSE.
  const plain = loadReal(workdir(t))
  assert.deepEqual(plain.config.roles, ['mef', 'maf', 'cse', 'gateway', 'admin'])
  assert.equal(plain.config.gateway.upstream, undefined)
})

test('config: gateway.upstream may come from the environment and the flags, key by key', (t) => {
  const cwd = workdir(t, { 'm2msec.yaml': OUTSIDE_YAML })
  const { config, sources } = loadReal(cwd, { M2MSEC_GATEWAY_UPSTREAM_CSE_ID: '//iot.example.net/cse-2', M2MSEC_GATEWAY_UPSTREAM_TIMEOUT_MS: '2500' },
    { gatewayUpstream: 'http://10.0.0.8', gatewayUpstreamTimeoutMs: '3000' })
  assert.deepEqual(config.gateway, { upstream: { url: 'http://10.0.0.8', cseId: '//iot.example.net/cse-2', cseBaseName: 'cse-base' }, upstreamTimeoutMs: 3000 })
  assert.deepEqual([sources.get('gateway.upstream.url'), sources.get('gateway.upstream.cseId'), sources.get('gateway.upstream.timeoutMs')], [
    { kind: 'flag', flag: '--gateway-upstream' }, { kind: 'env', name: 'M2MSEC_GATEWAY_UPSTREAM_CSE_ID' }, { kind: 'flag', flag: '--gateway-upstream-timeout-ms' },
  ])
  const fromFlags = loadReal(workdir(t), {}, { gatewayUpstream: 'http://10.0.0.8', gatewayUpstreamCseId: '//iot.example.net/cse-3', gatewayUpstreamCseBaseName: 'b' })
  assert.deepEqual(fromFlags.config.gateway.upstream, { url: 'http://10.0.0.8', cseId: '//iot.example.net/cse-3', cseBaseName: 'b' })
})

test('config: a timeout alone applies to the reference CSE and starts no outside one', (t) => {
  const { config } = loadReal(workdir(t), { M2MSEC_GATEWAY_UPSTREAM_TIMEOUT_MS: '500' })
  assert.deepEqual(config.gateway, { upstreamTimeoutMs: 500 })
  assert.ok(config.roles.includes('cse'))
})

test('config: a partial gateway.upstream is refused, naming each missing key where the others were set', (t) => {
  const cwd = workdir(t, { 'm2msec.yaml': 'gateway: { upstream: { url: http://10.0.0.7 } }\n' })
  assert.deepEqual(problemsOf(() => loadReal(cwd)).map((p) => [p.source, p.key]), [
    [{ kind: 'file', file: 'm2msec.yaml' }, 'gateway.upstream.cseId'], [{ kind: 'file', file: 'm2msec.yaml' }, 'gateway.upstream.cseBaseName'],
  ])
  assert.throws(() => loadReal(cwd), { message: /m2msec\.yaml: gateway\.upstream\.cseId: must be set too: an outside CSE needs gateway\.upstream\.url, gateway\.upstream\.cseId, gateway\.upstream\.cseBaseName together/ })
  assert.deepEqual(problemsOf(() => loadReal(workdir(t), { M2MSEC_GATEWAY_UPSTREAM_CSE_BASE_NAME: 'b' })).map((p) => p.source), [
    { kind: 'env', name: 'M2MSEC_GATEWAY_UPSTREAM_CSE_BASE_NAME' }, { kind: 'env', name: 'M2MSEC_GATEWAY_UPSTREAM_CSE_BASE_NAME' },
  ])
})

test('config: listing the cse role beside gateway.upstream is refused naming the key; the gateway no longer needs it', (t) => {
  const cwd = workdir(t, { 'm2msec.yaml': OUTSIDE_YAML })
  assert.deepEqual(problemsOf(() => loadReal(cwd, { M2MSEC_ROLES: 'mef,maf,cse,gateway' })), [{
    source: { kind: 'env', name: 'M2MSEC_ROLES' }, key: 'roles', why: 'cse cannot run with gateway.upstream set (the gateway forwards to that outside CSE instead): leave cse out',
  }])
  assert.deepEqual(loadReal(cwd, {}, { roles: 'gateway,maf,mef' }).config.roles, ['mef', 'maf', 'gateway'])
  // Without an outside CSE the same list lacks the CSE the gateway fronts.
  assert.deepEqual(problemsOf(() => loadReal(workdir(t), {}, { roles: 'gateway,maf,mef' })).map((p) => p.why), ['gateway needs mef, maf, cse running before it: add cse'])
  // A port for the replaced role is ignored with the usual warning.
  assert.deepEqual(loadReal(cwd, { M2MSEC_PORTS_CSE: '0' }).warnings, ['ports.cse (env M2MSEC_PORTS_CSE) is ignored: cse is not among roles'])
})

test('config: gateway.upstream problems name the variable or the flag, never echo the value, and typos under the section are refused', (t) => {
  const cwd = workdir(t)
  assert.throws(() => loadReal(cwd, { M2MSEC_GATEWAY_UPSTREAM_CSE_ID: '/cse-1' }), { message: /^M2MSEC_GATEWAY_UPSTREAM_CSE_ID: must be an absolute CSE-ID \/\/sp-domain\/cse-id/ })
  assert.throws(() => loadReal(cwd, {}, { gatewayUpstreamCseId: 'cse-1' }), { message: /^--gateway-upstream-cse-id: must be an absolute CSE-ID \/\/sp-domain\/cse-id/ })
  assert.throws(() => loadReal(cwd, { M2MSEC_GATEWAY_UPSTREAM_TIMEOUT_MS: '5s' }), { message: 'M2MSEC_GATEWAY_UPSTREAM_TIMEOUT_MS: must be an integer number of milliseconds from 100 to 600000' })
  const secret = 'Zq8pW3rT6yU1iO4p'
  assert.throws(() => loadReal(cwd, {}, { gatewayUpstream: `http://operator:${secret}@10.0.0.7` }), (error: Error) => /^--gateway-upstream: must be an http:\/\/ base URL/.test(error.message) && !error.message.includes(secret))
  assert.deepEqual(problemsOf(() => loadReal(cwd, { M2MSEC_GATEWAY_UPSTREAM_CSEID: 'x' })), [
    { source: { kind: 'env', name: 'M2MSEC_GATEWAY_UPSTREAM_CSEID' }, why: 'not a configuration variable (did you mean M2MSEC_GATEWAY_UPSTREAM_CSE_ID?)' },
  ])
  assert.deepEqual(problemsOf(() => loadReal(cwd, { M2MSEC_GATEWAY_UPSTREAMS: 'x' })).map((p) => p.source), [{ kind: 'env', name: 'M2MSEC_GATEWAY_UPSTREAMS' }])
})
