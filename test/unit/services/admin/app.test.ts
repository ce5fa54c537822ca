// The admin API (issue 8; /work admin-api.md contract) through fastify's inject on a real SQLite
// store with the operator wiring of `m2msec up`: every route, authentication, bad input naming
// its field with nothing changed, pagination, the OpenAPI document against the route list, and
// no key bytes in any answer.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fromHex } from '../../../../src/core/index.js'
import { ADMIN_ROUTES, AdminError } from '../../../../src/services/admin/index.js'
import { assertNoSecrets } from '../../../support/mef-process.js'
import { adminHarness, KPM_HEX, KPSA_HEX, kpmId, type AdminHarness } from './admin-fixtures.js'

type Json = Record<string, unknown>

const page = (r: { json: unknown }): { items: Json[]; nextCursor: string | null } => r.json as { items: Json[]; nextCursor: string | null }
const errorOf = (r: { json: unknown }): { code: string; message: string; field?: string } => (r.json as { error: { code: string; message: string; field?: string } }).error

async function addEnrolee(h: AdminHarness, n: number, extra: Json = {}): Promise<Json> {
  const r = await h.call('POST', '/v1/enrolees', { kpmId: kpmId(n), kpm: KPM_HEX.slice(0, 60) + n.toString(16).padStart(4, '0'), enrolmentExpiry: '30d', ...extra })
  assert.equal(r.status, 201, r.text)
  return r.json as Json
}

async function auditActions(h: AdminHarness): Promise<{ actor: string; action: string }[]> {
  const events = await h.store.transaction((tx) => tx.audit.list())
  return events.map((e) => ({ actor: e.actor, action: e.action }))
}

test('the OpenAPI 3.1 document validates and lists exactly the registered routes, both ways', async (t) => {
  const { Validator } = await import('@seriousme/openapi-schema-validator')
  const h = await adminHarness(t)
  const r = await h.call('GET', '/openapi.json', undefined, {})
  assert.equal(r.status, 200)
  const validator = new Validator()
  const result = await validator.validate(r.json as Record<string, unknown>)
  assert.equal(result.valid, true, JSON.stringify(result.errors))
  const doc = r.json as { paths: Record<string, Record<string, unknown>> }
  const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)).sort()
  const registered = [...ADMIN_ROUTES.map((rt) => `${rt.method} ${rt.url.replace(/:([A-Za-z]+)/g, '{$1}')}`), 'GET /openapi.json'].sort()
  assert.ok(registered.length > 25)
  assert.deepEqual(documented, registered)
})

test('a missing, wrong or malformed token gets the same 401 answer; health, metrics and the document need none', async (t) => {
  const h = await adminHarness(t)
  const missing = await h.call('GET', '/v1/enrolees', undefined, {})
  const wrong = await h.call('GET', '/v1/enrolees', undefined, { authorization: `Bearer ${h.token.slice(0, -1)}x` })
  const malformed = await h.call('GET', '/v1/enrolees', undefined, { authorization: 'Basic abc' })
  for (const r of [missing, wrong, malformed]) {
    assert.equal(r.status, 401)
    assert.deepEqual(r.json, missing.json)
    assert.equal(errorOf(r).code, 'M2MSEC_ADMIN_UNAUTHENTICATED')
    assert.match(String(r.headers['x-request-id']), /^[0-9a-f-]{36}$/)
  }
  assert.equal((await h.call('POST', '/v1/rules/r1', { applicableCredIds: ['*'], allowedAppIds: ['*'], allowedAes: ['*'] }, {})).status, 401)
  assert.deepEqual(await h.store.reader.listAppRules(), [], 'an unauthenticated write changes nothing')
  assert.equal((await h.call('GET', '/health', undefined, {})).status, 200)
  assert.equal((await h.call('GET', '/metrics', undefined, {})).status, 404, 'no metrics source → 404')
  const unknown = await h.call('GET', '/v1/nothing')
  assert.equal(unknown.status, 404)
  assert.equal(errorOf(unknown).code, 'M2MSEC_ADMIN_NOT_FOUND')
})

