// The JSON Schema of one configuration layer (issue 8: "validation that names the bad key and
// why"; unknown keys refused so a typo never passes silently).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { configKeys, envName, type RoleCatalogue } from '../../../../src/cli/config/config-keys.js'
import { layerValidator, nearest } from '../../../../src/cli/config/config-schema.js'

const ROLES: RoleCatalogue = [
  { name: 'mef', after: [] }, { name: 'maf', after: ['mef'] }, { name: 'cse', after: [] }, { name: 'gateway', after: ['mef', 'maf', 'cse'] },
]
const validate = layerValidator(configKeys(ROLES))
const KNOWN_TOP = ['dataDir', 'host', 'roles', 'ports', 'targetKeyMode', 'log']

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
