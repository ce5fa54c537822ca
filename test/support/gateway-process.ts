/**
 * `m2msec serve gateway` and `m2msec serve cse` as real child processes for integration and
 * interop tests (STYLE.md §7): port 0, the JSON ready line read from stdout, one mkdtemp data
 * directory per gateway, SIGTERM at the end (SIGKILL after a grace period) with exit status 0
 * checked. The CLI is the built one (`dist/cli/main.js`) when every source file has a fresher
 * build; otherwise the same command modules run through tsx, so a tree whose build is broken
 * elsewhere (another role mid-edit) still tests the sources. Also: one-shot operator commands
 * (`psk`, `rule`) against a gateway's data directory, an admin client of the CSE (plain HTTP,
 * TS-0009), and a device session (TLS-PSK + oneM2M over HTTP, TS-0003 10.2.2).
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { SecretBytes, fromHex } from '../../src/core/index.js'
import type { DecodedHttpResponse } from '../../src/onem2m/index.js'
import { connectPsk, createOneM2mClient, type OneM2mClient } from '../../src/transport/index.js'

export const GATEWAY_FQDN = 'gw.example.com'
export const SP_ID = '//m2m.example.com'
/** The Registrar behind the gateway: SP-relative CSE-ID `/CSE-B01`, CSEBase `cse-in`. */
export const CSE_ID = '/CSE-B01'
export const GATEWAY_CSE_ID = `${SP_ID}${CSE_ID}`
export const CSE_BASE = 'cse-in'
/** The reference CSE's `--admin` originator (tests read its resource tree directly with it). */
export const CSE_ADMIN = 'CAdmin'

const ROOT = process.cwd()
const DIST_MAIN = join(ROOT, 'dist', 'cli', 'main.js')

/** The command modules the tsx fallback wires (not main.ts: other commands may be mid-edit). */
const COMMANDS = [
  { file: 'serve.ts', fn: 'registerServeCommand' },
  { file: 'serve-cse.ts', fn: 'registerServeCseCommand', under: 'serve' },
  { file: 'serve-gateway.ts', fn: 'registerServeGatewayCommand', under: 'serve' },
  { file: 'psk.ts', fn: 'registerPskCommands' },
  { file: 'rule.ts', fn: 'registerRuleCommands' },
] as const

/** The first source file under `dir` whose dist/ build is missing or older, if any. */
function firstStaleSource(dir: string): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      const stale = firstStaleSource(path)
      if (stale !== undefined) return stale
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      const built = join(ROOT, 'dist', relative(join(ROOT, 'src'), path)).replace(/\.ts$/, '.js')
      if (!existsSync(built) || statSync(built).mtimeMs < statSync(path).mtimeMs) return path
    }
  }
  return undefined
}

let useDist: boolean | undefined

/**
 * True when dist/ holds a build of every current source file with the gateway commands wired;
 * M2MSEC_TEST_FROM_SOURCE=1 forces the sources (to check the fallback itself).
 */
function distIsCurrent(): boolean {
  useDist ??= process.env.M2MSEC_TEST_FROM_SOURCE !== '1'
    && existsSync(DIST_MAIN)
    && COMMANDS.every((c) => readFileSync(DIST_MAIN, 'utf8').includes(c.fn))
    && firstStaleSource(join(ROOT, 'src')) === undefined
  return useDist
}

/** argv (after `node`) of `m2msec …args`. */
export function cliArgv(args: readonly string[]): string[] {
  if (distIsCurrent()) return [DIST_MAIN, ...args]
  const imports = COMMANDS.map((c) => `import { ${c.fn} } from '${pathToFileURL(join(ROOT, 'src', 'cli', 'commands', c.file)).href}';`).join('')
  const wiring = COMMANDS.map((c) => ('under' in c ? `${c.fn}(serve);` : c.fn === 'registerServeCommand' ? `const serve = ${c.fn}(p);` : `${c.fn}(p);`)).join('')
  const script = `import { Command } from 'commander';${imports}const p = new Command();${wiring}`
    + 'await p.parseAsync([\'node\', \'m2msec\', ...process.argv.slice(1)])'
  return ['--import', 'tsx', '--input-type=module', '-e', script, ...args]
}

/** Environment for children: no KEK variables, so a data directory's `kek` file is used. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.M2MSEC_KEK
  delete env.M2MSEC_KEK_PREVIOUS
  return env
}

type After = { after: (fn: () => void | Promise<void>) => void }

/** Clean-ups of one test run last-in first-out, so a process stops before its directory goes. */
export class Scope {
  readonly #cleanups: (() => void | Promise<void>)[] = []

  constructor(t: After) {
    t.after(async () => {
      for (const fn of this.#cleanups.splice(0).reverse()) await fn()
    })
  }

  after(fn: () => void | Promise<void>): void {
    this.#cleanups.push(fn)
  }

  /** A fresh mkdtemp directory, removed at the end. */
  dir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), `m2msec-${prefix}-`))
    this.after(() => rmSync(dir, { recursive: true, force: true }))
    return dir
  }
}

export interface RoleProcess {
  readonly port: number
  /** stdout and stderr captured so far. */
  output(): string
  /** The JSON event lines on stderr so far. */
  events(): Record<string, unknown>[]
  /**
   * Resolves with the events `match` selects once there are `count` of them: stderr travels
   * apart from the TLS answer, so an event may arrive after the response that followed it.
   */
  waitForEvents(what: string, match: (event: Record<string, unknown>) => boolean, count?: number): Promise<Record<string, unknown>[]>
}

