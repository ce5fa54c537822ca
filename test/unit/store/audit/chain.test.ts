// The audit hash chain: canonical form, linking, and detection of edits, deletions, reorders,
// insertions and truncation (issue 4 "audit log ... hash-chained").
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { SecretBytes } from '../../../../src/core/index.js'
import {
  AUDIT_GENESIS_HASH,
  appendAuditEvent,
  auditEventHash,
  canonicalAuditEvent,
  hmacAuditLink,
  parseAuditAnchor,
  verifyAuditChain,
} from '../../../../src/store/audit/chain.js'
import type { AuditEvent, AuditLink, ChainedAuditEvent } from '../../../../src/store/audit/chain.js'

// Own value: Python `json.dumps(ev, sort_keys=True, separators=(',', ':'))` and
// `hashlib.sha256(b'\0' * 32 + canonical.encode()).hexdigest().upper()`.
const OWN_EVENT = {
  source: 'own: first audit event, canonical JSON and SHA-256 link (Python json + hashlib)',
  provenance: 'own',
  event: {
    seq: 1,
    time: 1700000000000,
    actor: 'mef',
    action: 'enrolment.create',
    subject: { keId: '00112233445566778899AABBCCDDEEFF@mef.example', '10': 'b', '9': 'a' },
    outcome: 'success',
  },
  canonical:
    '{"action":"enrolment.create","actor":"mef","outcome":"success","seq":1,"subject":{"10":"b","9":"a","keId":"00112233445566778899AABBCCDDEEFF@mef.example"},"time":1700000000000}',
  hash: 'F65E181E4E8164263812B3482F7145EF5A1BA0D95492F715FC2356EA6E3CA68B',
} as const

function buildChain(count: number, link?: AuditLink): ChainedAuditEvent[] {
  const out: ChainedAuditEvent[] = []
  for (let i = 0; i < count; i++) {
    const head = out.at(-1)
    const fields = { time: 1700000000000 + i, actor: `actor-${i % 3}`, action: 'key.register', subject: { kcId: `kc-${i}` }, outcome: i % 4 === 0 ? 'refused:expired' : 'success' }
    out.push(appendAuditEvent(head && { seq: head.seq, hash: head.hash }, fields, link))
  }
  return out
}

test(OWN_EVENT.source, () => {
  assert.equal(canonicalAuditEvent(OWN_EVENT.event), OWN_EVENT.canonical, OWN_EVENT.source)
  assert.equal(auditEventHash(AUDIT_GENESIS_HASH, OWN_EVENT.event), OWN_EVENT.hash, OWN_EVENT.source)
  const first = appendAuditEvent(undefined, OWN_EVENT.event)
  assert.equal(first.seq, 1)
  assert.equal(first.prevHash, AUDIT_GENESIS_HASH)
  assert.equal(first.hash, OWN_EVENT.hash, OWN_EVENT.source)
  assert.notEqual(auditEventHash(AUDIT_GENESIS_HASH, { ...OWN_EVENT.event, time: OWN_EVENT.event.time + 1 }), OWN_EVENT.hash)
})

test('an intact chain verifies and reports its count and head', async () => {
  assert.deepEqual(await verifyAuditChain([]), { ok: true, count: 0, head: undefined })
  const chain = buildChain(20)
  const result = await verifyAuditChain(chain)
  assert.deepEqual(result, { ok: true, count: 20, head: { seq: 20, hash: chain[19]!.hash } })
  async function* stream(): AsyncIterable<ChainedAuditEvent> {
    yield* chain
  }
  assert.deepEqual(await verifyAuditChain(stream()), result)
})

test('an edited event is a hash mismatch at its seq, whichever field changed', async () => {
  const chain = buildChain(8)
  const edits: ((e: ChainedAuditEvent) => ChainedAuditEvent)[] = [
    (e) => ({ ...e, actor: 'someone-else' }),
    (e) => ({ ...e, action: 'key.retrieve' }),
    (e) => ({ ...e, outcome: 'success ' }),
    (e) => ({ ...e, time: e.time + 1 }),
    (e) => ({ ...e, subject: { ...e.subject, kcId: 'kc-x' } }),
    (e) => ({ ...e, subject: { ...e.subject, extra: '' } }),
    (e) => ({ ...e, hash: AUDIT_GENESIS_HASH }),
  ]
  for (const [i, edit] of edits.entries()) {
    const bad = chain.slice()
    bad[4] = edit(bad[4]!)
    assert.deepEqual(await verifyAuditChain(bad), { ok: false, brokenAt: 5, reason: 'hash-mismatch', count: 4 }, `edit ${i}`)
  }
})

