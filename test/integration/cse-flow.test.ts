// The reference CSE end to end with a real process (issue 7 "Reference CSE"): `m2msec serve cse`
// is spawned (the built CLI once main.ts wires it, else the same module through tsx), and a test
// AE talks oneM2M JSON over HTTP (TS-0009) to it: AE registration → container → subscription
// (the CSE's verification request reaches the AE's pointOfAccess, a local HTTP listener) →
// contentInstance → notification at the pointOfAccess → retrieve, discovery, delete. The process
// exits 0 on SIGTERM, and refuses to listen on a wildcard address.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { pathToFileURL } from 'node:url'

const DIST_MAIN = join(process.cwd(), 'dist', 'cli', 'main.js')

function serveCseArgv(args: readonly string[]): string[] {
  if (existsSync(DIST_MAIN) && readFileSync(DIST_MAIN, 'utf8').includes('registerServeCseCommand')) return [DIST_MAIN, 'serve', 'cse', ...args]
  const module = pathToFileURL(join(process.cwd(), 'src', 'cli', 'commands', 'serve-cse.ts')).href
  const script = `import { Command } from 'commander'; import { registerServeCseCommand } from '${module}';`
    + `const p = new Command(); registerServeCseCommand(p.command('serve')); await p.parseAsync(['node', 'm2msec', ...process.argv.slice(1)])`
  return ['--import', 'tsx', '--input-type=module', '-e', script, 'serve', 'cse', ...args]
}

interface Cse { readonly port: number; output(): string }

