import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import test from 'node:test'
import { ADMIN_TOKEN_ENV, adminListAll, adminRequest, adminServerFrom, segment, type AdminServer } from '../../../src/cli/admin-client.js'
import { CliError, CliRemoteError } from '../../../src/cli/errors.js'
import { createTestPki, tempDir, type Pem } from '../../support/tls-fixtures.js'

const FQDN = 'admin.m2msec.test'
const TOKEN = 'm2a_Zm9yLXRlc3RzLW9ubHktbm90LWEtcmVhbC10b2tlbg'

interface Seen {
  readonly method: string
  readonly url: string
  readonly authorization?: string
  readonly body: string
}

async function adminStub(t: test.TestContext, server: Pem, answer: (seen: Seen) => { status: number; body: string }): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = []
  const https: Server = createServer({ cert: server.cert, key: server.key }, (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const entry: Seen = {
        method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8'),
        ...(req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization }),
      }
      seen.push(entry)
      const reply = answer(entry)
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body)
    })
  })
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => https.close(() => resolve())))
  return { port: (https.address() as AddressInfo).port, seen }
}

async function fixture(): Promise<{ ca: string; server: Pem }> {
  const pki = await createTestPki()
  return { ca: pki.ca.cert, server: await pki.issue(FQDN, { dns: [FQDN] }) }
}

function serverAt(port: number, ca: string, extra: Partial<AdminServer> = {}): AdminServer {
  return { url: new URL(`https://127.0.0.1:${port}`), fqdn: FQDN, ca, token: TOKEN, ...extra }
}

test('adminRequest sends the bearer token and JSON body, and returns the parsed answer', async (t) => {
  const { ca, server } = await fixture()
  const stub = await adminStub(t, server, () => ({ status: 201, body: JSON.stringify({ ruleId: 'r1' }) }))
  const answer = await adminRequest(serverAt(stub.port, ca), 'PUT', '/v1/rules/r1', { allowedAppIds: ['N*'] })
  assert.deepEqual(answer, { ruleId: 'r1' })
  assert.equal(stub.seen[0]?.authorization, `Bearer ${TOKEN}`)
  assert.equal(stub.seen[0]?.method, 'PUT')
  assert.deepEqual(JSON.parse(stub.seen[0]?.body ?? ''), { allowedAppIds: ['N*'] })
})

test('an error answer becomes a CliRemoteError with the server code, kind and status', async (t) => {
  const { ca, server } = await fixture()
  const stub = await adminStub(t, server, () => ({ status: 409, body: JSON.stringify({ error: { code: 'M2MSEC_ENROLEE_CONFLICT', message: 'enrolee exists' } }) }))
  await assert.rejects(adminRequest(serverAt(stub.port, ca), 'POST', '/v1/enrolees', {}), (error: unknown) => {
    assert.ok(error instanceof CliRemoteError)
    assert.equal(error.code, 'M2MSEC_ENROLEE_CONFLICT')
    assert.equal(error.kind, 'conflict')
    assert.equal(error.status, 409)
    assert.ok(!error.message.includes(TOKEN))
    return true
  })
})

test('an error answer without a well-formed code is reported as an invalid answer', async (t) => {
  const { ca, server } = await fixture()
  const stub = await adminStub(t, server, () => ({ status: 500, body: JSON.stringify({ error: { code: 'not a code; rm -rf' } }) }))
  await assert.rejects(adminRequest(serverAt(stub.port, ca), 'GET', '/v1/rules'), { code: 'M2MSEC_CLI_SERVER_ANSWER_INVALID', kind: 'internal' })
})

test('a body that is not JSON is refused as an invalid answer', async (t) => {
  const { ca, server } = await fixture()
  const stub = await adminStub(t, server, () => ({ status: 200, body: '<html>proxy</html>' }))
  await assert.rejects(adminRequest(serverAt(stub.port, ca), 'GET', '/v1/rules'), { code: 'M2MSEC_CLI_SERVER_ANSWER_INVALID' })
})

test('a server whose certificate does not name the expected FQDN is unreachable, and the token was never sent', async (t) => {
  const { ca, server } = await fixture()
  const stub = await adminStub(t, server, () => ({ status: 200, body: '{}' }))
  await assert.rejects(adminRequest(serverAt(stub.port, ca, { fqdn: 'other.m2msec.test' }), 'GET', '/v1/rules'), (error: unknown) => {
    assert.ok(error instanceof CliError)
    assert.equal(error.code, 'M2MSEC_CLI_SERVER_UNREACHABLE')
    assert.ok(!error.message.includes(TOKEN))
    return true
  })
  assert.equal(stub.seen.length, 0)
})

