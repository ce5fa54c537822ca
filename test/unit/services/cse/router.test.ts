// Resource operations of the reference CSE through its router (TS-0004 §7.3.3, §7.4.5 AE
// registration per wire.md §5, §7.4.6–§7.4.8 container / contentInstance / subscription,
// discovery), with notifications captured by a fake sender instead of HTTP.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { JsonObject, JsonValue, RequestPrimitive, ResponsePrimitive } from '../../../../src/onem2m/index.js'
import { validateCseConfig } from '../../../../src/services/cse/config.js'
import type { CseServiceEvent } from '../../../../src/services/cse/context.js'
import { routeRequest } from '../../../../src/services/cse/router.js'
import { createCseContext } from '../../../../src/services/cse/service.js'

interface Sent { readonly url: string; readonly request: RequestPrimitive }

function setup(answer: (url: string, r: RequestPrimitive) => number = () => 2000) {
  const sent: Sent[] = []
  const events: CseServiceEvent[] = []
  const config = validateCseConfig({ cseId: '/in-cse', cseBaseName: 'cse-in', spId: '//m2m.example.com', adminOriginator: 'CAdmin' })
  const ctx = createCseContext(config, {
    now: () => new Date(Date.UTC(2025, 0, 1)),
    send: async (url, request): Promise<ResponsePrimitive> => {
      sent.push({ url, request })
      return { rsc: answer(url, request), rqi: request.rqi }
    },
    emit: (e) => events.push(e),
  })
  let n = 0
  const call = async (p: Omit<RequestPrimitive, 'rqi'>): Promise<ResponsePrimitive> => {
    try {
      return (await routeRequest(ctx, { rqi: `r${++n}`, rvi: '3', ...p } as RequestPrimitive)).response
    } catch (error) {
      return { rsc: (error as { rsc?: number }).rsc ?? 5000, rqi: 'x' }
    }
  }
  const settle = async (): Promise<void> => {
    while (ctx.pending.size > 0) await Promise.allSettled([...ctx.pending])
  }
  return { ctx, call, sent, events, settle }
}

function body(r: ResponsePrimitive, root: string): Record<string, JsonValue> {
  return ((r.pc as JsonObject)[root]) as Record<string, JsonValue>
}

const AE = (extra: JsonObject = {}): JsonObject => ({ 'm2m:ae': { rn: 'meter', api: 'Nmeter-app', rr: true, poa: ['http://127.0.0.1:9/notify'], srv: ['3'], ...extra } })

test('AE registration without fr or with C gets a C-stem; aei equals ri (wire.md §5.2 step 6)', async () => {
  const { call } = setup()
  for (const fr of [undefined, 'C']) {
    const r = await call({ op: 1, to: 'cse-in', ty: 2, ...(fr ? { fr } : {}), pc: AE({ rn: `m-${fr ?? 'none'}` }) })
    assert.equal(r.rsc, 2001)
    const ae = body(r, 'm2m:ae')
    assert.match(String(ae['aei']), /^C[0-9A-F]{16}$/)
    assert.equal(ae['ri'], ae['aei'])
    assert.equal(ae['pi'], 'in-cse')
  }
})

test('AE registration with S gets an S-stem; a given stem (or its SP-relative form) is kept', async () => {
  const { call } = setup()
  const s = await call({ op: 1, to: '-', ty: 2, fr: 'S', pc: AE({ rn: 's' }) })
  assert.match(String(body(s, 'm2m:ae')['aei']), /^S[0-9A-F]{16}$/)
  const c = await call({ op: 1, to: '/in-cse/cse-in', ty: 2, fr: 'Cmeter01', pc: AE({ rn: 'c' }) })
  assert.equal(body(c, 'm2m:ae')['aei'], 'Cmeter01')
  const sp = await call({ op: 1, to: 'cse-in', ty: 2, fr: '/in-cse/Cmeter02', pc: AE({ rn: 'd' }) })
  assert.equal(body(sp, 'm2m:ae')['aei'], 'Cmeter02')
  const abs = await call({ op: 1, to: '//m2m.example.com/in-cse/cse-in', ty: 2, fr: '//m2m.example.com/S77', pc: AE({ rn: 'e' }) })
  assert.equal(body(abs, 'm2m:ae')['aei'], 'S77')
})