test('metrics are served from the injected source as Prometheus text', async (t) => {
  const h = await adminHarness(t, { metrics: true })
  const r = await h.call('GET', '/metrics', undefined, {})
  assert.equal(r.status, 200)
  assert.match(String(r.headers['content-type']), /^text\/plain/)
  assert.equal(r.text, 'm2msec_up 1\n')
})

test('health reports 503 degraded when the store cannot answer', async (t) => {
  const h = await adminHarness(t)
  await h.store.close()
  const r = await h.call('GET', '/health', undefined, {})
  assert.equal(r.status, 503)
  assert.deepEqual(r.json, { status: 'degraded', store: 'unavailable' })
  const list = await h.call('GET', '/v1/audit')
  assert.ok(list.status >= 500, list.text)
  const failed = h.events.find((e) => e.type === 'request-failed')
  assert.equal(failed?.requestId, list.headers['x-request-id'], 'a 5xx reports request-failed with its request id')
})

test('a body over the route limit is 413 and changes nothing; malformed JSON is 400 naming the body', async (t) => {
  const h = await adminHarness(t)
  const big = await h.call('PUT', '/v1/rules/r1', { applicableCredIds: ['*'], allowedAppIds: ['*'], allowedAes: ['*'], allowedRoleIds: ['x'.repeat(2 * 1024 * 1024)] })
  assert.equal(big.status, 413)
  assert.equal(errorOf(big).field, 'body')
  const broken = await h.call('PUT', '/v1/rules/r1', '{"applicableCredIds": [')
  assert.deepEqual([broken.status, errorOf(broken).field], [400, 'body'])
  assert.deepEqual(await h.store.reader.listAppRules(), [])
})

test('enrolees: add, list page by page, show by reference and KpmID, update, revoke, delete; each write audited with the admin actor', async (t) => {
  const h = await adminHarness(t)
  const added = await Promise.all([1, 2, 3].map((n) => addEnrolee(h, n)))
  assert.equal(added[0]?.credentialIdentity, kpmId(1))
  assert.equal('kpm' in (added[0] ?? {}), false)

  const first = await h.call('GET', '/v1/enrolees?limit=2')
  assert.equal(page(first).items.length, 2)
  assert.equal(typeof page(first).nextCursor, 'string')
  const second = await h.call('GET', `/v1/enrolees?limit=2&cursor=${page(first).nextCursor}`)
  assert.equal(page(second).items.length, 1)
  assert.equal(page(second).nextCursor, null)
  const refs = [...page(first).items, ...page(second).items].map((e) => e.enroleeRef)
  assert.deepEqual(new Set(refs), new Set(added.map((e) => e.enroleeRef)))

  const ref = String(added[0]?.enroleeRef)
  const byRef = await h.call('GET', `/v1/enrolees/${ref}`)
  const byKpmId = await h.call('GET', `/v1/enrolees/${encodeURIComponent(kpmId(1))}`)
  assert.equal(byRef.status, 200)
  assert.deepEqual(byRef.json, byKpmId.json)
  assert.deepEqual((byRef.json as Json).enrolments, [])

  const patched = await h.call('PATCH', `/v1/enrolees/${ref}`, { enrolmentExpiry: '2d', targets: ['21:maf.m2msec.localhost'], enroleeId: '//m2msec.localhost/Cdev1' })
  assert.equal(patched.status, 200, patched.text)
  assert.deepEqual([(patched.json as Json).enrolmentExpiry, (patched.json as Json).enroleeId], ['2d', '//m2msec.localhost/Cdev1'])
  assert.deepEqual((patched.json as { targets: Json[] }).targets, [{ targetId: 'maf.m2msec.localhost', suid: 21 }])
  const psk = await h.store.reader.findPskByIdentity('mef', kpmId(1), new Date())
  assert.ok(psk.ok, 'the Kpm is untouched by an update')

  const revoked = await h.call('POST', `/v1/enrolees/${ref}/revoke`)
  assert.equal(revoked.status, 200)
  assert.equal(((revoked.json as Json).enrolee as Json).status, 'revoked')

  assert.equal((await h.call('DELETE', `/v1/enrolees/${ref}`)).status, 204)
  const gone = await h.call('GET', `/v1/enrolees/${ref}`)
  assert.equal(gone.status, 404)
  assert.equal(errorOf(gone).code, 'M2MSEC_ENROLEE_NOT_FOUND')
  assert.equal((await h.call('DELETE', `/v1/enrolees/${ref}`)).status, 404)

  const actions = await auditActions(h)
  for (const action of ['enrolee.add', 'enrolee.update', 'enrolee.revoke', 'enrolee.delete']) {
    assert.ok(actions.some((a) => a.action === action && a.actor === 'admin:token'), `${action} by admin:token in ${JSON.stringify(actions)}`)
  }
  assertNoSecrets(h.bodies, [], [fromHex(KPM_HEX.slice(0, 60) + '0001')])
})

