// The admin API of `m2msec up` over real HTTPS (issue 8; admin-api.md): the built CLI started on
// a fresh data directory prints the admin token once and keeps only its hash; every route
// answers through the network with the dev CA's certificate; a missing or wrong token gets one
// 401 answer; the operator certificate of pki/ is accepted and a role certificate (mef) is not;
// bad input is a 400 naming the field with nothing changed; lists page; /openapi.json validates
// and lists the routes; /metrics serves the process metrics. No key bytes in any answer, output
// or database file.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFileSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { request } from 'node:https'
import { connect as tlsConnect } from 'node:tls'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fromHex } from '../../src/core/index.js'
import { ADMIN_ROUTES } from '../../src/services/admin/index.js'
import { assertNoSecrets } from '../support/mef-process.js'
import { cliEnv, startUp, type UpProcess } from '../support/up-process.js'

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js')
const KPM_HEX = 'FD20EB4A8C020E6FB19994F8605D8003EEEE22E99592E02E4B2B7001216304FD'
const KPSA_HEX = 'E73524CE5F43E1485EB08F1E487A99A4F7BA6B13DB9C6C68BAA509BAD0BBFB76'

/** Where the admin client reaches an admin API, and with which token. */
interface AdminTarget {
  readonly url: URL
  readonly fqdn: string
  readonly ca: string
  readonly token: string
}

/** The admin role of a running up: its endpoints.json entry and the token it printed once. */
function adminOf(up: UpProcess): AdminTarget {
  assert.ok(up.adminToken !== undefined, `up printed the admin token; output:\n${up.stdout()}`)
  const admin = up.endpoints.roles.admin
  assert.ok(admin !== undefined, 'endpoints.json lists the admin role')
  return { url: new URL(admin.url), fqdn: admin.fqdn, ca: readFileSync(up.endpoints.caCertificate, 'utf8'), token: up.adminToken }
}

interface Answer { readonly status: number; readonly json: unknown; readonly text: string; readonly requestId: string | undefined }

function client(up: AdminTarget, bodies: string[]) {
  return (method: string, path: string, options: { body?: unknown; auth?: 'token' | 'none' | string; cert?: { cert: string; key: string } } = {}): Promise<Answer> => {
    const auth = options.auth ?? 'token'
    const headers: Record<string, string> = {}
    if (auth === 'token') headers.authorization = `Bearer ${up.token}`
    else if (auth !== 'none') headers.authorization = auth
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body)
    if (payload !== undefined) headers['content-type'] = 'application/json'
    return new Promise((resolve, reject) => {
      const req = request({
        host: up.url.hostname, port: up.url.port, path, method, headers, ca: up.ca, servername: up.fqdn, agent: false,
        ...(options.cert === undefined ? {} : options.cert),
      }, (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString('utf8')))
        res.on('end', () => {
          bodies.push(text)
          let json: unknown
          try {
            json = text === '' ? undefined : JSON.parse(text)
          } catch {
            json = undefined
          }
          resolve({ status: res.statusCode ?? 0, json, text, requestId: res.headers['x-request-id'] as string | undefined })
        })
      })
      req.on('error', reject)
      req.end(payload)
    })
  }
}

type Json = Record<string, unknown>
const items = (a: Answer): Json[] => (a.json as { items: Json[] }).items
const next = (a: Answer): string | null => (a.json as { nextCursor: string | null }).nextCursor
const errorOf = (a: Answer): { code: string; field?: string } => (a.json as { error: { code: string; field?: string } }).error
const kpmId = (n: number): string => `${n.toString(16).toUpperCase().padStart(32, '0')}@mef.m2msec.localhost`

