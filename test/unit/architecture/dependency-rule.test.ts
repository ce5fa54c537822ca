// ARCHITECTURE.md §2: arrows point down only; core imports nothing of ours and only node: and
// @noble/curves; a service never imports another service; client never imports store or services.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'

const SRC = resolve('src')

const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: ['core'],
  onem2m: ['core', 'onem2m'],
  pki: ['core', 'onem2m', 'pki'],
  transport: ['core', 'onem2m', 'pki', 'transport'],
  store: ['core', 'onem2m', 'pki', 'store'],
  client: ['core', 'onem2m', 'pki', 'transport', 'client'],
  services: ['core', 'onem2m', 'pki', 'transport', 'store'],
  cli: ['core', 'onem2m', 'pki', 'transport', 'store', 'services', 'client', 'cli'],
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) sourceFiles(path, out)
    else if (path.endsWith('.ts')) out.push(path)
  }
  return out
}

function layerOf(file: string): { layer: string; role?: string } {
  const parts = relative(SRC, file).split(sep)
  const layer = parts[0] ?? ''
  return layer === 'services' ? { layer, role: parts[1] ?? '' } : { layer }
}

function importsOf(text: string): string[] {
  const specs: string[] = []
  const re = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g
  for (const m of text.matchAll(re)) specs.push((m[1] ?? m[2] ?? m[3])!)
  return specs
}

const files = sourceFiles(SRC)

test('the source tree has files to check', () => {
  assert.ok(files.length > 0)
})

test('every relative import points down the layer diagram', () => {
  const violations: string[] = []
  for (const file of files) {
    const from = layerOf(file)
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue
      const target = resolve(dirname(file), spec)
      if (!target.startsWith(SRC + sep)) {
        violations.push(`${relative(SRC, file)} imports outside src: ${spec}`)
        continue
      }
      const to = layerOf(target)
      const allowed = ALLOWED[from.layer] ?? []
      const sameRole = from.layer === 'services' && to.layer === 'services' && from.role === to.role
      if (!allowed.includes(to.layer) && !sameRole) {
        violations.push(`${relative(SRC, file)} (${from.layer}${from.role ? '/' + from.role : ''}) → ${spec} (${to.layer}${to.role ? '/' + to.role : ''})`)
      }
    }
  }
  assert.deepEqual(violations, [])
})

test('core depends on node: built-ins and @noble/curves only', () => {
  const violations: string[] = []
  for (const file of files.filter((f) => layerOf(f).layer === 'core')) {
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.') || spec.startsWith('node:') || spec === '@noble/curves' || spec.startsWith('@noble/curves/')) continue
      violations.push(`${relative(SRC, file)} imports ${spec}`)
    }
  }
  assert.deepEqual(violations, [])
})

test('another layer enters a layer only through its index.ts', () => {
  const violations: string[] = []
  for (const file of files) {
    const from = layerOf(file)
    if (from.layer === 'cli' || from.layer === 'services') continue
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue
      const target = resolve(dirname(file), spec)
      const to = layerOf(target)
      if (to.layer !== from.layer && !/[\\/]index\.js$/.test(target)) {
        violations.push(`${relative(SRC, file)} reaches into ${spec}`)
      }
    }
  }
  assert.deepEqual(violations, [])
})

test('the checker sees a planted violation (guards against a checker that passes everything)', () => {
  assert.deepEqual(importsOf(`import { x } from '../store/index.js'\nexport { y } from "./y.js"\nawait import('../services/mef/a.js')`), [
    '../store/index.js',
    './y.js',
    '../services/mef/a.js',
  ])
  assert.ok(!(ALLOWED.core ?? []).includes('store'))
  assert.ok(!(ALLOWED.client ?? []).includes('store') && !(ALLOWED.client ?? []).includes('services'))
})
