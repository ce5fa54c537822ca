// The JSON Schema of one configuration layer (issue 8: "validation that names the bad key and
// why"; unknown keys refused so a typo never passes silently).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { parseCseId } from '../../../../src/core/index.js'
import { configKeys, envName, type RoleCatalogue } from '../../../../src/cli/config/config-keys.js'
import { layerValidator, nearest } from '../../../../src/cli/config/config-schema.js'

const ROLES: RoleCatalogue = [
  { name: 'mef', after: [] }, { name: 'maf', after: ['mef'] }, { name: 'cse', after: [] }, { name: 'gateway', after: ['mef', 'maf', 'cse'] },
]
const validate = layerValidator(configKeys(ROLES))
const KNOWN_TOP = ['dataDir', 'host', 'roles', 'ports', 'targetKeyMode', 'gateway', 'log']

test('config schema: a full valid layer and an empty one pass', () => {
  assert.deepEqual(validate({}), [])
  assert.deepEqual(validate({
    dataDir: '/var/lib/m2msec', host: '::1', roles: ['mef', 'cse'], ports: { mef: 0, maf: 65535, cse: 8080, gateway: 1 },
    targetKeyMode: 'seed-000', log: { level: 'debug' },
  }), [])
})

test('config schema: each bad value is reported under its own key with what a valid value is', () => {
  const cases: [unknown, string, RegExp][] = [
    [{ dataDir: '' }, 'dataDir', /non-empty path/],
    [{ dataDir: 7 }, 'dataDir', /non-empty path/],
    [{ host: 'a b' }, 'host', /IP address or a host name/],
    [{ roles: [] }, 'roles', /at least one/],
    [{ roles: ['mef', 'mef'] }, 'roles', /distinct/],
    [{ roles: ['mef', 'kms'] }, 'roles', /from: mef, maf, cse, gateway/],
    [{ roles: 'mef' }, 'roles', /list/],
    [{ ports: { mef: 65536 } }, 'ports.mef', /integer from 0 to 65535/],
    [{ ports: { mef: -1 } }, 'ports.mef', /integer from 0 to 65535/],
    [{ ports: { mef: 1.5 } }, 'ports.mef', /integer from 0 to 65535/],
    [{ ports: { mef: '443' } }, 'ports.mef', /integer from 0 to 65535/],
    [{ ports: [1] }, 'ports', /mapping/],
    [{ targetKeyMode: 'plain' }, 'targetKeyMode', /usage-constrained/],
    [{ log: { level: 'verbose' } }, 'log.level', /one of fatal, error/],
    [{ log: 'info' }, 'log', /mapping/],
  ]
  for (const [layer, key, why] of cases) {
    const problems = validate(layer)
    assert.equal(problems.length, 1, JSON.stringify(layer))
    assert.equal(problems[0]!.key, key, JSON.stringify(layer))
    assert.match(problems[0]!.why, why, JSON.stringify(layer))
  }
  assert.deepEqual(validate(null), [{ key: '(top level)', why: 'must be a mapping of keys' }])
  assert.deepEqual(validate(['a']), [{ key: '(top level)', why: 'must be a mapping of keys' }])
})

test('config schema: unknown keys are refused at every level, with the closest known key as a hint', () => {
  const problems = validate({ hots: 'x', ports: { kms: 1, gatway: 2 }, log: { lvl: 'info' } })
  assert.deepEqual(problems.map((p) => p.key).sort(), ['hots', 'log.lvl', 'ports.gatway', 'ports.kms'])
  assert.match(problems.find((p) => p.key === 'hots')!.why, /unknown key \(did you mean host\?\); known here: dataDir, host/)
  assert.match(problems.find((p) => p.key === 'ports.gatway')!.why, /did you mean gateway\?/)
  assert.doesNotMatch(problems.find((p) => p.key === 'ports.kms')!.why, /did you mean/)
})