test('enrolees: bad input is a 400 naming the field and changes nothing; a taken KpmID is 409', async (t) => {
  const h = await adminHarness(t)
  const kept = await addEnrolee(h, 7)
  const before = await h.call('GET', '/v1/enrolees')
  const cases: [string, string, unknown, string][] = [
    ['POST', '/v1/enrolees', { kpmId: kpmId(8), kpm: 'zz', enrolmentExpiry: '1d' }, 'kpm'],
    ['POST', '/v1/enrolees', { kpmId: kpmId(0xabcd).toLowerCase(), kpm: KPM_HEX, enrolmentExpiry: '1d' }, 'kpmId'],
    ['POST', '/v1/enrolees', { kpmId: kpmId(8), kpm: KPM_HEX, enrolmentExpiry: '1 year' }, 'enrolmentExpiry'],
    ['POST', '/v1/enrolees', { kpmId: kpmId(8), kpm: KPM_HEX }, 'enrolmentExpiry'],
    ['POST', '/v1/enrolees', { kpmId: kpmId(8), kpm: KPM_HEX, enrolmentExpiry: '1d', colour: 'red' }, 'colour'],
    ['POST', '/v1/enrolees', { kpmId: kpmId(8), kpm: KPM_HEX, enrolmentExpiry: '1d', targets: ['99:x'] }, 'targets[0]'],
    ['PATCH', `/v1/enrolees/${String(kept.enroleeRef)}`, { enrolmentExpiry: 'soon' }, 'enrolmentExpiry'],
    ['PATCH', `/v1/enrolees/${String(kept.enroleeRef)}`, { status: 'suspended' }, 'status'],
    ['GET', '/v1/enrolees?limit=1001', undefined, 'limit'],
    ['GET', '/v1/enrolees?limit=two', undefined, 'limit'],
    ['GET', '/v1/enrolees?cursor=%2A%2A', undefined, 'cursor'],
    ['GET', '/v1/enrolees?cursor=AAA', undefined, 'cursor'],
  ]
  for (const [method, url, body, field] of cases) {
    const r = await h.call(method, url, body)
    assert.equal(r.status, 400, `${method} ${url} ${JSON.stringify(body)} → ${r.text}`)
    assert.ok(errorOf(r).field?.startsWith(field), `${method} ${url}: field ${errorOf(r).field} names ${field}`)
  }
  const dup = await h.call('POST', '/v1/enrolees', { kpmId: kpmId(7), kpm: KPM_HEX, enrolmentExpiry: '1d' })
  assert.equal(dup.status, 409)
  assert.equal(errorOf(dup).code, 'M2MSEC_ENROLEE_EXISTS')
  assert.deepEqual((await h.call('GET', '/v1/enrolees')).json, before.json, 'nothing changed')
})