test('AE registration refusals: bad fr 4000, other registrar 4000, duplicate AE-ID 4117, duplicate rn 4105, api 4000, missing api/rr 4000', async () => {
  const { call } = setup()
  assert.equal((await call({ op: 1, to: 'cse-in', ty: 2, fr: 'Xfoo', pc: AE() })).rsc, 4000)
  assert.equal((await call({ op: 1, to: 'cse-in', ty: 2, fr: '/mn-cse9/Cfoo', pc: AE() })).rsc, 4000)
  assert.equal((await call({ op: 1, to: 'cse-in', ty: 2, fr: 'Cdup', pc: AE() })).rsc, 2001)
  assert.equal((await call({ op: 1, to: 'cse-in', ty: 2, fr: 'Cdup', pc: AE({ rn: 'other' }) })).rsc, 4117)
  assert.equal((await call({ op: 1, to: 'cse-in', ty: 2, fr: 'Cnew', pc: AE() })).rsc, 4105)
  assert.equal((await call({ op: 1, to: 'cse-in', ty: 2, pc: AE({ rn: 'z', api: 'Xapp' }) })).rsc, 4000)
  assert.equal((await call({ op: 1, to: 'cse-in', ty: 2, pc: { 'm2m:ae': { rr: true } } })).rsc, 4000)
  assert.equal((await call({ op: 1, to: 'cse-in', ty: 2, pc: { 'm2m:ae': { api: 'Nx' } } })).rsc, 4000)
  assert.equal((await call({ op: 1, to: 'cse-in', ty: 2, pc: AE({ rn: 'q', aei: 'Cforged' }) })).rsc, 4000)
  assert.equal((await call({ op: 1, to: 'cse-in', ty: 3, fr: 'Cdup', pc: AE({ rn: 'q' }) })).rsc, 4000)
})

test('remoteCSE registration sets csi from fr; an AE-ID originator is 4005; a second one 4117 (wire.md §8)', async () => {
  const { call } = setup()
  const csr = { 'm2m:csr': { cb: '/mn-cse1/cse-mn', rr: true, srv: ['3'], csi: '/forged' } }
  const r = await call({ op: 1, to: 'cse-in', ty: 16, fr: '/mn-cse1', pc: csr })
  assert.equal(r.rsc, 2001)
  assert.equal(body(r, 'm2m:csr')['csi'], '/mn-cse1')
  assert.equal((await call({ op: 1, to: 'cse-in', ty: 16, fr: '/mn-cse1', pc: csr })).rsc, 4117)
  assert.equal((await call({ op: 1, to: 'cse-in', ty: 16, fr: 'Cae', pc: csr })).rsc, 4005)
  assert.equal((await call({ op: 2, to: 'cse-in', fr: '/mn-cse1' })).rsc, 2000)
})

test('container and contentInstance: cni/cbs/st bookkeeping, mni drops the oldest, la/ol (TS-0004 §7.4.6–§7.4.7)', async () => {
  const { call } = setup()
  await call({ op: 1, to: 'cse-in', ty: 2, fr: 'Cm', pc: AE() })
  assert.equal((await call({ op: 1, to: 'cse-in/meter', ty: 3, fr: 'Cm', pc: { 'm2m:cnt': { rn: 'data', mni: 2 } } })).rsc, 2001)
  for (const con of ['a', 'bb', 'ccc']) assert.equal((await call({ op: 1, to: 'cse-in/meter/data', ty: 4, fr: 'Cm', pc: { 'm2m:cin': { con } } })).rsc, 2001)
  const cnt = body(await call({ op: 2, to: 'cse-in/meter/data', fr: 'Cm' }), 'm2m:cnt')
  assert.equal(cnt['cni'], 2)
  assert.equal(cnt['cbs'], 5)
  assert.equal(cnt['st'], 3)
  assert.equal(body(await call({ op: 2, to: 'cse-in/meter/data/la', fr: 'Cm' }), 'm2m:cin')['con'], 'ccc')
  assert.equal(body(await call({ op: 2, to: 'cse-in/meter/data/ol', fr: 'Cm' }), 'm2m:cin')['con'], 'bb')
  assert.equal((await call({ op: 4, to: 'cse-in/meter/data/ol', fr: 'Cm' })).rsc, 2002)
  const after = body(await call({ op: 2, to: 'Cm/data', fr: 'Cm' }), 'm2m:cnt')
  assert.equal(after['cni'], 1)
  assert.equal(after['cbs'], 3)
  assert.equal((await call({ op: 3, to: 'cse-in/meter/data/la', fr: 'Cm', pc: { 'm2m:cin': { con: 'x' } } })).rsc, 4005)
})

