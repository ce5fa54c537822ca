// The YAML configuration of `m2msec up` with the built CLI (issue 8): `config init` writes the
// documented file and will not replace it; `up` found through ./m2msec.yaml runs in the file's
// data directory with the roles the environment names (environment beats file), `config check`
// shows each value's source including a flag; a bad file makes `up` exit 2 naming the file and
// each bad key, before anything is created.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js')
const WAIT_MS = 30_000

/** The parent's environment without any M2MSEC_ variable (they would change the configuration under test). */
function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('M2MSEC_')))
  return { ...env, ...extra }
}

interface Child {
  readonly output: () => string
  readonly stdout: () => string
  readonly exited: Promise<number | null>
  /** Resolves once stdout contains `text`; fails with the output on exit or after WAIT_MS. */
  printed(text: string): Promise<void>
  kill(signal: NodeJS.Signals): void
}

function start(t: TestContext, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] })
  let all = ''
  let stdout = ''
  child.stdout.on('data', (c: Buffer) => ((stdout += c.toString('utf8')), (all += c.toString('utf8'))))
  child.stderr.on('data', (c: Buffer) => (all += c.toString('utf8')))
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  const printed = (text: string): Promise<void> => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for '${text}'; output:\n${all}`)), WAIT_MS)
    const check = (): void => {
      if (!stdout.includes(text)) return
      clearTimeout(timer)
      resolve()
    }
    child.stdout.on('data', check)
    void exited.then((code) => (clearTimeout(timer), reject(new Error(`m2msec exited (${code}) before printing '${text}'; output:\n${all}`))))
    check()
  })
  return { output: () => all, stdout: () => stdout, exited, printed, kill: (signal) => child.kill(signal) }
}

async function run(t: TestContext, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string; stdout: string }> {
  const child = start(t, args, cwd, env)
  let timer: NodeJS.Timeout | undefined
  const code = await Promise.race([child.exited, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: m2msec ${args.join(' ')}; output:\n${child.output()}`)), WAIT_MS)))])
  clearTimeout(timer)
  return { code, output: child.output(), stdout: child.stdout() }
}

test('config init writes the documented file once; up reads it from the current directory, the environment beats it, and config check names each source', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'm2msec-config-'))
  t.after(() => rmSync(cwd, { recursive: true, force: true }))
  const init = await run(t, ['config', 'init'], cwd)
  assert.equal(init.code, 0, init.output)
  const again = await run(t, ['config', 'init'], cwd)
  assert.equal(again.code, 2, again.output)
  assert.match(again.output, /m2msec\.yaml exists; use --force/)

  const template = readFileSync(join(cwd, 'm2msec.yaml'), 'utf8')
  assert.match(template, /^dataDir: \.m2msec$/m)
  writeFileSync(join(cwd, 'm2msec.yaml'), template.replace(/^dataDir: \.m2msec$/m, 'dataDir: from-file').replace(/^roles: .*$/m, 'roles: [mef]'))

  const check = await run(t, ['config', 'check', '--mode', 'seed-000'], cwd, { M2MSEC_ROLES: 'mef,maf' })
  assert.equal(check.code, 0, check.output)
  assert.match(check.stdout, /configuration file: m2msec\.yaml \(from current directory\)/)
  assert.match(check.stdout, /^ {2}dataDir +from-file +file m2msec\.yaml$/m)
  assert.match(check.stdout, /^ {2}roles +mef, maf +env M2MSEC_ROLES$/m)
  assert.match(check.stdout, /^ {2}targetKeyMode +seed-000 +flag --mode$/m)

  const up = start(t, ['up'], cwd, { M2MSEC_ROLES: 'mef,maf' })
  const endpointsPath = join(cwd, 'from-file', 'endpoints.json')
  // up prints its summary after it wrote endpoints.json.
  await up.printed('Stop with Ctrl-C.')
  const endpoints = JSON.parse(readFileSync(endpointsPath, 'utf8')) as { roles: Record<string, unknown> }
  assert.deepEqual(Object.keys(endpoints.roles).sort(), ['maf', 'mef'], 'the roles of M2MSEC_ROLES, not of the file, not every role')
  up.kill('SIGTERM')
  assert.equal(await up.exited, 0, up.output())
})

test('up with a bad configuration file exits 2 naming the file and every bad key, and creates nothing', async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), 'm2msec-config-'))
  t.after(() => rmSync(cwd, { recursive: true, force: true }))
  writeFileSync(join(cwd, 'bad.yaml'), `dataDir: ${join(cwd, 'data')}\nhots: 127.0.0.1\nports:\n  mef: 70000\n`)
  const up = await run(t, ['up', '--config', 'bad.yaml'], cwd)
  assert.equal(up.code, 2, up.output)
  assert.match(up.output, /bad\.yaml: hots: unknown key \(did you mean host\?\)/)
  assert.match(up.output, /bad\.yaml: ports\.mef: must be an integer from 0 to 65535/)
  assert.equal(existsSync(join(cwd, 'data')), false, 'a refused configuration created the data directory')

  const env = await run(t, ['up', '--data-dir', join(cwd, 'data')], cwd, { M2MSEC_PORTS_GATEWAY: 'eighty' })
  assert.equal(env.code, 2, env.output)
  assert.match(env.output, /^m2msec: M2MSEC_PORTS_GATEWAY: must be an integer from 0 to 65535$/m)
  assert.equal(existsSync(join(cwd, 'data')), false)
})