test('bulk import: 202 with a job id, progress until done, bad rows rejected with their field; a malformed file is 400 and adds nothing', async (t) => {
  const h = await adminHarness(t)
  const rows = [1, 2, 3].map((n) => ({ kpmId: kpmId(n), kpm: KPM_HEX, enrolmentExpiry: '1d' }))
  rows[1] = { ...rows[1]!, enrolmentExpiry: 'never' }
  rows[2] = { ...rows[2]!, kpm: KPM_HEX.replace('C0', 'C1') }
  const started = await h.call('POST', '/v1/enrolee-imports', { format: 'json', content: JSON.stringify(rows) })
  assert.equal(started.status, 202, started.text)
  const id = String((started.json as Json).id)
  let job: Json = started.json as Json
  for (let i = 0; i < 100 && job.state === 'running'; i++) {
    await new Promise((done) => setImmediate(done))
    job = (await h.call('GET', `/v1/enrolee-imports/${id}`)).json as Json
  }
  assert.equal(job.state, 'done')
  assert.deepEqual([job.total, job.processed, job.added], [3, 3, 2])
  const rejected = job.rejected as Json[]
  assert.equal(rejected.length, 1)
  assert.equal(rejected[0]?.field, 'enrolmentExpiry')

  const malformed = await h.call('POST', '/v1/enrolee-imports', { format: 'json', content: '{"not":"an array"}' })
  assert.equal(malformed.status, 400)
  assert.equal(errorOf(malformed).code, 'M2MSEC_ENROLEE_IMPORT_MALFORMED')
  const badFormat = await h.call('POST', '/v1/enrolee-imports', { format: 'xml', content: 'x' })
  assert.equal(errorOf(badFormat).field, 'format')
  assert.equal(page(await h.call('GET', '/v1/enrolees')).items.length, 2)
  assert.equal((await h.call('GET', '/v1/enrolee-imports/impNOPE')).status, 404)
})

test('bulk import: one at a time per admin instance; a second while the first runs is 409 and parses nothing', async (t) => {
  const h = await adminHarness(t)
  const rows = Array.from({ length: 500 }, (_, i) => ({ kpmId: kpmId(1000 + i), kpm: KPM_HEX, enrolmentExpiry: '1d' }))
  const first = await h.call('POST', '/v1/enrolee-imports', { format: 'json', content: JSON.stringify(rows) })
  assert.equal(first.status, 202, first.text)
  const second = await h.call('POST', '/v1/enrolee-imports', { format: 'json', content: '{"not":"parsed"}' })
  assert.equal(second.status, 409, second.text)
  assert.equal(errorOf(second).code, 'M2MSEC_ADMIN_IMPORT_BUSY')
  const id = String((first.json as Json).id)
  let job = first.json as Json
  for (let i = 0; i < 2000 && job.state === 'running'; i++) {
    await new Promise((done) => setTimeout(done, 5))
    job = (await h.call('GET', `/v1/enrolee-imports/${id}`)).json as Json
  }
  assert.equal(job.state, 'done')
  const third = await h.call('POST', '/v1/enrolee-imports', { format: 'json', content: '[]' })
  assert.notEqual(third.status, 409, 'a finished import frees the slot')
})

test('an unusable token file fails closed with a 503 that names no server path; the detail goes to the request-failed event', async (t) => {
  const path = '/srv/m2msec/data/admin-token.sha256'
  const h = await adminHarness(t, { tokenHash: () => { throw new AdminError('M2MSEC_ADMIN_TOKEN_FILE_INVALID', 'internal', `${path}: readable by group or others`) } })
  const answer = await h.call('GET', '/v1/rules')
  assert.equal(answer.status, 503)
  assert.equal(errorOf(answer).code, 'M2MSEC_ADMIN_INTERNAL')
  assert.ok(!answer.text.includes(path), answer.text)
  const failed = h.events.find((e) => e.type === 'request-failed')
  assert.equal((failed as { error?: { code?: string } } | undefined)?.error?.code, 'M2MSEC_ADMIN_TOKEN_FILE_INVALID')
  assert.equal((await h.call('GET', '/health', undefined, {})).status, 200, 'public routes still answer')
})

test('enrolments: listed for all and for one enrolee, metadata only, paged', async (t) => {
  const h = await adminHarness(t)
  const a = await addEnrolee(h, 1)
  const b = await addEnrolee(h, 2)
  const later = new Date(Date.now() + 86_400_000)
  await h.store.transaction(async (tx) => {
    for (const [ref, n] of [[a.enroleeRef, 1], [a.enroleeRef, 2], [b.enroleeRef, 3]] as const) {
      await tx.enrolments.create({ keId: `${n.toString(16).padStart(32, 'A')}@mef.m2msec.localhost`, enroleeRef: String(ref), ke: new (await import('../../../../src/core/index.js')).SecretBytes(fromHex(KPSA_HEX)), expiresAt: later })
    }
  })
  const all1 = await h.call('GET', '/v1/enrolments?limit=2')
  const all2 = await h.call('GET', `/v1/enrolments?limit=2&cursor=${page(all1).nextCursor}`)
  assert.equal(page(all1).items.length + page(all2).items.length, 3)
  assert.equal(page(all2).nextCursor, null)
  const ofB = await h.call('GET', `/v1/enrolments?enrolee=${String(b.enroleeRef)}`)
  assert.deepEqual(page(ofB).items.map((e) => e.enroleeRef), [b.enroleeRef])
  assert.equal((await h.call('GET', '/v1/enrolments?enrolee=nobody')).status, 404)
  assertNoSecrets(h.bodies, [], [fromHex(KPSA_HEX)])
})

