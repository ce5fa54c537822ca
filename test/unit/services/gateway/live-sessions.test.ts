// Live SA1 associations are cut when their credential's lifetime ends (one timer each, fake clock)
// and when a recheck finds the credential revoked, removed or replaced, or the binding removed
// (issue 7; STYLE.md §5 "revocation emits an event the transport uses to drop live sessions").
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import { test } from 'node:test'
import { SecretBytes, fromHex } from '../../../../src/core/index.js'
import { LiveSessions, storeSessionCheck, type SessionCutReason, type SessionTimers } from '../../../../src/services/gateway/live-sessions.js'
import { createPskSaef } from '../../../../src/services/gateway/saef/psk.js'
import type { SecurityContext } from '../../../../src/services/gateway/saef/index.js'
import { GatewaySession } from '../../../../src/services/gateway/session.js'
import { KPSA_HEX, addKpsa, never, openTestStore, type TestStore } from './gateway-fixtures.js'

const OTHER_HEX = '0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C4B5A69788796A5B4C3D2E1F0'

/** setTimeout/clearTimeout on a clock the test moves. */
class FakeTimers implements SessionTimers {
  now: number
  readonly #pending = new Map<number, { at: number; fn: () => void }>()
  #next = 1
  readonly delays: number[] = []
  constructor(start: Date) {
    this.now = start.getTime()
  }

  setTimeout(fn: () => void, ms: number): unknown {
    this.delays.push(ms)
    const id = this.#next++
    this.#pending.set(id, { at: this.now + ms, fn })
    return id
  }

  clearTimeout(handle: unknown): void {
    this.#pending.delete(handle as number)
  }

  get armed(): number {
    return this.#pending.size
  }

  /** Moves the clock by `ms`, firing what falls due in order. */
  advance(ms: number): void {
    const end = this.now + ms
    for (;;) {
      const due = [...this.#pending.entries()].filter(([, p]) => p.at <= end).sort((a, b) => a[1].at - b[1].at)[0]
      if (due === undefined) break
      this.#pending.delete(due[0])
      this.now = due[1].at
      due[1].fn()
    }
    this.now = end
  }
}

class FakeSocket extends EventEmitter {
  destroyed = false
  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.emit('close')
  }
}

function context(credentialId: string, extra: Partial<SecurityContext> = {}): SecurityContext {
  return { saef: 'psk', credentialId, identity: credentialId.slice(3), ...extra }
}

function registry(timers: FakeTimers): { live: LiveSessions; cuts: [string, SessionCutReason][] } {
  const cuts: [string, SessionCutReason][] = []
  const live = new LiveSessions({ now: () => new Date(timers.now), timers, onCut: (s, reason) => cuts.push([s.context.credentialId, reason]) })
  return { live, cuts }
}

test('live sessions: a session is cut by its own timer when its key lifetime ends, not before (fake clock)', () => {
  const timers = new FakeTimers(new Date(Date.UTC(2026, 0, 15)))
  const { live, cuts } = registry(timers)
  const short = new FakeSocket()
  const long = new FakeSocket()
  const forever = new FakeSocket()
  live.add(new GatewaySession(context('12-a@psk.example.com', { expiresAt: new Date(timers.now + 5_000) }), undefined), short)
  live.add(new GatewaySession(context('12-b@psk.example.com', { expiresAt: new Date(timers.now + 60_000) }), undefined), long)
  live.add(new GatewaySession(context('12-c@psk.example.com'), undefined), forever)
  assert.deepEqual(timers.delays, [5_000, 60_000], 'one timer per session with a lifetime, none without')
  timers.advance(4_999)
  assert.equal(short.destroyed, false, 'still inside its lifetime')
  timers.advance(1)
  assert.equal(short.destroyed, true, 'cut at the expiry instant')
  assert.deepEqual(cuts, [['12-a@psk.example.com', 'expired']])
  timers.advance(60_000)
  assert.deepEqual(cuts.map((c) => c[0]), ['12-a@psk.example.com', '12-b@psk.example.com'])
  assert.equal(forever.destroyed, false)
  assert.equal(live.size, 1)
})

test('live sessions: a key already expired at establishment is cut at once; a lifetime past the 2^31 ms timer limit re-arms', () => {
  const timers = new FakeTimers(new Date(Date.UTC(2026, 0, 15)))
  const { live, cuts } = registry(timers)
  const stale = new FakeSocket()
  live.add(new GatewaySession(context('12-old@psk.example.com', { expiresAt: new Date(timers.now) }), undefined), stale)
  assert.equal(stale.destroyed, true)
  assert.deepEqual(cuts, [['12-old@psk.example.com', 'expired']])
  const far = new FakeSocket()
  const days40 = 40 * 86_400_000
  live.add(new GatewaySession(context('12-far@psk.example.com', { expiresAt: new Date(timers.now + days40) }), undefined), far)
  assert.equal(timers.delays.at(-1), 2 ** 31 - 1, 'never more than setTimeout can hold')
  timers.advance(2 ** 31 - 1)
  assert.equal(far.destroyed, false, 'the first timer only re-arms')
  assert.equal(timers.delays.at(-1), days40 - (2 ** 31 - 1))
  timers.advance(days40)
  assert.equal(far.destroyed, true)
})

test('live sessions: a session whose socket closes first is forgotten and its timer disarmed', () => {
  const timers = new FakeTimers(new Date(Date.UTC(2026, 0, 15)))
  const { live, cuts } = registry(timers)
  const socket = new FakeSocket()
  live.add(new GatewaySession(context('12-a@psk.example.com', { expiresAt: new Date(timers.now + 5_000) }), undefined), socket)
  socket.destroy()
  assert.equal(timers.armed, 0)
  assert.equal(live.size, 0)
  timers.advance(10_000)
  assert.deepEqual(cuts, [], 'a closed session is not reported as cut')
})