test('refusals: 4108 wrong parent type, 4004 unknown target, 4106 unregistered fr, 4103 foreign subtree, 4005 on CSEBase, 5103 other CSE', async () => {
  const { call } = setup()
  await call({ op: 1, to: 'cse-in', ty: 2, fr: 'Ca', pc: AE({ rn: 'a' }) })
  await call({ op: 1, to: 'cse-in', ty: 2, fr: 'Cb', pc: AE({ rn: 'b' }) })
  assert.equal((await call({ op: 1, to: 'cse-in/a', ty: 4, fr: 'Ca', pc: { 'm2m:cin': { con: 'x' } } })).rsc, 4108)
  assert.equal((await call({ op: 1, to: 'cse-in/a', ty: 2, fr: 'Ca', pc: AE({ rn: 'n' }) })).rsc, 4108)
  assert.equal((await call({ op: 1, to: 'cse-in/a', ty: 28, fr: 'Ca', pc: { 'm2m:cnt': {} } })).rsc, 4108)
  assert.equal((await call({ op: 2, to: 'cse-in/nothing', fr: 'Ca' })).rsc, 4004)
  assert.equal((await call({ op: 2, to: 'cse-in/a', fr: 'Cghost' })).rsc, 4106)
  assert.equal((await call({ op: 2, to: 'cse-in/b', fr: 'Ca' })).rsc, 4103)
  assert.equal((await call({ op: 1, to: 'cse-in/b', ty: 3, fr: 'Ca', pc: { 'm2m:cnt': {} } })).rsc, 4103)
  assert.equal((await call({ op: 2, to: 'cse-in/b', fr: 'CAdmin' })).rsc, 2000)
  assert.equal((await call({ op: 4, to: 'cse-in', fr: 'Ca' })).rsc, 4005)
  assert.equal((await call({ op: 3, to: 'cse-in', fr: 'Ca', pc: { 'm2m:cb': {} } })).rsc, 4005)
  assert.equal((await call({ op: 2, to: '/mn-cse9/cse-mn', fr: 'Ca' })).rsc, 5103)
  assert.equal((await call({ op: 3, to: 'cse-in/a', fr: 'Ca', pc: { 'm2m:ae': { api: 'Nother' } } })).rsc, 4000)
  assert.equal((await call({ op: 2, to: 'cse-in/a', fr: 'Ca', rcn: 7 })).rsc, 4000)
})

test('update changes writable attributes, null removes one, rcn 9 returns the modified ones', async () => {
  const { call } = setup()
  await call({ op: 1, to: 'cse-in', ty: 2, fr: 'Ca', pc: AE({ rn: 'a', lbl: ['x'] }) })
  const r = await call({ op: 3, to: 'cse-in/a', fr: 'Ca', rcn: 9, pc: { 'm2m:ae': { poa: ['http://10.0.0.1/n'], lbl: null } } })
  assert.equal(r.rsc, 2004)
  assert.deepEqual(body(r, 'm2m:ae')['poa'], ['http://10.0.0.1/n'])
  const ae = body(await call({ op: 2, to: 'cse-in/a', fr: 'Ca' }), 'm2m:ae')
  assert.equal(ae['lbl'], undefined)
  assert.deepEqual(ae['poa'], ['http://10.0.0.1/n'])
})