test('client and key registrations: metadata lists with filters and pages, one by id, de-registration removes its keys; never key bytes', async (t) => {
  const h = await adminHarness(t)
  const { SecretBytes } = await import('../../../../src/core/index.js')
  const later = new Date(Date.now() + 86_400_000)
  const reg = await h.store.transaction(async (tx) => {
    const r = await tx.clientRegistrations.create({
      issuer: 'maf', serverFqdn: 'maf.m2msec.localhost', clientId: '//m2msec.localhost/Cdev1', credentialId: '10-x@mef.m2msec.localhost', adminFqdn: 'm2msec.localhost',
      labels: [], expiresAt: later, assignedKey: { keyId: 'KM1@maf.m2msec.localhost', key: new SecretBytes(fromHex(KPSA_HEX)) },
    })
    await tx.clientRegistrations.create({ issuer: 'mef', serverFqdn: 'mef.m2msec.localhost', clientId: '//m2msec.localhost/Cdev1', credentialId: '10-x', adminFqdn: 'm2msec.localhost', labels: [], expiresAt: later })
    for (const n of [1, 2, 3]) {
      await tx.keyRegistrations.create({
        issuer: 'maf', issuerFqdn: 'maf.m2msec.localhost', relativeKeyId: `0${n}`.repeat(16), key: new SecretBytes(fromHex(KPSA_HEX)), suid: 41,
        sourceClientId: '//m2msec.localhost/Cdev1', sourceRegId: r.regId, targetIds: [], labels: [], adminFqdn: 'm2msec.localhost', expiresAt: later,
      })
    }
    return r
  })
  assert.equal(page(await h.call('GET', '/v1/client-registrations')).items.length, 2)
  const mafOnly = page(await h.call('GET', '/v1/client-registrations?issuer=maf'))
  assert.deepEqual(mafOnly.items.map((r) => r.regId), [reg.regId])
  assert.equal(mafOnly.items[0]?.assignedKeyId, 'KM1@maf.m2msec.localhost')
  assert.equal((await h.call('GET', '/v1/client-registrations?issuer=bsf')).status, 400)
  assert.equal((await h.call('GET', `/v1/client-registrations/${reg.regId}`)).status, 200)

  const k1 = await h.call('GET', '/v1/key-registrations?limit=2&issuer=maf.m2msec.localhost')
  const k2 = await h.call('GET', `/v1/key-registrations?limit=2&cursor=${page(k1).nextCursor}`)
  assert.deepEqual([...page(k1).items, ...page(k2).items].map((k) => k.relativeKeyId), ['01'.repeat(16), '02'.repeat(16), '03'.repeat(16)])
  assert.equal(page(k2).nextCursor, null)
  const one = await h.call('GET', `/v1/key-registrations/maf.m2msec.localhost/${'01'.repeat(16)}`)
  assert.equal((one.json as Json).suid, 41)
  assert.equal((await h.call('DELETE', `/v1/key-registrations/maf.m2msec.localhost/${'01'.repeat(16)}`)).status, 204)
  assert.equal((await h.call('GET', `/v1/key-registrations/maf.m2msec.localhost/${'01'.repeat(16)}`)).status, 404)

  assert.equal((await h.call('DELETE', `/v1/client-registrations/${reg.regId}`)).status, 204)
  assert.equal(page(await h.call('GET', '/v1/key-registrations')).items.length, 0, 'its key registrations went with it')
  assert.equal((await h.call('DELETE', `/v1/client-registrations/${reg.regId}`)).status, 404)
  const actions = await auditActions(h)
  assert.ok(actions.some((a) => a.action === 'client-registration.delete' && a.actor === 'admin:token'))
  assert.ok(actions.some((a) => a.action === 'key-registration.delete' && a.actor === 'admin:token'))
  assertNoSecrets(h.bodies, [], [fromHex(KPSA_HEX)])
})

