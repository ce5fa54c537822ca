/**
 * `m2msec serve maf` as a real child process for integration tests (STYLE.md §7): spawned with
 * `process.execPath` on the built CLI, port 0, the JSON ready line read from stdout, SIGTERM in
 * `t.after` (SIGKILL after a grace period) with its exit status checked. Also `runCliOk`, which
 * runs one CLI command that must succeed and parses its JSON line, and `auditEvents`, the audit
 * log of a data directory a running service also has open (SQLite WAL allows the reader).
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { openDataDirectoryStore, type AuditEventRecord } from '../../src/store/index.js'
import { runCli, type CliResult } from './mef-process.js'

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js')

type After = { after: (fn: () => void | Promise<void>) => void }

export interface MafProcess {
  readonly port: number
  readonly url: string
  /** stdout and stderr captured so far. */
  output(): string
}

/** Spawns `serve maf …args` and resolves once its ready line arrived. */
export async function startMaf(t: After, args: readonly string[]): Promise<MafProcess> {
  const env = { ...process.env }
  delete env.M2MSEC_KEK
  delete env.M2MSEC_KEK_PREVIOUS
  const child = spawn(process.execPath, [CLI, 'serve', 'maf', '--listen', '127.0.0.1:0', ...args], { stdio: ['pipe', 'pipe', 'pipe'], env })
  let text = ''
  child.stdout.on('data', (c: Buffer) => (text += c.toString('utf8')))
  child.stderr.on('data', (c: Buffer) => (text += c.toString('utf8')))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  t.after(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    const code = await exited
    clearTimeout(timer)
    assert.equal(code, 0, `serve maf exited ${code} on SIGTERM; output:\n${text}`)
  })
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for the serve maf ready line; output:\n${text}`)), 15_000)
    const check = (): void => {
      const line = text.split('\n').find((l) => l.startsWith('{"role":"maf"'))
      if (line === undefined) return
      clearTimeout(timer)
      resolve((JSON.parse(line) as { port: number }).port)
    }
    child.stdout.on('data', check)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`serve maf exited (${code}) before its ready line; output:\n${text}`))
    })
  })
  return { port, url: `https://127.0.0.1:${port}`, output: () => text }
}

/** Every CLI run of a test, so its output can be searched for secrets at the end. */
export class CliLog {
  readonly #runs: CliResult[] = []

  /** Runs the built CLI; the result is kept whatever its status. */
  async run(args: readonly string[]): Promise<CliResult> {
    const result = await runCli(args)
    this.#runs.push(result)
    return result
  }

  /** Runs a command that must exit 0 and print one JSON line; returns it parsed. */
  async json<T>(args: readonly string[]): Promise<T> {
    const result = await this.run(args)
    assert.equal(result.code, 0, `m2msec ${args.slice(0, 3).join(' ')} exited ${result.code}:\n${result.stdout}${result.stderr}`)
    const line = result.stdout.trim().split('\n').at(-1) ?? ''
    return JSON.parse(line) as T
  }

  texts(): string[] {
    return this.#runs.flatMap((r) => [r.stdout, r.stderr])
  }
}

/** The audit log of `dataDir` (opened beside the service that writes it). */
export async function auditEvents(dataDir: string): Promise<readonly AuditEventRecord[]> {
  const store = await openDataDirectoryStore({ dataDir, create: false, env: {} })
  try {
    return await store.transaction((tx) => tx.audit.list())
  } finally {
    await store.close()
  }
}