/** Spawns `m2msec serve <role> …args` and resolves once its ready line arrived. */
export async function startRole(scope: Scope, role: 'cse' | 'gateway', args: readonly string[]): Promise<RoleProcess> {
  const child = spawn(process.execPath, cliArgv(['serve', role, ...args]), { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() })
  let text = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (text += c.toString('utf8')))
  child.stderr.on('data', (c: Buffer) => {
    text += c.toString('utf8')
    stderr += c.toString('utf8')
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  scope.after(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    const code = await exited
    clearTimeout(timer)
    assert.equal(code, 0, `serve ${role} exited ${code} on SIGTERM; output:\n${text}`)
  })
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for the serve ${role} ready line; output:\n${text}`)), 30_000)
    child.stdout.on('data', () => {
      const line = text.split('\n').find((l) => l.startsWith(`{"role":"${role}"`))
      if (line === undefined) return
      clearTimeout(timer)
      resolve((JSON.parse(line) as { port: number }).port)
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`serve ${role} exited (${code}) before its ready line; output:\n${text}`))
    })
  })
  const events = (): Record<string, unknown>[] => stderr.split('\n').filter((l) => l.startsWith('{') && l.endsWith('}')).map((l) => JSON.parse(l) as Record<string, unknown>)
  const waitForEvents = (what: string, match: (event: Record<string, unknown>) => boolean, count = 1): Promise<Record<string, unknown>[]> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = events().filter(match)
        if (found.length < count) return false
        clearTimeout(timer)
        child.stderr.off('data', check)
        resolve(found)
        return true
      }
      const timer = setTimeout(() => {
        child.stderr.off('data', check)
        reject(new Error(`timed out waiting for ${count} ${what} event(s) of serve ${role}; output:\n${text}`))
      }, 10_000)
      if (!check()) child.stderr.on('data', check)
    })
  return { port, output: () => text, events, waitForEvents }
}

/** The reference CSE (`/CSE-B01`, CSEBase `cse-in`, admin `CAdmin`) on loopback. */
export function startCse(scope: Scope): Promise<RoleProcess> {
  return startRole(scope, 'cse', ['--cse-id', CSE_ID, '--cse-base-name', CSE_BASE, '--sp-id', SP_ID, '--admin', CSE_ADMIN])
}

/** The gateway in front of `upstreamPort` on the data directory `dataDir`. */
export function startGateway(scope: Scope, dataDir: string, upstreamPort: number, extra: readonly string[] = []): Promise<RoleProcess> {
  return startRole(scope, 'gateway', [
    '--data-dir', dataDir, '--fqdn', GATEWAY_FQDN, '--cse-id', GATEWAY_CSE_ID, '--upstream', `http://127.0.0.1:${upstreamPort}`, ...extra,
  ])
}

export interface CliRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Every operator command of a test, so its output can be searched for secrets at the end. */
export class OperatorCli {
  readonly #runs: CliRun[] = []

  /** Runs `m2msec …args` once; the result is kept whatever its status. */
  run(args: readonly string[], timeoutMs = 30_000): Promise<CliRun> {
    const child = spawn(process.execPath, cliArgv(args), { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
    return new Promise<CliRun>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error(`timed out waiting for m2msec ${args.join(' ')}; output:\n${stdout}${stderr}`))
      }, timeoutMs)
      child.once('error', (error) => (clearTimeout(timer), reject(error)))
      child.once('close', (code) => {
        clearTimeout(timer)
        const run = { code, stdout, stderr }
        this.#runs.push(run)
        resolve(run)
      })
    })
  }

  /** Runs a command that must exit 0. */
  async ok(args: readonly string[]): Promise<string> {
    const result = await this.run(args)
    assert.equal(result.code, 0, `m2msec ${args.slice(0, 2).join(' ')} exited ${result.code}:\n${result.stdout}${result.stderr}`)
    return result.stdout
  }

  texts(): string[] {
    return this.#runs.flatMap((r) => [r.stdout, r.stderr])
  }
}

export interface Answer {
  readonly status: number
  readonly rsc: number
  readonly body: Record<string, unknown>
}

/** One request to the CSE as its admin, bypassing the gateway (plain HTTP, TS-0009). */
export async function asCseAdmin(cse: RoleProcess, method: string, path: string): Promise<Answer> {
  const res = await fetch(`http://127.0.0.1:${cse.port}${path}`, {
    method, headers: { 'X-M2M-Origin': CSE_ADMIN, 'X-M2M-RI': `admin-${Math.random()}`, 'X-M2M-RVI': '3', Accept: 'application/json' },
  })
  const text = await res.text()
  return { status: res.status, rsc: Number(res.headers.get('x-m2m-rsc')), body: text === '' ? {} : JSON.parse(text) as Record<string, unknown> }
}

/** A device's SA1 to the gateway with Kpsa (TS-0003 8.2.2.1) and oneM2M over it. */
export async function openPskDevice(scope: Scope, gatewayPort: number, kpsaId: string, kpsaHex: string): Promise<OneM2mClient> {
  const socket = await connectPsk({ port: gatewayPort, servername: GATEWAY_FQDN, identity: kpsaId, key: new SecretBytes(fromHex(kpsaHex)) })
  const client = createOneM2mClient(socket, { host: GATEWAY_FQDN })
  scope.after(() => client.close())
  return client
}

/** The `m2m:<root>` object of a response's content. */
export function resourceOf(reply: DecodedHttpResponse, root: string): Record<string, unknown> {
  const pc = reply.primitive.pc as Record<string, unknown> | undefined
  const resource = pc?.[`m2m:${root}`]
  assert.ok(resource !== null && typeof resource === 'object', `response has no m2m:${root}: ${JSON.stringify(pc)}`)
  return resource as Record<string, unknown>
}
