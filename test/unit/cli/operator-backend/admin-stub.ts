// A stand-in admin API for the CLI's `--server` tests: HTTPS with a test CA, answers from a
// route table, every request recorded (method, path, authorization, body) so a test can check
// what the CLI sent and that no key left it in another form. Also runs a commander program built
// from register functions with console output captured.
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { TestContext } from 'node:test'
import { Command } from 'commander'
import { createTestPki, tempDir } from '../../../support/tls-fixtures.js'

export const STUB_FQDN = 'admin.m2msec.test'
export const STUB_TOKEN = 'm2a_c3R1Yi10b2tlbi1mb3ItY2xpLXRlc3RzLW9ubHk'

export interface SeenRequest {
  readonly method: string
  readonly path: string
  readonly authorization?: string
  readonly body: unknown
}

export type StubAnswer = { readonly status: number; readonly body?: unknown }
export type StubRoutes = Record<string, (seen: SeenRequest) => StubAnswer>

export interface AdminStub {
  readonly seen: SeenRequest[]
  /** `--server … --ca … --server-fqdn … --token-file … --data-dir <empty>` for this stub. */
  readonly args: readonly string[]
}

/** Starts the stub; a request whose `METHOD /path` (query left out) is not in `routes` gets a 404 coded answer. */
export async function startAdminStub(t: TestContext, routes: StubRoutes): Promise<AdminStub> {
  const pki = await createTestPki()
  const cert = await pki.issue(STUB_FQDN, { dns: [STUB_FQDN] })
  const dir = await tempDir(t)
  const seen: SeenRequest[] = []
  const server: Server = createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      const entry: SeenRequest = {
        method: req.method ?? '', path: req.url ?? '', body: text === '' ? undefined : JSON.parse(text) as unknown,
        ...(req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization }),
      }
      seen.push(entry)
      const route = routes[`${entry.method} ${entry.path.split('?')[0] ?? ''}`]
      const answer = route === undefined ? { status: 404, body: { error: { code: 'M2MSEC_ADMIN_NOT_FOUND', message: 'no such route' } } } : route(entry)
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body === undefined ? '' : JSON.stringify(answer.body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const port = (server.address() as AddressInfo).port
  const caFile = await dir.write('ca.pem', pki.ca.cert)
  const tokenFile = await dir.write('token', `${STUB_TOKEN}\n`)
  return { seen, args: ['--server', `https://127.0.0.1:${port}`, '--ca', caFile, '--server-fqdn', STUB_FQDN, '--token-file', tokenFile, '--data-dir', dir.path] }
}

export interface CliRun {
  readonly exitCode: number | undefined
  readonly out: string
  readonly err: string
  readonly error?: { readonly code?: string }
}

/** Runs `args` on a program built by `register`, capturing console output, exit code and a thrown error. */
export async function runCommand(register: (program: Command) => void, args: readonly string[]): Promise<CliRun> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined })
  register(program)
  const out: string[] = []
  const err: string[] = []
  const { log, error } = console
  const saved = process.exitCode
  console.log = (...parts: unknown[]) => void out.push(parts.join(' '))
  console.error = (...parts: unknown[]) => void err.push(parts.join(' '))
  process.exitCode = undefined
  let failure: { code?: string } | undefined
  try {
    await program.parseAsync(['node', 'm2msec', ...args])
  } catch (e) {
    failure = e as { code?: string }
  } finally {
    console.log = log
    console.error = error
  }
  const exitCode = process.exitCode === undefined ? undefined : Number(process.exitCode)
  process.exitCode = saved
  return { exitCode, out: out.join('\n'), err: err.join('\n'), ...(failure === undefined ? {} : { error: failure }) }
}
