/**
 * `m2msec up` as a real child process for integration tests (issue 8): the built CLI
 * (`dist/cli/main.js`) on one data directory, its output captured, ready once the summary
 * ('Stop with Ctrl-C.') is printed — by then endpoints.json exists and is returned parsed — with
 * the admin token `up` prints once on a fresh data directory. `stop()` sends SIGTERM, SIGKILLs
 * after a bound and fails when that was needed; the test's `after` kills a child still running.
 */
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TestContext } from 'node:test'

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js')
const READY_BOUND_MS = 30_000
const STOP_BOUND_MS = 10_000
const READY_TEXT = 'Stop with Ctrl-C.'
/** The line `up` prints when it created the admin token (only its hash is kept). */
const ADMIN_TOKEN_RE = /Admin API token \(shown once[^)]*\): (m2a_[A-Za-z0-9_-]{43})/

/** The prefixes of the KEK variables: without them, the data directory's `kek` file is used. */
export const KEK_VARIABLES: readonly string[] = ['M2MSEC_KEK']

/** endpoints.json as `up` writes it (src/cli/up/endpoints-file.ts). */
export interface UpEndpoints {
  readonly pid: number
  readonly caCertificate: string
  readonly caFingerprint: string
  readonly roles: Record<string, { readonly url: string; readonly fqdn: string; readonly caCertificate?: string; readonly cseId?: string; readonly cseBaseName?: string; readonly sa2Url?: string }>
}

export interface UpOptions {
  /** Arguments after `up --data-dir <dir>` (`--demo`, `--metrics-file f`). */
  readonly args?: readonly string[]
  readonly cwd?: string
  /** Variables set for the child on top of the inherited ones. */
  readonly env?: NodeJS.ProcessEnv
  /** Prefixes of the parent's variables the child does not inherit; the KEK ones by default. */
  readonly unset?: readonly string[]
  /** The configuration file names the data directory: `up` gets no --data-dir flag. */
  readonly configured?: boolean
}

export interface UpProcess {
  readonly child: ChildProcess
  readonly endpoints: UpEndpoints
  /** The admin token as printed, when this start created it. */
  readonly adminToken: string | undefined
  stdout(): string
  stderr(): string
  /** stdout and stderr interleaved as they arrived. */
  output(): string
  /** Resolves once stdout contains `text`; fails after the bound, naming it and dumping the output. */
  waitFor(text: string, ms?: number): Promise<void>
  /** SIGTERM; resolves with the exit code, failing when it takes longer than the bound. */
  stop(): Promise<number | null>
}

/** The parent's environment without the variables starting with one of `unset`, plus `extra`. */
export function cliEnv(unset: readonly string[] = KEK_VARIABLES, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([name]) => !unset.some((prefix) => name.startsWith(prefix)))
  return { ...Object.fromEntries(inherited), ...extra }
}

/** Spawns `up` on `dataDir` and resolves once it printed its summary and endpoints.json exists. */
export async function startUp(t: TestContext, dataDir: string, options: UpOptions = {}): Promise<UpProcess> {
  const args = [CLI, 'up', ...(options.configured === true ? [] : ['--data-dir', dataDir]), ...(options.args ?? [])]
  const child = spawn(process.execPath, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: cliEnv(options.unset, options.env) })
  let stdout = ''
  let stderr = ''
  let all = ''
  child.stdout.on('data', (c: Buffer) => ((stdout += c.toString('utf8')), (all += c.toString('utf8'))))
  child.stderr.on('data', (c: Buffer) => ((stderr += c.toString('utf8')), (all += c.toString('utf8'))))
  // 'close', not 'exit': the output is complete once the exit code is known.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  const waitFor = (text: string, ms = READY_BOUND_MS): Promise<void> => new Promise<void>((resolve, reject) => {
    // Summary lines come on stdout, log lines on stderr (D-160): look in both.
    const stop = (): void => {
      child.stdout.off('data', check)
      child.stderr.off('data', check)
    }
    const timer = setTimeout(() => (stop(), reject(new Error(`timed out waiting for '${text}' from up; output:\n${all}`))), ms)
    function check(): void {
      if (!all.includes(text)) return
      clearTimeout(timer)
      stop()
      resolve()
    }
    child.stdout.on('data', check)
    child.stderr.on('data', check)
    void exited.then((code) => (clearTimeout(timer), reject(new Error(`up exited (${code}) before printing '${text}'; output:\n${all}`))))
    check()
  })
  await waitFor(READY_TEXT)
  const endpointsPath = join(dataDir, 'endpoints.json')
  assert.ok(existsSync(endpointsPath), 'endpoints.json exists once up printed its summary')
  return {
    child,
    endpoints: JSON.parse(readFileSync(endpointsPath, 'utf8')) as UpEndpoints,
    adminToken: ADMIN_TOKEN_RE.exec(stdout)?.[1],
    stdout: () => stdout, stderr: () => stderr, output: () => all, waitFor,
    async stop() {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_BOUND_MS)
      const code = await exited
      clearTimeout(timer)
      assert.equal(child.signalCode, null, `up did not stop within ${STOP_BOUND_MS} ms; output:\n${all}`)
      return code
    },
  }
}
