/**
 * Crash safety of the SQLite store (issue 4 "Done means"): a child writing enrolments in a loop
 * is SIGKILLed at random moments 50 times; after every kill the database opens, every KeID the
 * child printed (printed only after commit) is present with intact keys, no transaction is
 * half-applied, no identifier repeats, and the audit chain is whole.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomBytes, randomInt } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { openStore } from '../../src/store/index.js'
import { testAuditLinker } from '../support/store-audit-linker.js'
import { CRASH_KPM_ID, derivedKey } from '../support/store-crash-fixture.js'
import { createTestSealer } from '../support/store-test-sealer.js'

const CHILD = join(import.meta.dirname, '..', 'support', 'store-crash-child.ts')
const ROUNDS = Number(process.env.M2MSEC_CRASH_ROUNDS ?? 50)

/**
 * The child's command line. tsx needs ~1 s per start, which 50 restarts cannot afford, so the
 * child is bundled once into CommonJS with esbuild (tsx's own transformer, already installed)
 * and run by plain node, resolving packages through NODE_PATH. Without esbuild: tsx.
 */
async function childCommand(dir: string): Promise<{ args: string[]; env: NodeJS.ProcessEnv }> {
  try {
    const esbuild = await import('esbuild')
    const outfile = join(dir, 'child.cjs')
    await esbuild.build({ entryPoints: [CHILD], bundle: true, platform: 'node', format: 'cjs', packages: 'external', outfile, logLevel: 'silent' })
    return { args: [outfile], env: { ...process.env, NODE_PATH: join(import.meta.dirname, '..', '..', 'node_modules') } }
  } catch {
    return { args: ['--import', 'tsx', CHILD], env: process.env }
  }
}

interface Round { readonly printed: string[]; readonly output: string }

interface RunningChild {
  readonly kill: () => Promise<Round>
}

/** Starts the child and resolves once it printed its ready line (the store is open and migrated). */
async function startChild(command: { args: string[]; env: NodeJS.ProcessEnv }, path: string, kekHex: string): Promise<RunningChild> {
  const child = spawn(process.execPath, [...command.args, path, kekHex], { stdio: ['ignore', 'pipe', 'pipe'], env: command.env })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child never printed ready; stderr: ${stderr}`)), 20_000)
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
      if (stdout.startsWith('ready\n')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', () => reject(new Error(`child exited before ready; stderr: ${stderr}`)))
  })
  return {
    kill: async () => {
      child.kill('SIGKILL')
      assert.equal(await exited, 'SIGKILL', `child died on its own: ${stderr}`)
      // A line cut by the kill has no newline yet: only complete lines count as printed.
      return { printed: stdout.split('\n').slice(1, -1), output: stderr }
    },
  }
}

/** Starts the child, lets it write for a random while, SIGKILLs it. */
async function crashRound(command: { args: string[]; env: NodeJS.ProcessEnv }, path: string, kekHex: string): Promise<Round> {
  const child = await startChild(command, path, kekHex)
  await new Promise((resolve) => setTimeout(resolve, randomInt(0, 120)))
  return child.kill()
}

async function verify(path: string, kekHex: string, printed: readonly string[]): Promise<number> {
  const raw = new Database(path, { readonly: true })
  try {
    assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok')
  } finally {
    raw.close()
  }
  const store = await openStore({ kind: 'sqlite', path }, { sealer: createTestSealer('crash-kek', new Map([['crash-kek', Buffer.from(kekHex, 'hex')]])) })
  try {
    const now = new Date()
    const enrolee = await store.reader.findEnroleeByCredential('psk', CRASH_KPM_ID)
    assert.ok(enrolee, 'the enrolee survives')
    const stored = await store.transaction((tx) => tx.enrolments.listByEnrolee(enrolee.enroleeRef, now))
    const psks = await store.transaction((tx) => tx.pskCredentials.listByOwner('configured', 'crash'))
    const events = await store.transaction((tx) => tx.audit.list({ limit: 1_000_000 }))
    const storedIds = stored.map((e) => e.keId)
    assert.equal(new Set(storedIds).size, storedIds.length, 'no KeID stored twice')
    assert.deepEqual([...storedIds].sort(), psks.map((p) => p.identity).sort(), 'every enrolment has its PSK row and no PSK row lacks its enrolment')
    assert.deepEqual([...storedIds].sort(), events.map((e) => String(e.subject.keId)).sort(), 'every enrolment has its audit event')
    let prev = ''
    for (const e of events) {
      assert.equal(e.prevHash, prev)
      assert.equal(e.hash, testAuditLinker(prev, e))
      prev = e.hash
    }
    const storedSet = new Set(storedIds)
    for (const keId of printed) {
      assert.ok(storedSet.has(keId), `committed ${keId} is present`)
      const found = await store.reader.findEnrolment(keId, now)
      assert.ok(found?.ke.equals(derivedKey('ke', keId)), `Ke of ${keId} intact`)
      const psk = await store.reader.findPskByIdentity('saef', keId, now)
      assert.ok(psk.ok && psk.credential.key.equals(derivedKey('psk', keId)), `PSK of ${keId} intact`)
    }
    return storedIds.length
  } finally {
    await store.close()
  }
}

test(`SQLite store survives ${ROUNDS} SIGKILLs of a writer: committed enrolments intact, none half-written, no KeID repeated`, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'm2msec-crash-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const path = join(dir, 'store.sqlite')
  const kekHex = randomBytes(32).toString('hex')
  const command = await childCommand(dir)
  const printed: string[] = []
  let stored = 0
  for (let round = 0; round < ROUNDS; round++) {
    const result = await crashRound(command, path, kekHex)
    printed.push(...result.printed)
    assert.equal(new Set(printed).size, printed.length, `round ${round}: a printed KeID repeated`)
    stored = await verify(path, kekHex, printed)
    assert.ok(stored >= printed.length, `round ${round}: ${stored} stored < ${printed.length} committed`)
  }
  assert.ok(printed.length > ROUNDS, `the child committed enrolments between kills (${printed.length})`)
  t.diagnostic(`${ROUNDS} kills, ${printed.length} committed enrolments printed, ${stored} stored`)
})

test('two processes starting at once on a fresh SQLite file both migrate and write without losing a commit', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'm2msec-crash-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const path = join(dir, 'store.sqlite')
  const kekHex = randomBytes(32).toString('hex')
  const command = await childCommand(dir)
  const children = await Promise.all([startChild(command, path, kekHex), startChild(command, path, kekHex)])
  await new Promise((resolve) => setTimeout(resolve, 300))
  const rounds = await Promise.all(children.map((c) => c.kill()))
  const printed = rounds.flatMap((r) => r.printed)
  assert.ok(rounds.every((r) => r.printed.length > 0), 'both writers committed')
  assert.equal(new Set(printed).size, printed.length, 'no KeID printed twice')
  assert.ok(await verify(path, kekHex, printed) >= printed.length)
})