test('psk credentials: add (201, no key in the answer), bad key or identity 400 with nothing stored, revoke, remove; bindings listed and forgotten', async (t) => {
  const h = await adminHarness(t)
  const identity = 'dev1@psk.m2msec.localhost'
  const bad: [Json, string][] = [
    [{ identity, key: 'ABCD' }, 'key'],
    [{ identity: 'DEV1@PSK.m2msec.localhost', key: KPSA_HEX }, 'identity'],
    [{ identity, key: KPSA_HEX, bind: { kind: 'ae', id: 'Cdev1' } }, 'bind.id'],
    [{ identity, key: KPSA_HEX, bind: { kind: 'cse', id: '//m2msec.localhost/in-cse/Cdev1' } }, 'bind.kind'],
    [{ identity, key: KPSA_HEX, expiresAt: 'tomorrow' }, 'expiresAt'],
    [{ identity, key: KPSA_HEX, expiresAt: '2000-01-01T00:00:00Z' }, 'expiresAt'],
  ]
  for (const [body, field] of bad) {
    const r = await h.call('POST', '/v1/psk-credentials', body)
    assert.equal(r.status, 400, r.text)
    assert.equal(errorOf(r).field, field, r.text)
  }
  assert.equal(page(await h.call('GET', '/v1/psk-credentials')).items.length, 0, 'nothing stored')

  const added = await h.call('POST', '/v1/psk-credentials', { identity, key: KPSA_HEX, bind: { kind: 'ae', id: '//m2msec.localhost/in-cse/Cdev1' } })
  assert.equal(added.status, 201, added.text)
  assert.deepEqual([(added.json as Json).status, (added.json as Json).credentialId], ['active', `12-${identity}`])
  assert.equal((await h.call('POST', '/v1/psk-credentials', { identity, key: KPSA_HEX })).status, 409)
  const revoked = await h.call('POST', `/v1/psk-credentials/${identity}/revoke`)
  assert.equal((revoked.json as Json).status, 'revoked')
  assert.equal((await h.store.reader.findPskByIdentity('saef', identity, new Date(Date.now() + 1000))).ok, false)
  assert.equal((await h.call('DELETE', `/v1/psk-credentials/${identity}`)).status, 204)
  assert.equal((await h.call('DELETE', `/v1/psk-credentials/${identity}`)).status, 404)
  assert.equal((await h.call('POST', `/v1/psk-credentials/${identity}/revoke`)).status, 404)

  await h.store.transaction(async (tx) => {
    for (const n of [1, 2, 3]) await tx.identityBindings.put({ credentialId: `12-dev${n}@psk.m2msec.localhost`, entityKind: 'ae', entityIds: [`//m2msec.localhost/in-cse/Cdev${n}`], source: 'configured' })
  })
  const b1 = await h.call('GET', '/v1/bindings?limit=2')
  const b2 = await h.call('GET', `/v1/bindings?limit=2&cursor=${page(b1).nextCursor}`)
  assert.equal(page(b1).items.length + page(b2).items.length, 3)
  assert.equal(page(b2).nextCursor, null)
  assert.equal((await h.call('DELETE', '/v1/bindings/12-dev1@psk.m2msec.localhost')).status, 204)
  assert.equal((await h.call('DELETE', '/v1/bindings/12-dev1@psk.m2msec.localhost')).status, 404)
  const actions = (await auditActions(h)).filter((a) => a.actor === 'admin:token').map((a) => a.action)
  for (const action of ['kpsa.add', 'kpsa.revoke', 'kpsa.remove', 'binding.delete']) assert.ok(actions.includes(action), action)
  assertNoSecrets([...h.bodies, JSON.stringify(h.events)], [], [fromHex(KPSA_HEX)])
})