async function startCse(t: TestContext, args: readonly string[]): Promise<Cse> {
  const child = spawn(process.execPath, serveCseArgv(args), { stdio: ['ignore', 'pipe', 'pipe'] })
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
    assert.equal(code, 0, `serve cse exited ${code} on SIGTERM; output:\n${text}`)
  })
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for the serve cse ready line; output:\n${text}`)), 20_000)
    child.stdout.on('data', () => {
      const line = text.split('\n').find((l) => l.startsWith('{"role":"cse"'))
      if (line === undefined) return
      clearTimeout(timer)
      resolve((JSON.parse(line) as { port: number }).port)
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`serve cse exited (${code}) before its ready line; output:\n${text}`))
    })
  })
  return { port, output: () => text }
}

interface Received { readonly path: string; readonly headers: IncomingHttpHeaders; readonly body: Record<string, unknown> }

/** The AE's pointOfAccess: answers every NOTIFY with 2000 and hands each one to the waiters. */
async function startPoa(t: TestContext): Promise<{ url: string; next(what: string): Promise<Received> }> {
  const queue: Received[] = []
  const waiters: ((r: Received) => void)[] = []
  const server = createServer((req, res) => {
    let data = ''
    req.on('data', (c: Buffer) => (data += c.toString('utf8')))
    req.on('end', () => {
      const received = { path: req.url ?? '', headers: req.headers, body: JSON.parse(data) as Record<string, unknown> }
      res.writeHead(200, { 'X-M2M-RSC': '2000', 'X-M2M-RI': String(req.headers['x-m2m-ri'] ?? ''), 'X-M2M-RVI': '3' })
      res.end()
      const waiter = waiters.shift()
      if (waiter) waiter(received)
      else queue.push(received)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/notify`,
    next: (what) => {
      const ready = queue.shift()
      if (ready) return Promise.resolve(ready)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${what} reached the pointOfAccess`)), 10_000)
        waiters.push((r) => {
          clearTimeout(timer)
          resolve(r)
        })
      })
    },
  }
}

interface Answer { readonly status: number; readonly rsc: number; readonly location: string | null; readonly body: Record<string, unknown> }

async function request(port: number, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method, headers: { 'X-M2M-RI': `rqi-${Math.random()}`, 'X-M2M-RVI': '3', Accept: 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  return { status: res.status, rsc: Number(res.headers.get('x-m2m-rsc')), location: res.headers.get('content-location'), body: text === '' ? {} : JSON.parse(text) as Record<string, unknown> }
}

test('an AE registers, stores data, is notified at its pointOfAccess, discovers and deletes on serve cse', async (t) => {
  const cse = await startCse(t, ['--cse-id', '/in-cse', '--cse-base-name', 'cse-in', '--sp-id', '//m2m.example.com'])
  const poa = await startPoa(t)
  const reg = await request(cse.port, 'POST', '/cse-in', { 'X-M2M-Origin': 'C', 'Content-Type': 'application/json;ty=2' }, { 'm2m:ae': { rn: 'meter', api: 'Nmeter-app', rr: true, poa: [poa.url], srv: ['3'] } })
  assert.equal(reg.rsc, 2001, cse.output())
  assert.equal(reg.status, 201)
  assert.equal(reg.location, '/cse-in/meter')
  const aei = String((reg.body['m2m:ae'] as Record<string, unknown>)['aei'])
  assert.match(aei, /^C[0-9A-F]{16}$/)
  const as = { 'X-M2M-Origin': aei }

  const cnt = await request(cse.port, 'POST', '/cse-in/meter', { ...as, 'Content-Type': 'application/json;ty=3' }, { 'm2m:cnt': { rn: 'data', mni: 10 } })
  assert.equal(cnt.rsc, 2001)
  const sub = request(cse.port, 'POST', '/~/in-cse/cse-in/meter/data', { ...as, 'Content-Type': 'application/json;ty=23' }, { 'm2m:sub': { rn: 'sub', nu: [poa.url], enc: { net: [3] } } })
  const vrq = await poa.next('verification request')
  assert.equal(vrq.headers['x-m2m-origin'], '/in-cse')
  assert.equal(vrq.headers['content-type']?.includes('ty='), false, 'a NOTIFY carries no ty')
  assert.deepEqual(vrq.body, { 'm2m:sgn': { vrq: true, sur: '/in-cse/cse-in/meter/data/sub', cr: aei } })
  assert.equal((await sub).rsc, 2001)

  const cin = await request(cse.port, 'POST', '/cse-in/meter/data', { ...as, 'Content-Type': 'application/json;ty=4' }, { 'm2m:cin': { cnf: 'text/plain:0', con: '21.5' } })
  assert.equal(cin.rsc, 2001)
  const note = await poa.next('notification of the new contentInstance')
  assert.equal(note.path, '/notify')
  const sgn = note.body['m2m:sgn'] as { nev: { net: number; rep: { 'm2m:cin': { con: string } } }; sur: string }
  assert.equal(sgn.nev.net, 3)
  assert.equal(sgn.nev.rep['m2m:cin'].con, '21.5')
  assert.equal(sgn.sur, '/in-cse/cse-in/meter/data/sub')

  const latest = await request(cse.port, 'GET', '/cse-in/meter/data/la', as)
  assert.equal(latest.rsc, 2000)
  assert.equal((latest.body['m2m:cin'] as Record<string, unknown>)['con'], '21.5')
  const container = await request(cse.port, 'GET', '/cse-in/meter/data', as)
  assert.equal((container.body['m2m:cnt'] as Record<string, unknown>)['cni'], 1)
  const found = await request(cse.port, 'GET', '/cse-in?fu=1&ty=4', as)
  assert.equal(found.rsc, 2000)
  assert.equal((found.body['m2m:uril'] as string[]).length, 1)
  assert.match((found.body['m2m:uril'] as string[])[0] ?? '', /^cse-in\/meter\/data\//)

  const stranger = await request(cse.port, 'GET', '/cse-in/meter', { 'X-M2M-Origin': 'Cstranger' })
  assert.equal(stranger.rsc, 4106)
  const dup = await request(cse.port, 'POST', '/cse-in', { 'X-M2M-Origin': aei, 'Content-Type': 'application/json;ty=2' }, { 'm2m:ae': { rn: 'again', api: 'Nmeter-app', rr: false } })
  assert.equal(dup.rsc, 4117)

  const del = await request(cse.port, 'DELETE', '/cse-in/meter', as)
  assert.equal(del.rsc, 2002)
  const gone = await request(cse.port, 'GET', '/cse-in/meter', as)
  assert.equal(gone.rsc, 4106, 'the deregistered AE-ID is no longer an originator')
})

test('serve cse refuses a wildcard listen address: it trusts fr, so it must stay private', async () => {
  const child = spawn(process.execPath, serveCseArgv(['--listen', '0.0.0.0:0']), { stdio: ['ignore', 'pipe', 'pipe'] })
  let text = ''
  child.stdout.on('data', (c: Buffer) => (text += c.toString('utf8')))
  child.stderr.on('data', (c: Buffer) => (text += c.toString('utf8')))
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)))
  assert.notEqual(code, 0, text)
  assert.match(text, /M2MSEC_CSE_CONFIG_INVALID|loopback or a private address/)
  assert.doesNotMatch(text, /"role":"cse"/)
})
