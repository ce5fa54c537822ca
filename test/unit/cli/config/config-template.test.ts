// `m2msec config init` writes every key at its default with a comment saying what it is, its
// environment variable and its flag (issue 8: "one YAML file with documented defaults").
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { parseDocument } from 'yaml'
import { configKeys, keyName } from '../../../../src/cli/config/config-keys.js'
import { configTemplate } from '../../../../src/cli/config/config-template.js'
import { loadUpConfig } from '../../../../src/cli/config/load-config.js'
import { ROLE_NAMES, UP_ROLES } from '../../../../src/cli/up/role-registry.js'

const TEMPLATE = configTemplate(UP_ROLES)

test('config template: loads back to exactly the defaults, each key read from the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-template-'))
  try {
    writeFileSync(join(dir, 'm2msec.yaml'), TEMPLATE)
    const fromFile = loadUpConfig({ flags: {}, env: {}, cwd: dir, roles: UP_ROLES })
    const defaults = loadUpConfig({ flags: {}, env: {}, cwd: join(dir, 'nowhere'), roles: UP_ROLES })
    assert.deepEqual(fromFile.config, defaults.config)
    const withDefault = configKeys(UP_ROLES).filter((k) => k.defaultValue !== undefined).map((k) => keyName(k.path))
    assert.ok(withDefault.length >= 5)
    for (const name of withDefault) assert.deepEqual(fromFile.sources.get(name), { kind: 'file', file: 'm2msec.yaml' }, name)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('config template: every key, its environment variable and its flag are explained in a comment', () => {
  const keys = configKeys(UP_ROLES)
  assert.ok(keys.length > 0)
  const comments = TEMPLATE.split('\n').filter((l) => l.trimStart().startsWith('#')).join('\n')
  for (const k of keys) {
    assert.ok(comments.includes(k.env), `${k.env} not documented in the template`)
    assert.ok(comments.includes(k.flag), `${k.flag} not documented in the template`)
    if (k.defaultValue !== undefined) assert.match(comments, new RegExp(`Default: [^\\n]+Environment: ${k.env}\\.`), keyName(k.path))
  }
  assert.match(comments, /No secrets belong here/)
})

test('config template: is well-formed YAML whose comments survive a yaml round trip', () => {
  const document = parseDocument(TEMPLATE)
  assert.deepEqual(document.errors, [])
  assert.equal(document.toString({ lineWidth: 0 }), TEMPLATE)
})

test('docs/configuration.md lists every key with its default, environment variable and flag', () => {
  const docs = readFileSync(join(process.cwd(), 'docs', 'configuration.md'), 'utf8')
  const rows = new Map(docs.split('\n').filter((l) => l.startsWith('| `')).map((l) => [/^\| `([^`]+)`/.exec(l)![1]!, l]))
  const keys = configKeys(UP_ROLES)
  assert.ok(keys.length > 0)
  for (const k of keys) {
    const row = rows.get(keyName(k.path))
    assert.ok(row !== undefined, `docs/configuration.md has no row for ${keyName(k.path)}`)
    assert.ok(row.includes(`\`${k.env}\``), `${keyName(k.path)}: environment variable ${k.env} missing`)
    assert.ok(row.includes(`\`${k.flag}`), `${keyName(k.path)}: flag ${k.flag} missing`)
    assert.ok(row.includes(k.defaultText), `${keyName(k.path)}: default ${k.defaultText} missing`)
  }
  // A role the registry names but has not built yet (ROLE_NAMES) may already have its port row.
  const pendingPorts = ROLE_NAMES.map((name) => `ports.${name}`)
  for (const name of rows.keys()) assert.ok(keys.some((k) => keyName(k.path) === name) || pendingPorts.includes(name), `docs/configuration.md documents ${name}, which is not a key`)
})