test('config schema: every integer port in range passes, every other integer fails naming the port key', () => {
  fc.assert(fc.property(fc.constantFrom(...ROLES.map((r) => r.name)), fc.integer({ min: -1e9, max: 1e9 }), (role, port) => {
    const problems = validate({ ports: { [role]: port } })
    if (port >= 0 && port <= 65535) assert.deepEqual(problems, [])
    else assert.deepEqual(problems.map((p) => p.key), [`ports.${role}`])
  }))
})

test('config schema: any top-level key that is not a configuration key is refused by name', () => {
  fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !KNOWN_TOP.includes(k) && k !== '__proto__'), (name) => {
    const problems = validate({ [name]: 1 })
    assert.equal(problems.length, 1)
    assert.equal(problems[0]!.key, name)
    assert.match(problems[0]!.why, /^unknown key/)
  }))
})

test('config keys: environment names are M2MSEC_ and the path in upper case, words split by _', () => {
  assert.equal(envName(['dataDir']), 'M2MSEC_DATA_DIR')
  assert.equal(envName(['targetKeyMode']), 'M2MSEC_TARGET_KEY_MODE')
  assert.equal(envName(['ports', 'gateway']), 'M2MSEC_PORTS_GATEWAY')
  assert.equal(envName(['log', 'level']), 'M2MSEC_LOG_LEVEL')
  const names = configKeys(ROLES).map((k) => k.env)
  assert.equal(new Set(names).size, names.length, 'two keys share an environment name')
})

test('config schema: the "did you mean" hint stays within two edits', () => {
  assert.equal(nearest('hots', KNOWN_TOP), 'host')
  assert.equal(nearest('datadir', KNOWN_TOP), 'dataDir')
  assert.equal(nearest('targetMode', KNOWN_TOP), undefined)
})

// gateway.upstream (D-178): an outside CSE named by URL, absolute CSE-ID and CSEBase name.
const UPSTREAM_CSE_ID = /^must be an absolute CSE-ID \/\/sp-domain\/cse-id/

function upstream(fields: Record<string, unknown>): unknown {
  return { gateway: { upstream: fields } }
}

test('config schema: gateway.upstream takes an http base URL, an absolute CSE-ID, a CSEBase name and a timeout', () => {
  assert.deepEqual(validate(upstream({ url: 'http://cse.example.net:8080', cseId: '//example.net/cse-1', cseBaseName: 'cse-base', timeoutMs: 2500 })), [])
  assert.deepEqual(validate(upstream({ url: 'http://[::1]:80/onem2m/root', cseId: '//m2m.sp1.example.com/in_cse.2', cseBaseName: 'in-name' })), [])
  assert.deepEqual(validate(upstream({ url: 'http://127.0.0.1' })), [], 'a layer may set one part; the merged result must have all three (load-config)')
})

