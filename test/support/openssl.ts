/**
 * `openssl s_client` / `s_server` as foreign TLS peers (STYLE.md §7): spawned without a shell,
 * output captured, waits on events with timeouts that name what they waited for. A missing
 * openssl skips the test locally and fails it under CI=true.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createServer, type AddressInfo } from 'node:net'

export interface OpensslPeer {
  readonly child: ChildProcessWithoutNullStreams
  /** Everything printed so far (stdout and stderr interleaved). */
  output(): string
  /** Resolves with the output once `pattern` appears; rejects on timeout or exit, naming the pattern. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  /** Resolves with the exit code (null if signalled). */
  exited(): Promise<number | null>
}

let available: boolean | undefined

/** True when an openssl binary runs; under CI its absence is an error, not a skip. */
export function opensslAvailable(): boolean {
  available ??= spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0
  if (!available && process.env.CI) throw new Error('openssl is required under CI')
  return available
}

/** Spawns `openssl ...args`; `t.after` kills it. stdin stays open (s_server and s_client quit on EOF). */
export function openssl(t: { after: (fn: () => void | Promise<void>) => void }, args: readonly string[]): OpensslPeer {
  const child = spawn('openssl', [...args], { stdio: ['pipe', 'pipe', 'pipe'] })
  let text = ''
  const listeners = new Set<() => void>()
  const onText = (chunk: Buffer): void => {
    text += chunk.toString('latin1')
    for (const l of listeners) l()
  }
  child.stdout.on('data', onText)
  child.stderr.on('data', onText)
  let exitCode: number | null | undefined
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code
      for (const l of listeners) l()
      resolve(code)
    }),
  )
  t.after(async () => {
    if (exitCode === undefined) {
      child.kill('SIGTERM')
      await exit
    }
  })
  return {
    child,
    output: () => text,
    exited: () => exit,
    waitFor(pattern, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(text)
          if (match) return done(() => resolve(match))
          if (exitCode !== undefined) done(() => reject(new Error(`openssl exited (${exitCode}) before ${pattern}; output:\n${text}`)))
        }
        const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for ${pattern}; output:\n${text}`))), timeoutMs)
        const done = (f: () => void): void => {
          clearTimeout(timer)
          listeners.delete(check)
          f()
        }
        listeners.add(check)
        check()
      })
    },
  }
}

/** A port free right now, for a foreign server that cannot report its own (s_server needs a number). */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** The hex after "Keying material:" in s_client/s_server output, upper-cased. */
export const KEYING_MATERIAL = /Keying material: ([0-9A-Fa-f]+)/
