// docs/errors.md and the code unions must list the same codes, both ways (STYLE.md §4).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

// Quoted literals only: a code named in a comment or example is not a declaration.
const CODE_RE = /'(M2MSEC_[A-Z0-9_]+)'/g

function errorModules(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) errorModules(path, out)
    else if (entry === 'errors.ts') out.push(path)
  }
  return out
}

function documented(): Map<string, string> {
  const rows = new Map<string, string>()
  for (const line of readFileSync('docs/errors.md', 'utf8').split('\n')) {
    const m = /^\|\s*(M2MSEC_[A-Z0-9_]+)\s*\|\s*([a-z-]+)\s*\|/.exec(line)
    if (m) rows.set(m[1]!, m[2]!)
  }
  return rows
}

test('every code declared in an errors.ts is documented in docs/errors.md', () => {
  const declared = new Set(errorModules('src').flatMap((file) => [...readFileSync(file, 'utf8').matchAll(CODE_RE)].map((m) => m[1]!)))
  assert.ok(declared.size > 0)
  const missing = [...declared].filter((code) => !documented().has(code))
  assert.deepEqual(missing, [])
})

test('every documented code is declared in some errors.ts', () => {
  const declared = new Set(errorModules('src').flatMap((file) => [...readFileSync(file, 'utf8').matchAll(CODE_RE)].map((m) => m[1]!)))
  const stale = [...documented().keys()].filter((code) => !declared.has(code))
  assert.deepEqual(stale, [])
})

test('documented kinds are ErrorKind values', () => {
  const kinds = new Set(['bad-input', 'unauthenticated', 'forbidden', 'not-found', 'conflict', 'unavailable', 'internal'])
  for (const [code, kind] of documented()) assert.ok(kinds.has(kind), `${code}: ${kind}`)
})