test('rules: PUT creates (201) then replaces (200), bad patterns are 400 naming the item with nothing changed, list pages, delete', async (t) => {
  const h = await adminHarness(t)
  const rule = { applicableCredIds: ['12-*@psk.m2msec.localhost'], allowedAppIds: ['Nsensor*'], allowedAes: ['C*'] }
  assert.equal((await h.call('PUT', '/v1/rules/r1', rule)).status, 201)
  const replaced = await h.call('PUT', '/v1/rules/r1', { ...rule, allowedRoleIds: ['role1'] })
  assert.equal(replaced.status, 200)
  assert.deepEqual((replaced.json as Json).allowedRoleIds, ['role1'])
  await h.call('PUT', '/v1/rules/r2', rule)
  const bad: [string, Json, string][] = [
    ['r1', { ...rule, allowedAppIds: ['Xbad'] }, 'allowedAppIds[0]'],
    ['r1', { ...rule, allowedAes: ['*', 'Dbad'] }, 'allowedAes[1]'],
    ['r1', { ...rule, applicableCredIds: [] }, 'applicableCredIds'],
    ['r1', { allowedAppIds: ['*'], allowedAes: ['*'] }, 'applicableCredIds'],
    ['bad id!', rule, 'ruleId'],
  ]
  for (const [id, body, field] of bad) {
    const r = await h.call('PUT', `/v1/rules/${encodeURIComponent(id)}`, body)
    assert.equal(r.status, 400, r.text)
    assert.equal(errorOf(r).field, field, r.text)
  }
  const p1 = await h.call('GET', '/v1/rules?limit=1')
  const p2 = await h.call('GET', `/v1/rules?limit=1&cursor=${page(p1).nextCursor}`)
  assert.deepEqual([...page(p1).items, ...page(p2).items].map((r) => [r.ruleId, r.allowedRoleIds]), [['r1', ['role1']], ['r2', []]])
  assert.equal(page(p2).nextCursor, null)
  assert.equal((await h.call('DELETE', '/v1/rules/r2')).status, 204)
  assert.equal((await h.call('DELETE', '/v1/rules/r2')).status, 404)
})

test('audit: events page by seq with cursor or afterSeq; verify reports the head, refuses a malformed anchor and detects a wrong one', async (t) => {
  const h = await adminHarness(t)
  for (const id of ['a', 'b', 'c']) await h.call('PUT', `/v1/rules/${id}`, { applicableCredIds: ['*'], allowedAppIds: ['*'], allowedAes: ['*'] })
  const p1 = await h.call('GET', '/v1/audit?limit=2')
  assert.deepEqual(page(p1).items.map((e) => e.seq), [1, 2])
  const p2 = await h.call('GET', `/v1/audit?limit=2&cursor=${page(p1).nextCursor}`)
  assert.deepEqual(page(p2).items.map((e) => e.seq), [3])
  assert.equal(page(p2).nextCursor, null)
  assert.deepEqual(page(await h.call('GET', '/v1/audit?afterSeq=2')).items.map((e) => e.seq), [3])
  assert.equal(page(p1).items[0]?.actor, 'admin:token')

  const ok = await h.call('POST', '/v1/audit/verify', {})
  assert.equal((ok.json as Json).ok, true)
  assert.equal((ok.json as Json).count, 3)
  const head = (ok.json as { head: { seq: number; hash: string } }).head
  assert.equal(((await h.call('POST', '/v1/audit/verify', { anchor: `${head.seq}:${head.hash}` })).json as Json).ok, true)
  const wrong = await h.call('POST', '/v1/audit/verify', { anchor: `2:${'0'.repeat(64)}` })
  assert.deepEqual([(wrong.json as Json).ok, (wrong.json as Json).reason], [false, 'anchor-mismatch'])
  const malformed = await h.call('POST', '/v1/audit/verify', { anchor: 'head' })
  assert.equal(errorOf(malformed).field, 'anchor')
})

test('one request event per request with its id, route, status and actor; no event carries a body', async (t) => {
  const h = await adminHarness(t)
  const r = await h.call('PUT', '/v1/rules/r1', { applicableCredIds: ['*'], allowedAppIds: ['*'], allowedAes: ['*'] })
  const event = h.events.at(-1)
  assert.deepEqual(event && { ...event, durationMs: 0 }, { type: 'request', requestId: r.headers['x-request-id'], method: 'PUT', route: '/v1/rules/:ruleId', status: 201, durationMs: 0, actor: 'admin:token' })
})