test('config schema: a bad gateway.upstream value is reported under its own key', () => {
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ cseId: '/cse-1' }, 'gateway.upstream.cseId', UPSTREAM_CSE_ID],
    [{ cseId: 'cse-1' }, 'gateway.upstream.cseId', UPSTREAM_CSE_ID],
    [{ cseId: '//Example.net/cse-1' }, 'gateway.upstream.cseId', UPSTREAM_CSE_ID],
    [{ cseId: '//example.net/cse/1' }, 'gateway.upstream.cseId', UPSTREAM_CSE_ID],
    [{ cseId: '//example.net/' }, 'gateway.upstream.cseId', UPSTREAM_CSE_ID],
    [{ cseId: '//example.net' }, 'gateway.upstream.cseId', UPSTREAM_CSE_ID],
    [{ cseId: '//exa mple.net/c' }, 'gateway.upstream.cseId', UPSTREAM_CSE_ID],
    [{ cseId: '//example.net/-cse' }, 'gateway.upstream.cseId', UPSTREAM_CSE_ID],
    [{ cseId: 7 }, 'gateway.upstream.cseId', UPSTREAM_CSE_ID],
    [{ url: 'https://cse.example.net' }, 'gateway.upstream.url', /must be an http:\/\/ base URL/],
    [{ url: 'ftp://cse.example.net' }, 'gateway.upstream.url', /http:\/\//],
    [{ url: 'http://user:password@cse.example.net' }, 'gateway.upstream.url', /no user name/],
    [{ url: 'http://user@cse.example.net' }, 'gateway.upstream.url', /no user name/],
    [{ url: 'http://cse.example.net/?x=1' }, 'gateway.upstream.url', /query/],
    [{ url: 'http://cse.example.net/#top' }, 'gateway.upstream.url', /fragment/],
    [{ url: 'http://cse.example.net:99999' }, 'gateway.upstream.url', /base URL/],
    [{ url: 'cse.example.net:8080' }, 'gateway.upstream.url', /base URL/],
    [{ url: '' }, 'gateway.upstream.url', /base URL/],
    [{ cseBaseName: 'a/b' }, 'gateway.upstream.cseBaseName', /CSEBase resource name/],
    [{ cseBaseName: "it's" }, 'gateway.upstream.cseBaseName', /CSEBase resource name/],
    [{ cseBaseName: '%s' }, 'gateway.upstream.cseBaseName', /CSEBase resource name/],
    [{ cseBaseName: '' }, 'gateway.upstream.cseBaseName', /CSEBase resource name/],
    [{ timeoutMs: 99 }, 'gateway.upstream.timeoutMs', /from 100 to 600000/],
    [{ timeoutMs: 600_001 }, 'gateway.upstream.timeoutMs', /from 100 to 600000/],
    [{ timeoutMs: 1.5 }, 'gateway.upstream.timeoutMs', /from 100 to 600000/],
    [{ timeoutMs: '1000' }, 'gateway.upstream.timeoutMs', /from 100 to 600000/],
  ]
  for (const [fields, key, why] of cases) {
    const problems = validate(upstream(fields))
    assert.equal(problems.length, 1, JSON.stringify(fields))
    assert.equal(problems[0]!.key, key, JSON.stringify(fields))
    assert.match(problems[0]!.why, why, JSON.stringify(fields))
  }
  assert.deepEqual(validate({ gateway: { upstream: { cseid: '//example.net/cse-1' } } }).map((p) => [p.key, /did you mean cseId\?/.test(p.why)]), [['gateway.upstream.cseid', true]])
  assert.deepEqual(validate({ gateway: 'http://cse' }).map((p) => p.key), ['gateway'])
})

test('config schema: a bad CSE-ID is reported beside the other bad values of the layer, not after they are fixed', () => {
  const problems = validate({ ports: { mef: -1 }, gateway: { upstream: { cseId: '/cse-1', url: 'https://x' } } })
  assert.deepEqual(problems.map((p) => p.key).sort(), ['gateway.upstream.cseId', 'gateway.upstream.url', 'ports.mef'])
})

test('config schema: gateway.upstream.cseId is accepted exactly when the core parser reads an absolute CSE-ID', () => {
  const label = fc.stringMatching(/^[a-z0-9A-Z-]{1,8}$/)
  const text = fc.oneof(
    fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[A-Za-z0-9._~/-]{0,10}$/)).map(([labels, rest]) => `//${labels.join('.')}/${rest}`),
    fc.string({ maxLength: 20 }),
  )
  let accepted = 0
  fc.assert(fc.property(text, (cseId) => {
    let absolute = false
    try {
      absolute = parseCseId(cseId).form === 'absolute'
    } catch {
      absolute = false
    }
    const problems = validate(upstream({ cseId }))
    if (absolute) accepted++
    assert.deepEqual(problems.map((p) => p.key), absolute ? [] : ['gateway.upstream.cseId'], cseId)
  }), { numRuns: 500 })
  assert.ok(accepted > 0, 'the generator produced absolute CSE-IDs')
})

test('config keys: the gateway.upstream variables are under their section prefix', () => {
  assert.equal(envName(['gateway', 'upstream', 'cseBaseName']), 'M2MSEC_GATEWAY_UPSTREAM_CSE_BASE_NAME')
  assert.equal(envName(['gateway', 'upstream', 'timeoutMs']), 'M2MSEC_GATEWAY_UPSTREAM_TIMEOUT_MS')
})