test('m2msec up serves the admin API over HTTPS: token printed once and stored hashed, operator certificate accepted, role certificate refused, every route, bad input changes nothing, pages, OpenAPI, metrics, no key bytes anywhere', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'm2msec-admin-api-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  const dataDir = join(root, 'data')
  const up = await startUp(t, dataDir)
  const api = adminOf(up)
  const bodies: string[] = []
  const call = client(api, bodies)

  // The token exists in clear only in what up printed; the file holds its SHA-256, owner-only.
  const tokenFile = join(dataDir, 'admin-token.sha256')
  assert.equal((statSync(tokenFile).mode & 0o777).toString(8), '600')
  assert.ok(!readFileSync(tokenFile, 'utf8').includes(api.token.slice(4)))

  // Unauthenticated routes.
  const health = await call('GET', '/health', { auth: 'none' })
  assert.deepEqual([health.status, health.json], [200, { status: 'ok', store: 'ok' }])
  assert.match(health.requestId ?? '', /^[0-9a-f-]{36}$/)
  const metrics = await call('GET', '/metrics', { auth: 'none' })
  assert.equal(metrics.status, 200)
  assert.match(metrics.text, /^# (HELP|TYPE) /m)
  const doc = await call('GET', '/openapi.json', { auth: 'none' })
  const { Validator } = await import('@seriousme/openapi-schema-validator')
  const validation = await new Validator().validate(doc.json as Record<string, unknown>)
  assert.equal(validation.valid, true, JSON.stringify(validation.errors))
  const paths = (doc.json as { paths: Record<string, Record<string, unknown>> }).paths
  const documented = Object.entries(paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort()
  assert.deepEqual(documented, [...ADMIN_ROUTES.map((r) => `${r.method} ${r.url.replace(/:([A-Za-z]+)/g, '{$1}')}`), 'GET /openapi.json'].sort())

  // Authentication: one 401 for every failure; the operator certificate works, a role certificate does not.
  const missing = await call('GET', '/v1/enrolees', { auth: 'none' })
  const wrong = await call('GET', '/v1/enrolees', { auth: `Bearer m2a_${'A'.repeat(43)}` })
  assert.deepEqual([missing.status, wrong.status], [401, 401])
  assert.deepEqual(wrong.json, missing.json)
  assert.equal(errorOf(missing).code, 'M2MSEC_ADMIN_UNAUTHENTICATED')
  const pki = join(dataDir, 'pki')
  const operator = { cert: readFileSync(join(pki, 'operator.pem'), 'utf8'), key: readFileSync(join(pki, 'operator.key'), 'utf8') }
  const mef = { cert: readFileSync(join(pki, 'mef.pem'), 'utf8'), key: readFileSync(join(pki, 'mef.key'), 'utf8') }
  assert.equal((await call('GET', '/v1/enrolees', { auth: 'none', cert: operator })).status, 200)
  const byRole = await call('GET', '/v1/enrolees', { auth: 'none', cert: mef })
  assert.equal(byRole.status, 401)
  assert.deepEqual(byRole.json, missing.json)

  // Enrolees: add (one by certificate), bad input with nothing changed, pages, show, update, revoke, delete.
  const add = (n: number, cert?: typeof operator) => call('POST', '/v1/enrolees', {
    body: { kpmId: kpmId(n), kpm: KPM_HEX.slice(0, 62) + n.toString(16).padStart(2, '0'), enrolmentExpiry: '30d', targets: ['21:maf.m2msec.localhost'] },
    ...(cert === undefined ? {} : { auth: 'none', cert }),
  })
  assert.equal((await add(1)).status, 201)
  assert.equal((await add(2, operator)).status, 201)
  const before = await call('GET', '/v1/enrolees')
  const refused = await call('POST', '/v1/enrolees', { body: { kpmId: kpmId(3), kpm: KPM_HEX, enrolmentExpiry: '30d', targets: ['21:'] } })
  assert.equal(refused.status, 400)
  assert.equal(errorOf(refused).field, 'targets[0]')
  assert.deepEqual((await call('GET', '/v1/enrolees')).json, before.json, 'the refused add changed nothing')
  const page1 = await call('GET', '/v1/enrolees?limit=1')
  const page2 = await call('GET', `/v1/enrolees?limit=1&cursor=${next(page1) ?? ''}`)
  assert.equal(items(page1).length + items(page2).length, 2)
  assert.equal(next(page2), null)
  assert.equal((await call('GET', '/v1/enrolees?limit=0')).status, 400)
  const ref = String(items(page1)[0]?.enroleeRef)
  assert.equal((await call('GET', `/v1/enrolees/${ref}`)).status, 200)
  const patched = await call('PATCH', `/v1/enrolees/${ref}`, { body: { enrolmentExpiry: '2d' } })
  assert.equal((patched.json as Json).enrolmentExpiry, '2d')
  assert.equal((await call('POST', `/v1/enrolees/${ref}/revoke`)).status, 200)
  assert.equal((await call('GET', `/v1/enrolments?enrolee=${ref}`)).status, 200)
  assert.equal((await call('GET', '/v1/enrolments')).status, 200)
  assert.equal((await call('DELETE', `/v1/enrolees/${ref}`)).status, 204)
  assert.equal((await call('GET', `/v1/enrolees/${ref}`)).status, 404)

  // Bulk import with progress.
  const csv = `kpm_id,kpm,enrolment_expiry\n${kpmId(10)},${KPM_HEX},1d\n${kpmId(11)},${KPM_HEX.replace('FD', 'CD')},never\n`
  const started = await call('POST', '/v1/enrolee-imports', { body: { format: 'csv', content: csv } })
  assert.equal(started.status, 202)
  let job = started.json as Json
  const deadline = Date.now() + 10_000
  while (job.state === 'running' && Date.now() < deadline) job = (await call('GET', `/v1/enrolee-imports/${String(job.id)}`)).json as Json
  assert.deepEqual([job.state, job.total, job.added, (job.rejected as Json[])[0]?.field], ['done', 2, 1, 'enrolmentExpiry'])

  // Registrations (none yet in this store): lists answer, unknown ids are 404.
  for (const path of ['/v1/client-registrations', '/v1/client-registrations?issuer=maf', '/v1/key-registrations']) assert.equal((await call('GET', path)).status, 200, path)
  assert.equal((await call('GET', '/v1/client-registrations/mcrNONE')).status, 404)
  assert.equal((await call('DELETE', '/v1/client-registrations/mcrNONE')).status, 404)
  assert.equal((await call('GET', `/v1/key-registrations/maf.m2msec.localhost/${'AB'.repeat(16)}`)).status, 404)
  assert.equal((await call('DELETE', `/v1/key-registrations/maf.m2msec.localhost/${'AB'.repeat(16)}`)).status, 404)

  // Gateway: Kpsa, bindings, rules.
  const identity = 'admin-dev@psk.m2msec.localhost'
  const badKpsa = await call('POST', '/v1/psk-credentials', { body: { identity, key: KPSA_HEX.slice(0, 20) } })
  assert.deepEqual([badKpsa.status, errorOf(badKpsa).field], [400, 'key'])
  assert.deepEqual(items(await call('GET', '/v1/psk-credentials')), [], 'the refused Kpsa was not stored')
  assert.equal((await call('POST', '/v1/psk-credentials', { body: { identity, key: KPSA_HEX, bind: { kind: 'ae', id: '//m2msec.localhost/in-cse/Cadmindev' } } })).status, 201)
  assert.equal(items(await call('GET', '/v1/psk-credentials'))[0]?.status, 'active')
  assert.equal(((await call('POST', `/v1/psk-credentials/${identity}/revoke`)).json as Json).status, 'revoked')
  assert.equal((await call('DELETE', `/v1/psk-credentials/${identity}`)).status, 204)
  assert.equal((await call('GET', '/v1/bindings')).status, 200)
  assert.equal((await call('DELETE', '/v1/bindings/12-nobody@psk.m2msec.localhost')).status, 404)
  const rule = { applicableCredIds: ['12-*@psk.m2msec.localhost'], allowedAppIds: ['Nadmin*'], allowedAes: ['C*'] }
  assert.equal((await call('PUT', '/v1/rules/admin-test', { body: rule })).status, 201)
  const badRule = await call('PUT', '/v1/rules/admin-test', { body: { ...rule, allowedAes: ['Xbad'] } })
  assert.deepEqual([badRule.status, errorOf(badRule).field], [400, 'allowedAes[0]'])
  assert.deepEqual(items(await call('GET', '/v1/rules')).map((r) => r.allowedAes), [['C*']], 'the refused rule changed nothing')
  assert.equal((await call('DELETE', '/v1/rules/admin-test')).status, 204)

  // Audit: the writes carry the admin actor (token or certificate) and the chain verifies.
  const audit: Json[] = []
  let cursor: string | null = null
  do {
    const answer: Answer = await call('GET', `/v1/audit?limit=5${cursor === null ? '' : `&cursor=${cursor}`}`)
    audit.push(...items(answer))
    cursor = next(answer)
  } while (cursor !== null)
  assert.ok(audit.some((e) => e.actor === 'admin:token' && e.action === 'rule.put'))
  assert.ok(audit.some((e) => e.actor === 'admin:urn:m2msec:operator:dev' && e.action === 'enrolee.add'))
  const verified = await call('POST', '/v1/audit/verify', { body: {} })
  assert.deepEqual([(verified.json as Json).ok, (verified.json as Json).count], [true, audit.length])

  assert.equal(await up.stop(), 0)
  const secrets = [fromHex(KPSA_HEX), fromHex(KPM_HEX), fromHex(KPM_HEX.slice(0, 62) + '01')]
  assertNoSecrets([...bodies, up.output()], [dataDir], secrets)
  assertNoSecrets([...bodies, up.output().replace(api.token, '')], [], [Buffer.from(api.token.slice(4), 'base64url')])
})

test('m2msec serve admin prints a ready line and the new token once, answers with it, and exits 0 on SIGTERM', async (t) => {
  const { ensureDevPki } = await import('../../src/pki/index.js')
  const root = mkdtempSync(join(tmpdir(), 'm2msec-serve-admin-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  const pki = await ensureDevPki({ dir: join(root, 'pki'), caCommonName: 'test CA', permittedDnsDomains: ['example.com'], leaves: [{ name: 'admin', fqdn: 'admin.example.com' }] })
  const leaf = pki.leaves.get('admin')
  assert.ok(leaf !== undefined)
  const args = [CLI, 'serve', 'admin', '--data-dir', join(root, 'data'), '--cert', leaf.certPath, '--key', leaf.keyPath, '--client-ca', pki.caCertPath]
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: cliEnv() })
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  let out = ''
  let err = ''
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')))
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line and token; stdout:\n${out}\nstderr:\n${err}`)), 20_000)
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8')
      if (!/admin token \(shown once\): m2a_\S+\n/.test(out)) return
      clearTimeout(timer)
      resolve()
    })
  })
  const ready = JSON.parse(out.split('\n')[0] ?? '') as { role: string; port: number; tokenCreated: boolean }
  assert.deepEqual([ready.role, ready.tokenCreated], ['admin', true])
  const token = /m2a_[A-Za-z0-9_-]{43}/.exec(out)?.[0] ?? ''
  const api: AdminTarget = { url: new URL(`https://127.0.0.1:${ready.port}`), fqdn: 'admin.example.com', ca: pki.caCertPem, token }
  const call = client(api, [])
  assert.equal((await call('GET', '/health', { auth: 'none' })).status, 200)
  assert.equal((await call('GET', '/metrics', { auth: 'none' })).status, 404, 'serve admin alone has no metrics source')
  assert.equal((await call('PUT', '/v1/rules/r1', { body: { applicableCredIds: ['*'], allowedAppIds: ['*'], allowedAes: ['*'] } })).status, 201)
  assert.equal((await call('GET', '/v1/rules', { auth: 'none' })).status, 401)
  assert.match(err, /"requestId"/, 'one log line per request on stderr')
  child.kill('SIGTERM')
  assert.equal(await exited, 0)
})

test('a Kpsa revoked through the admin API cuts the gateway session that uses it at once, not at the next periodic recheck', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'm2msec-admin-revoke-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  const dataDir = join(root, 'data')
  const up = await startUp(t, dataDir)
  const call = client(adminOf(up), [])
  const identity = 'revoke-dev@psk.m2msec.localhost'
  const created = await call('POST', '/v1/psk-credentials', { body: { identity, key: KPSA_HEX, bind: { kind: 'ae', id: '//m2msec.localhost/in-cse/Crevokedev' } } })
  assert.equal(created.status, 201, created.text)
  const gateway = up.endpoints.roles.gateway!
  const gatewayUrl = new URL(gateway.url)
  const socket = tlsConnect({
    host: gatewayUrl.hostname, port: Number(gatewayUrl.port), servername: gateway.fqdn, maxVersion: 'TLSv1.2', ciphers: 'PSK-AES128-CBC-SHA256',
    pskCallback: () => ({ identity, psk: Buffer.from(fromHex(KPSA_HEX)) }), checkServerIdentity: () => undefined,
  })
  t.after(() => socket.destroy())
  await new Promise<void>((resolve, reject) => (socket.once('secureConnect', resolve), socket.once('error', reject)))
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())))
  const revokedAt = Date.now()
  assert.equal(((await call('POST', `/v1/psk-credentials/${identity}/revoke`)).json as Json).status, 'revoked')
  // The periodic recheck runs every 30 s; the admin path asks the gateway to recheck right away.
  const bound = new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), 10_000).unref())
  const outcome = await Promise.race([closed, bound])
  assert.notEqual(outcome, 'still open', `the session was not cut; up output:\n${up.output()}`)
  assert.ok((outcome as number) - revokedAt < 10_000)
  // The cut is logged once the gateway has closed the socket: wait for the line rather than race stderr.
  await up.waitFor('"event":"session-cut"', 5000)
  assert.equal(await up.stop(), 0)
  assertNoSecrets([up.output()], [dataDir], [fromHex(KPSA_HEX)])
})
