// The gateway's audit trail (issue 7): refusals chained in the store's audit log with actor
// 'gateway', and the flood bounds of D-192 — identical refusals aggregated per window, distinct
// kinds and unwritten events capped with an overflow count, attacker-chosen text cut, batched writes.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { GATEWAY_AUDIT_ACTION, MAX_TEXT, createGatewayAudit, type GatewayAuditOptions } from '../../../../src/services/gateway/audit.js'
import { auditLinker, verifyAuditChain, type AuditEventRecord, type ChainedAuditEvent, type Store } from '../../../../src/store/index.js'
import { openTestStore } from './gateway-fixtures.js'

const HOUR = 3_600_000

async function events(store: Store): Promise<readonly AuditEventRecord[]> {
  return store.transaction((tx) => tx.audit.list())
}

function chained(records: readonly AuditEventRecord[]): ChainedAuditEvent[] {
  return records.map((r) => ({ seq: r.seq, time: r.at.getTime(), actor: r.actor, action: r.action, subject: r.subject, outcome: r.outcome, prevHash: r.prevHash, hash: r.hash }))
}

function recorder(store: Store, now: () => Date, extra: Partial<GatewayAuditOptions> = {}) {
  const failures: unknown[] = []
  const audit = createGatewayAudit({ store, auditLink: auditLinker(), now, windowMs: HOUR, onError: (e) => failures.push(e), ...extra })
  return { audit, failures }
}

const refusal = (identity: string, reason = 'revoked') => ({
  action: GATEWAY_AUDIT_ACTION.handshake, outcome: `refused:${reason}`, subject: { saef: 'psk', identity },
})

test('gateway audit: refusals become chained events with actor gateway; the chain verifies', async (t) => {
  const s = await openTestStore(t)
  const { audit, failures } = recorder(s.store, () => s.now)
  audit.record(refusal('dev-1@psk.example.com'))
  audit.record({ action: GATEWAY_AUDIT_ACTION.request, outcome: 'refused:4106', subject: { credentialId: '12-dev-1@psk.example.com', fr: 'Cother', bound: ['//m2m.example.com/CSE-B01/Cdev01'] } })
  await audit.flush()
  const stored = await events(s.store)
  assert.deepEqual(stored.map((e) => [e.actor, e.action, e.outcome]), [
    ['gateway', 'gateway.handshake', 'refused:revoked'], ['gateway', 'gateway.request', 'refused:4106'],
  ])
  assert.deepEqual(stored[1]!.subject, { credentialId: '12-dev-1@psk.example.com', fr: 'Cother', bound: ['//m2m.example.com/CSE-B01/Cdev01'] })
  const verdict = await verifyAuditChain(chained(stored))
  assert.ok(verdict.ok, JSON.stringify(verdict))
  assert.deepEqual(failures, [])
})

test('gateway audit (D-192): 500 identical refusals in one window are one event plus one summary with the count', async (t) => {
  const s = await openTestStore(t)
  const { audit } = recorder(s.store, () => s.now)
  for (let i = 0; i < 500; i++) audit.record(refusal('hammer@psk.example.com'))
  audit.record(refusal('hammer@psk.example.com', 'expired'))
  await audit.flush()
  const stored = await events(s.store)
  assert.equal(stored.length, 3, stored.map((e) => e.outcome).join())
  assert.deepEqual(stored.map((e) => [e.outcome, e.subject['repeated'] ?? null]), [['refused:revoked', null], ['refused:expired', null], ['refused:revoked', 499]])
  // A new window writes the next one again.
  audit.record(refusal('hammer@psk.example.com'))
  await audit.flush()
  assert.equal((await events(s.store)).length, 4)
})

test('gateway audit (D-192): distinct kinds past maxKinds and events past maxQueued are counted in one overflow event', async (t) => {
  const s = await openTestStore(t)
  const { audit } = recorder(s.store, () => s.now, { maxKinds: 10 })
  for (let i = 0; i < 25; i++) audit.record(refusal(`random-${i}@psk.example.com`))
  await audit.flush()
  const stored = await events(s.store)
  assert.equal(stored.filter((e) => e.action === 'gateway.handshake').length, 10)
  const overflow = stored.filter((e) => e.action === 'gateway.audit-overflow')
  assert.equal(overflow.length, 1)
  assert.equal(overflow[0]!.subject['notRecorded'], 15, 'nothing lost silently')

  // A store slower than the flood: the queue bound holds, the rest is counted.
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  const slow: Pick<Store, 'transaction'> = { transaction: async (work) => (await gate, s.store.transaction(work)) }
  const bounded = createGatewayAudit({ store: slow, auditLink: auditLinker(), now: () => s.now, windowMs: HOUR, maxQueued: 5, batchSize: 2 })
  for (let i = 0; i < 20; i++) bounded.record(refusal(`q-${i}@psk.example.com`))
  release()
  await bounded.flush()
  const after = (await events(s.store)).slice(stored.length)
  assert.equal(after.filter((e) => e.action === 'gateway.handshake').length, 6, 'the batch in the writer plus maxQueued waiting')
  assert.equal(after.find((e) => e.action === 'gateway.audit-overflow')?.subject['notRecorded'], 14)
})

test('gateway audit: an attacker-chosen psk_identity is cut to MAX_TEXT characters', async (t) => {
  const s = await openTestStore(t)
  const { audit } = recorder(s.store, () => s.now)
  audit.record(refusal('x'.repeat(5000)))
  await audit.flush()
  const [event] = await events(s.store)
  const identity = String(event!.subject['identity'])
  assert.ok(identity.length < MAX_TEXT + 16, `kept ${identity.length} characters`)
  assert.ok(identity.endsWith('…(5000)'), identity.slice(-20))
})

test('gateway audit: a failed write is reported with the number of events lost, and later writes go on', async (t) => {
  const s = await openTestStore(t)
  let fail = true
  const flaky: Pick<Store, 'transaction'> = {
    transaction: async (work) => {
      if (fail) throw new Error('database is locked')
      return s.store.transaction(work)
    },
  }
  const lost: number[] = []
  const audit = createGatewayAudit({ store: flaky, auditLink: auditLinker(), now: () => s.now, windowMs: HOUR, onError: (_e, n) => lost.push(n) })
  audit.record(refusal('a@psk.example.com'))
  await audit.flush()
  assert.deepEqual(lost, [1])
  fail = false
  audit.record(refusal('b@psk.example.com'))
  await audit.flush()
  assert.deepEqual((await events(s.store)).map((e) => e.subject['identity']), ['b@psk.example.com'])
})