test('subscription: verification request to a URL nu, then a create-child notification with the cin (TS-0004 §7.4.8, wire.md §9.2)', async () => {
  const { call, sent, settle } = setup()
  await call({ op: 1, to: 'cse-in', ty: 2, fr: 'Ca', pc: AE({ rn: 'a' }) })
  await call({ op: 1, to: 'cse-in/a', ty: 3, fr: 'Ca', pc: { 'm2m:cnt': { rn: 'c' } } })
  const s = await call({ op: 1, to: 'cse-in/a/c', ty: 23, fr: 'Ca', pc: { 'm2m:sub': { rn: 's', nu: ['http://127.0.0.1:9/hook', 'Ca'], enc: { net: [3] } } } })
  assert.equal(s.rsc, 2001)
  assert.equal(sent.length, 1, 'only the URL target is verified, not the subscriber itself')
  const vrq = (sent[0]?.request.pc as JsonObject)['m2m:sgn'] as JsonObject
  assert.deepEqual(vrq, { vrq: true, sur: '/in-cse/cse-in/a/c/s', cr: 'Ca' })
  assert.equal(sent[0]?.request.op, 5)
  assert.equal(sent[0]?.request.fr, '/in-cse')
  await call({ op: 1, to: 'cse-in/a/c', ty: 4, fr: 'Ca', pc: { 'm2m:cin': { con: 'hello' } } })
  await settle()
  assert.deepEqual(sent.slice(1).map((x) => x.url).sort(), ['http://127.0.0.1:9/hook', 'http://127.0.0.1:9/notify'])
  for (const x of sent.slice(1)) {
    const sgn = (x.request.pc as JsonObject)['m2m:sgn'] as JsonObject
    const nev = sgn['nev'] as JsonObject
    assert.equal(nev['net'], 3)
    assert.equal(((nev['rep'] as JsonObject)['m2m:cin'] as JsonObject)['con'], 'hello')
    assert.equal(sgn['sur'], '/in-cse/cse-in/a/c/s')
  }
})

test('a refused verification request fails the subscription with 5204 and creates nothing', async () => {
  const { call } = setup(() => 4101)
  await call({ op: 1, to: 'cse-in', ty: 2, fr: 'Ca', pc: AE({ rn: 'a' }) })
  assert.equal((await call({ op: 1, to: 'cse-in/a', ty: 23, fr: 'Ca', pc: { 'm2m:sub': { rn: 's', nu: ['http://127.0.0.1:9/x'] } } })).rsc, 5204)
  assert.equal((await call({ op: 2, to: 'cse-in/a/s', fr: 'Ca' })).rsc, 4004)
})

test('expirationCounter deletes the subscription after its last notification and tells su', async () => {
  const { call, sent, settle } = setup()
  await call({ op: 1, to: 'cse-in', ty: 2, fr: 'Ca', pc: AE({ rn: 'a' }) })
  await call({ op: 1, to: 'cse-in/a', ty: 23, fr: 'Ca', pc: { 'm2m:sub': { rn: 's', nu: ['Ca'], exc: 1, su: 'Ca' } } })
  await call({ op: 3, to: 'cse-in/a', fr: 'Ca', pc: { 'm2m:ae': { lbl: ['k:v'] } } })
  await settle()
  assert.equal((await call({ op: 2, to: 'cse-in/a/s', fr: 'Ca' })).rsc, 4004)
  const kinds = sent.map((x) => Object.keys((x.request.pc as JsonObject)['m2m:sgn'] as JsonObject).sort().join(','))
  assert.deepEqual(kinds, ['nev,sur', 'sud,sur'])
})