test('a closed port is reported as unreachable', async () => {
  const { ca } = await fixture()
  await assert.rejects(adminRequest(serverAt(1, ca), 'GET', '/v1/rules'), { code: 'M2MSEC_CLI_SERVER_UNREACHABLE' })
})

test('adminListAll follows nextCursor until it is null', async (t) => {
  const { ca, server } = await fixture()
  const pages: Record<string, { items: number[]; nextCursor: string | null }> = {
    '': { items: [1, 2], nextCursor: 'c2' },
    c2: { items: [3, 4], nextCursor: 'c3' },
    c3: { items: [5], nextCursor: null },
  }
  const stub = await adminStub(t, server, (seen) => {
    const cursor = new URL(seen.url, 'https://x').searchParams.get('cursor') ?? ''
    return { status: 200, body: JSON.stringify(pages[cursor]) }
  })
  assert.deepEqual(await adminListAll(serverAt(stub.port, ca), '/v1/enrolees', 100), [1, 2, 3, 4, 5])
  assert.equal(stub.seen.length, 3)
  assert.deepEqual(await adminListAll(serverAt(stub.port, ca), '/v1/enrolees', 2), [1, 2])
})

test('adminServerFrom: no --server and no M2MSEC_ADMIN_URL means the local data directory', async (t) => {
  const dir = await tempDir(t)
  assert.equal(adminServerFrom({ dataDir: dir.path }, {}), undefined)
})

test('adminServerFrom takes the token from the environment before a token file, and refuses http://', async (t) => {
  const dir = await tempDir(t)
  const tokenFile = await dir.write('token', 'm2a_from-file\n')
  const fromEnv = adminServerFrom({ dataDir: dir.path, server: 'https://127.0.0.1:9', tokenFile }, { [ADMIN_TOKEN_ENV]: TOKEN })
  assert.equal(fromEnv?.token, TOKEN)
  const fromFile = adminServerFrom({ dataDir: dir.path, server: 'https://127.0.0.1:9', tokenFile }, {})
  assert.equal(fromFile?.token, 'm2a_from-file')
  assert.throws(() => adminServerFrom({ dataDir: dir.path, server: 'http://127.0.0.1:9', tokenFile }, {}), { code: 'M2MSEC_CLI_SERVER_UNREACHABLE' })
})

test('adminServerFrom uses the operator certificate of the data directory, else says which credential is missing', async (t) => {
  const dir = await tempDir(t)
  assert.throws(() => adminServerFrom({ dataDir: dir.path, server: 'https://127.0.0.1:9' }, {}), { code: 'M2MSEC_CLI_SERVER_CREDENTIAL_MISSING' })
  await mkdir(join(dir.path, 'pki'))
  await dir.write('pki/operator.pem', 'CERT')
  await dir.write('pki/operator.key', 'KEY')
  const server = adminServerFrom({ dataDir: dir.path, server: 'https://127.0.0.1:9' }, {})
  assert.deepEqual(server?.certificate, { certPem: 'CERT', keyPem: 'KEY' })
  assert.equal(server?.token, undefined)
})

test('adminServerFrom takes the CA and the admin FQDN from endpoints.json when the URL is the local admin', async (t) => {
  const dir = await tempDir(t)
  const caPath = await dir.write('ca.pem', 'CA-PEM')
  await dir.write('endpoints.json', JSON.stringify({ caCertificate: caPath, roles: { admin: { url: 'https://127.0.0.1:4443', fqdn: FQDN } } }))
  const local = adminServerFrom({ dataDir: dir.path, server: 'https://127.0.0.1:4443' }, { [ADMIN_TOKEN_ENV]: TOKEN })
  assert.equal(local?.fqdn, FQDN)
  assert.equal(local?.ca, 'CA-PEM')
  const other = adminServerFrom({ dataDir: dir.path, server: 'https://admin.example.net:4443' }, { [ADMIN_TOKEN_ENV]: TOKEN })
  assert.equal(other?.fqdn, 'admin.example.net')
})

test('segment encodes one path segment and refuses the dot segments URL resolution would collapse into another route', () => {
  assert.equal(segment('dev 1@psk/x'), 'dev%201%40psk%2Fx')
  for (const bad of ['', '.', '..']) assert.throws(() => segment(bad), { name: 'UsageError' }, JSON.stringify(bad))
})