test('an edited event whose own hash was recomputed breaks the next link (prev-mismatch)', async () => {
  const chain = buildChain(6)
  const edited = { ...chain[2]!, actor: 'intruder' }
  const bad = chain.slice()
  bad[2] = { ...edited, hash: auditEventHash(edited.prevHash, edited) }
  assert.deepEqual(await verifyAuditChain(bad), { ok: false, brokenAt: 4, reason: 'prev-mismatch', count: 3 })
})

test('a deleted, reordered, inserted or duplicated event is a sequence gap', async () => {
  const chain = buildChain(6)
  const deleted = [...chain.slice(0, 2), ...chain.slice(3)]
  assert.deepEqual(await verifyAuditChain(deleted), { ok: false, brokenAt: 3, reason: 'sequence-gap', count: 2 })
  const reordered = [chain[0]!, chain[2]!, chain[1]!, ...chain.slice(3)]
  assert.deepEqual(await verifyAuditChain(reordered), { ok: false, brokenAt: 2, reason: 'sequence-gap', count: 1 })
  const duplicated = [...chain.slice(0, 3), chain[2]!, ...chain.slice(3)]
  assert.deepEqual(await verifyAuditChain(duplicated), { ok: false, brokenAt: 4, reason: 'sequence-gap', count: 3 })
  const forged = appendAuditEvent({ seq: chain[1]!.seq, hash: chain[1]!.hash }, { time: 1, actor: 'x', action: 'y', subject: {}, outcome: 'success' })
  const inserted = [...chain.slice(0, 2), forged, ...chain.slice(2)]
  assert.deepEqual(await verifyAuditChain(inserted), { ok: false, brokenAt: 4, reason: 'sequence-gap', count: 3 })
  const firstDeleted = chain.slice(1)
  assert.deepEqual(await verifyAuditChain(firstDeleted), { ok: false, brokenAt: 1, reason: 'sequence-gap', count: 0 })
})

test('an inserted event renumbered into place breaks the following link', async () => {
  const chain = buildChain(5)
  const forged = appendAuditEvent({ seq: 2, hash: chain[1]!.hash }, { time: 1, actor: 'x', action: 'y', subject: {}, outcome: 'success' })
  const renumbered = [...chain.slice(0, 2), forged, ...chain.slice(2).map((e) => ({ ...e, seq: e.seq + 1 }))]
  assert.deepEqual(await verifyAuditChain(renumbered), { ok: false, brokenAt: 4, reason: 'prev-mismatch', count: 3 })
})

test('a first event not linked to the genesis hash is a prev mismatch; a malformed row is reported', async () => {
  const chain = buildChain(3)
  assert.deepEqual(await verifyAuditChain([{ ...chain[0]!, prevHash: 'AB'.repeat(32) }]), { ok: false, brokenAt: 1, reason: 'prev-mismatch', count: 0 })
  const malformed = { ...chain[1]!, time: '2024' } as unknown as ChainedAuditEvent
  assert.deepEqual(await verifyAuditChain([chain[0]!, malformed]), { ok: false, brokenAt: 2, reason: 'malformed', count: 1 })
  for (const subject of [{ a: Number.NaN }, { a: Infinity }, { a: new Date(0) }, { a: undefined }, [], null]) {
    assert.throws(() => canonicalAuditEvent({ ...chain[0]!, subject } as unknown as AuditEvent), { code: 'M2MSEC_STORE_CORRUPT' })
  }
  let deep: unknown = 'x'
  for (let i = 0; i < 40; i++) deep = { d: deep }
  assert.throws(() => canonicalAuditEvent({ ...chain[0]!, subject: { deep } } as unknown as AuditEvent), { code: 'M2MSEC_STORE_CORRUPT' })
})

test('subjects may hold any JSON value; the canonical form sorts keys at every level', () => {
  const event: AuditEvent = { seq: 2, time: 0, actor: 'a', action: 'b', outcome: 'c', subject: { z: [3, { y: null, x: true }], a: -0, m: 1.5e-7 } }
  assert.equal(canonicalAuditEvent(event), '{"action":"b","actor":"a","outcome":"c","seq":2,"subject":{"a":0,"m":1.5e-7,"z":[3,{"x":true,"y":null}]},"time":0}')
})

test('an empty stored prev-hash on the first event means the genesis hash', async () => {
  const chain = buildChain(3)
  assert.equal((await verifyAuditChain([{ ...chain[0]!, prevHash: '' }, ...chain.slice(1)])).ok, true)
  assert.equal(appendAuditEvent({ seq: 0, hash: '' }, { time: 1, actor: 'x', action: 'y', subject: {}, outcome: 'success' }).prevHash, AUDIT_GENESIS_HASH)
  assert.deepEqual(await verifyAuditChain([chain[0]!, { ...chain[1]!, prevHash: '' }]), { ok: false, brokenAt: 2, reason: 'prev-mismatch', count: 1 })
})