async function pskSession(s: TestStore, identity: string): Promise<{ session: GatewaySession; key: SecretBytes }> {
  const saef = createPskSaef({ store: s.store, now: () => s.now }, {})
  const outcome = await saef.resolve({ kind: 'psk', identity }, never())
  assert.ok(outcome.ok && outcome.key !== undefined, `${identity} resolves`)
  return { session: new GatewaySession(outcome.context, outcome.context.boundTo), key: outcome.key }
}

async function recheckWith(s: TestStore, live: LiveSessions, ids?: readonly string[]): Promise<{ checked: number; cut: number }> {
  const run = storeSessionCheck({ store: s.store, saefs: [createPskSaef({ store: s.store, now: () => s.now }, {})], now: () => s.now, sameKey: (l, k) => live.sameKey(l, k) })
  try {
    return await live.recheck(run.check, ids)
  } finally {
    await run.release()
  }
}

test('recheck (TS-0003 8.2.1): only the sessions of a revoked, removed or replaced Kpsa are cut, each with its reason', async (t) => {
  const s = await openTestStore(t)
  const ids = ['keep', 'revoked', 'removed', 'replaced'].map((n) => `${n}@psk.example.com`)
  for (const id of ids) await addKpsa(s, id)
  const timers = new FakeTimers(s.now)
  const { live, cuts } = registry(timers)
  const sockets = new Map<string, FakeSocket>()
  for (const id of ids) {
    const { session, key } = await pskSession(s, id)
    const socket = new FakeSocket()
    sockets.set(id, socket)
    live.add(session, socket, key)
  }
  assert.deepEqual(await recheckWith(s, live), { checked: 4, cut: 0 }, 'nothing changed: nothing cut')

  await s.store.transaction((tx) => tx.pskCredentials.revokeByOwner('configured', 'revoked@psk.example.com', s.now))
  await s.store.transaction((tx) => tx.pskCredentials.delete('saef', 'removed@psk.example.com'))
  await s.store.transaction((tx) => tx.pskCredentials.delete('saef', 'replaced@psk.example.com'))
  await addKpsa(s, 'replaced@psk.example.com', { hex: OTHER_HEX })
  assert.deepEqual(await recheckWith(s, live), { checked: 4, cut: 3 })
  assert.deepEqual(cuts.sort(), [
    ['12-removed@psk.example.com', 'removed'], ['12-replaced@psk.example.com', 'replaced'], ['12-revoked@psk.example.com', 'revoked'],
  ])
  assert.equal(sockets.get('keep@psk.example.com')!.destroyed, false, 'the untouched credential keeps its session')
  assert.deepEqual([...sockets.values()].map((x) => x.destroyed), [false, true, true, true])
  assert.deepEqual(live.list().map((l) => l.session.context.credentialId), ['12-keep@psk.example.com'])
})

test('recheck: a named Credential-ID list checks only those; a binding removed after registration cuts; a store failure cuts nothing', async (t) => {
  const s = await openTestStore(t)
  await addKpsa(s, 'a@psk.example.com')
  await addKpsa(s, 'b@psk.example.com')
  const timers = new FakeTimers(s.now)
  const { live, cuts } = registry(timers)
  const a = await pskSession(s, 'a@psk.example.com')
  const b = await pskSession(s, 'b@psk.example.com')
  const aeId = '//m2m.example.com/CSE-B01/Cdev01'
  await s.store.transaction((tx) => tx.identityBindings.put({ credentialId: '12-a@psk.example.com', entityKind: 'ae', entityIds: [aeId], source: 'assigned' }))
  a.session.bind({ kind: 'ae', ids: [aeId] })
  const sa = new FakeSocket()
  const sb = new FakeSocket()
  live.add(a.session, sa, a.key)
  live.add(b.session, sb, b.key)
  await s.store.transaction((tx) => tx.pskCredentials.revokeByOwner('configured', 'b@psk.example.com', s.now))
  assert.deepEqual(await recheckWith(s, live, ['12-a@psk.example.com']), { checked: 1, cut: 0 }, 'b is not looked at')
  assert.equal(sb.destroyed, false)

  await s.store.transaction((tx) => tx.identityBindings.delete('12-a@psk.example.com'))
  const failing = await live.recheck(async () => {
    throw new Error('store unreachable')
  })
  assert.deepEqual(failing, { checked: 2, cut: 0 }, 'an unanswered check leaves the session to the next recheck')
  assert.deepEqual(await recheckWith(s, live), { checked: 2, cut: 2 })
  assert.deepEqual(cuts.sort(), [['12-a@psk.example.com', 'binding-removed'], ['12-b@psk.example.com', 'revoked']])
  assert.equal(live.size, 0)
})

test('live sessions: the key tag tells the same key from another without holding the key', () => {
  const timers = new FakeTimers(new Date(Date.UTC(2026, 0, 15)))
  const { live } = registry(timers)
  live.add(new GatewaySession(context('12-a@psk.example.com'), undefined), new FakeSocket(), new SecretBytes(fromHex(KPSA_HEX)))
  const [tracked] = live.list()
  assert.ok(tracked !== undefined && tracked.keyTag !== undefined)
  assert.notEqual(Buffer.from(tracked.keyTag).toString('hex').toUpperCase(), KPSA_HEX, 'a tag, not the key')
  assert.equal(live.sameKey(tracked, new SecretBytes(fromHex(KPSA_HEX))), true)
  assert.equal(live.sameKey(tracked, new SecretBytes(fromHex(OTHER_HEX))), false)
})