test('discovery: fu=1 with ty and lbl filters answers m2m:uril, structured or unstructured, only own resources', async () => {
  const { call } = setup()
  await call({ op: 1, to: 'cse-in', ty: 2, fr: 'Ca', pc: AE({ rn: 'a' }) })
  await call({ op: 1, to: 'cse-in', ty: 2, fr: 'Cb', pc: AE({ rn: 'b' }) })
  await call({ op: 1, to: 'cse-in/a', ty: 3, fr: 'Ca', pc: { 'm2m:cnt': { rn: 'c1', lbl: ['room:1'] } } })
  await call({ op: 1, to: 'cse-in/a', ty: 3, fr: 'Ca', pc: { 'm2m:cnt': { rn: 'c2' } } })
  await call({ op: 1, to: 'cse-in/b', ty: 3, fr: 'Cb', pc: { 'm2m:cnt': { rn: 'c3', lbl: ['room:1'] } } })
  const uril = async (fr: string, fc: JsonObject, drt?: number): Promise<JsonValue> => {
    const r = await call({ op: 2, to: 'cse-in', fr, fc: { fu: 1, ...fc } as never, ...(drt ? { drt } : {}) })
    assert.equal(r.rsc, 2000)
    return (r.pc as JsonObject)['m2m:uril'] as JsonValue
  }
  assert.deepEqual(await uril('Ca', { ty: [3] }), ['cse-in/a/c1', 'cse-in/a/c2'])
  assert.deepEqual(await uril('Ca', { lbl: ['room:1'] }), ['cse-in/a/c1'])
  assert.deepEqual(await uril('CAdmin', { lbl: ['room:1'] }), ['cse-in/a/c1', 'cse-in/b/c3'])
  assert.deepEqual(await uril('Ca', { ty: [2] }, 2), ['Ca'])
  assert.deepEqual(await uril('CAdmin', { ty: [3], lim: 1, ofst: 1 }), ['cse-in/a/c2'])
  assert.deepEqual(await uril('Ca', { ty: [4] }), [])
})

test('delete removes the subtree and notifies the parent subscription (net 4)', async () => {
  const { call, sent, settle } = setup()
  await call({ op: 1, to: 'cse-in', ty: 2, fr: 'Ca', pc: AE({ rn: 'a' }) })
  await call({ op: 1, to: 'cse-in/a', ty: 3, fr: 'Ca', pc: { 'm2m:cnt': { rn: 'c' } } })
  await call({ op: 1, to: 'cse-in/a/c', ty: 4, fr: 'Ca', pc: { 'm2m:cin': { con: 1 } } })
  await call({ op: 1, to: 'cse-in/a', ty: 23, fr: 'Ca', pc: { 'm2m:sub': { rn: 's', nu: ['Ca'], enc: { net: [4] } } } })
  const d = await call({ op: 4, to: 'cse-in/a/c', fr: 'Ca', rcn: 1 })
  assert.equal(d.rsc, 2002)
  assert.equal(body(d, 'm2m:cnt')['rn'], 'c')
  await settle()
  assert.equal((await call({ op: 2, to: 'cse-in/a/c', fr: 'Ca' })).rsc, 4004)
  assert.equal(sent.length, 1)
  const nev = ((sent[0]?.request.pc as JsonObject)['m2m:sgn'] as JsonObject)['nev'] as JsonObject
  assert.equal(nev['net'], 4)
  assert.equal((await call({ op: 4, to: 'cse-in/a', fr: 'Ca' })).rsc, 2002)
  assert.equal((await call({ op: 2, to: 'cse-in/a', fr: 'CAdmin' })).rsc, 4004)
})

test('cr: null at CREATE records the creator; any other cr is 4000 (TS-0004 §9.6.1.3)', async () => {
  const { call } = setup()
  await call({ op: 1, to: 'cse-in', ty: 2, fr: 'Ca', pc: AE({ rn: 'a' }) })
  const r = await call({ op: 1, to: 'cse-in/a', ty: 3, fr: 'Ca', pc: { 'm2m:cnt': { rn: 'c', cr: null } } })
  assert.equal(body(r, 'm2m:cnt')['cr'], 'Ca')
  assert.equal((await call({ op: 1, to: 'cse-in/a', ty: 3, fr: 'Ca', pc: { 'm2m:cnt': { rn: 'd', cr: 'Cforged' } } })).rsc, 4000)
  assert.equal((await call({ op: 1, to: 'cse-in', ty: 2, fr: 'Cb', pc: AE({ rn: 'b', cr: null }) })).rsc, 4000)
})