test('two anchors naming one seq must both hold', async () => {
  const chain = buildChain(3)
  const good = { seq: 3, hash: chain[2]!.hash }
  const bad = { seq: 3, hash: AUDIT_GENESIS_HASH }
  for (const anchors of [[good, bad], [bad, good]]) {
    assert.deepEqual(await verifyAuditChain(chain, { anchors }), { ok: false, brokenAt: 3, reason: 'anchor-mismatch', count: 3 })
  }
})

test('anchors catch a rewritten or truncated tail that the chain alone accepts', async () => {
  const chain = buildChain(6)
  const anchor = { seq: 4, hash: chain[3]!.hash }
  assert.equal((await verifyAuditChain(chain, { anchors: [anchor] })).ok, true)
  // Rewrite from seq 3 on, recomputing every hash: only the anchor notices.
  const rewritten = chain.slice(0, 2)
  for (const e of chain.slice(2)) {
    const last = rewritten.at(-1)!
    rewritten.push(appendAuditEvent({ seq: last.seq, hash: last.hash }, { ...e, actor: 'rewritten' }))
  }
  assert.equal((await verifyAuditChain(rewritten)).ok, true)
  assert.deepEqual(await verifyAuditChain(rewritten, { anchors: [anchor] }), { ok: false, brokenAt: 4, reason: 'anchor-mismatch', count: 4 })
  // Dropping the newest events leaves a valid chain; an anchor beyond its end reports truncation.
  assert.equal((await verifyAuditChain(chain.slice(0, 3))).ok, true)
  assert.deepEqual(await verifyAuditChain(chain.slice(0, 3), { anchors: [anchor] }), { ok: false, brokenAt: 4, reason: 'truncated', count: 3 })
})

test('anchors parse from SEQ:HASH and reject anything else', () => {
  const hash = 'ab'.repeat(32)
  assert.deepEqual(parseAuditAnchor(`12:${hash}`), { seq: 12, hash: hash.toUpperCase() })
  for (const bad of ['', '12', `0:${hash}`, `-1:${hash}`, `12:${hash.slice(2)}`, `12:${hash}00`, `x:${hash}`, `99999999999999999:${hash}`]) {
    assert.throws(() => parseAuditAnchor(bad), { code: 'M2MSEC_STORE_CORRUPT' }, bad)
  }
})

test('the HMAC link verifies only with its key', async () => {
  const key = new SecretBytes(new Uint8Array(randomBytes(32)))
  const chain = buildChain(5, hmacAuditLink(key))
  assert.equal((await verifyAuditChain(chain, { link: hmacAuditLink(key) })).ok, true)
  const otherKey = new SecretBytes(new Uint8Array(randomBytes(32)))
  assert.deepEqual(await verifyAuditChain(chain, { link: hmacAuditLink(otherKey) }), { ok: false, brokenAt: 1, reason: 'hash-mismatch', count: 0 })
  assert.deepEqual(await verifyAuditChain(chain), { ok: false, brokenAt: 1, reason: 'hash-mismatch', count: 0 })
})

test('property: random chains verify, and any single-field change to one event is detected', async () => {
  const fieldArb = fc.constantFrom('actor', 'action', 'outcome', 'time', 'subject', 'seq', 'prevHash', 'hash')
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ actor: fc.string(), action: fc.string(), outcome: fc.string(), subject: fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }) }), { minLength: 1, maxLength: 12 }),
      fc.nat(),
      fieldArb,
      async (specs, pick, field) => {
        const chain: ChainedAuditEvent[] = []
        for (const [i, spec] of specs.entries()) {
          const head = chain.at(-1)
          chain.push(appendAuditEvent(head && { seq: head.seq, hash: head.hash }, { ...spec, time: i }))
        }
        assert.equal((await verifyAuditChain(chain)).ok, true)
        const index = pick % chain.length
        const e = chain[index]!
        const changed: Record<string, ChainedAuditEvent> = {
          actor: { ...e, actor: e.actor + '.' },
          action: { ...e, action: e.action + '.' },
          outcome: { ...e, outcome: e.outcome + '.' },
          time: { ...e, time: e.time + 1 },
          subject: { ...e, subject: { ...e.subject, ['\u0000changed']: '' } },
          seq: { ...e, seq: e.seq + 1 },
          prevHash: { ...e, prevHash: e.prevHash.replace(/^./, (c) => (c === '0' ? '1' : '0')) },
          hash: { ...e, hash: e.hash.replace(/^./, (c) => (c === '0' ? '1' : '0')) },
        }
        const bad = chain.slice()
        bad[index] = changed[field]!
        const result = await verifyAuditChain(bad)
        assert.equal(result.ok, false)
        assert.equal(result.ok ? 0 : result.brokenAt, index + 1)
      },
    ),
    { numRuns: 150 },
  )
})
