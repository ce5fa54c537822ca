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
import { cliEnv, startUp } from '../support/up-process.js'

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js')
const WAIT_MS = 30_000

/** No M2MSEC_ variable of the parent reaches a child: they would change the configuration under test. */
const NO_M2MSEC = ['M2MSEC_']

/** Runs one m2msec command in `cwd` to its end (bounded). */
async function run(t: TestContext, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string; stdout: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: cliEnv(NO_M2MSEC, env), stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  let stdout = ''
  child.stdout.on('data', (c: Buffer) => ((stdout += c.toString('utf8')), (output += c.toString('utf8'))))
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')))
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
  let timer: NodeJS.Timeout | undefined
  const code = await Promise.race([exited, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: m2msec ${args.join(' ')}; output:\n${output}`)), WAIT_MS)))])
  clearTimeout(timer)
  return { code, output, stdout }
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

  // No --data-dir: up finds its data directory in the file; it prints its summary after it wrote endpoints.json there.
  const up = await startUp(t, join(cwd, 'from-file'), { configured: true, cwd, env: { M2MSEC_ROLES: 'mef,maf' }, unset: NO_M2MSEC })
  assert.deepEqual(Object.keys(up.endpoints.roles).sort(), ['maf', 'mef'], 'the roles of M2MSEC_ROLES, not of the file, not every role')
  assert.equal(await up.stop(), 0, up.output())
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
