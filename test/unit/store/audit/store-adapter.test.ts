// The audit chain over the store's audit rows: the linker `audit.append` takes, paged reading,
// and the head row as an anchor (issue 4 "audit log ... `m2msec audit verify` checks the chain").
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AuditEventFields, AuditEventInput, AuditEventRecord, AuditRepo } from '../../../../src/store/audit-events.js'
import { AUDIT_GENESIS_HASH, verifyAuditChain } from '../../../../src/store/audit/chain.js'
import { auditEventSource, auditLinker, readAuditChain, storedAuditHead } from '../../../../src/store/audit/store-adapter.js'
import { createAesGcmSealer } from '../../../../src/store/custody/aes-gcm-sealer.js'
import { generateKek } from '../../../../src/store/custody/kek-source.js'
import { openStore } from '../../../../src/store/index.js'

/** The store's append logic over an array: head row starts as '' (empty log), as in the migration. */
function memoryRepo(): AuditRepo & { rows: AuditEventRecord[]; headRow: { lastSeq: number; lastHash: string } } {
  const rows: AuditEventRecord[] = []
  const headRow = { lastSeq: 0, lastHash: '' }
  return {
    rows,
    headRow,
    async append(event: AuditEventInput, link) {
      const fields: AuditEventFields = {
        seq: headRow.lastSeq + 1, at: event.at ?? new Date(1700000000000 + rows.length), actor: event.actor,
        action: event.action, subjectJson: JSON.stringify(event.subject), outcome: event.outcome,
      }
      const hash = link(headRow.lastHash, fields)
      const record = { ...fields, subject: event.subject, prevHash: headRow.lastHash, hash }
      rows.push(record)
      Object.assign(headRow, { lastSeq: fields.seq, lastHash: hash })
      return record
    },
    async list(options = {}) {
      return rows.filter((r) => r.seq > (options.afterSeq ?? 0)).slice(0, options.limit ?? 1000)
    },
    async head() {
      return { ...headRow }
    },
  }
}

async function fill(repo: AuditRepo, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await repo.append({ actor: 'mef', action: 'enrolment.create', subject: { keId: `k${i}`, n: i, nested: { b: [1, null, true], a: 'x' } }, outcome: 'success' }, auditLinker())
  }
}

test('events appended through auditLinker verify when read back page by page', async () => {
  const repo = memoryRepo()
  await fill(repo, 23)
  assert.equal(repo.rows[0]!.prevHash, '', 'the store stores an empty prev-hash before the first event')
  const all = []
  for await (const e of readAuditChain(repo, 5)) all.push(e)
  assert.deepEqual(all.map((e) => e.seq), Array.from({ length: 23 }, (_, i) => i + 1))
  const result = await verifyAuditChain(readAuditChain(repo, 5))
  assert.deepEqual(result, { ok: true, count: 23, head: { seq: 23, hash: repo.headRow.lastHash } })
  assert.notEqual(repo.rows[0]!.hash, AUDIT_GENESIS_HASH)
})

test('the hash does not depend on the key order of the stored subject JSON', async () => {
  const repo = memoryRepo()
  await fill(repo, 2)
  const row = repo.rows[1]!
  const reordered = { ...row, subjectJson: JSON.stringify({ nested: { a: 'x', b: [1, null, true] }, n: 1, keId: 'k1' }) }
  assert.equal(auditLinker()(row.prevHash, reordered), row.hash)
  assert.notEqual(auditLinker()(row.prevHash, { ...reordered, subjectJson: JSON.stringify({ keId: 'k1', n: 2, nested: { a: 'x', b: [1, null, true] } }) }), row.hash)
})

test('deleting the newest event is caught by the head row, unless the head is rewritten too', async () => {
  const repo = memoryRepo()
  await fill(repo, 4)
  repo.rows.pop()
  const anchors = [(await storedAuditHead(repo))!]
  assert.deepEqual(await verifyAuditChain(readAuditChain(repo), { anchors }), { ok: false, brokenAt: 4, reason: 'truncated', count: 3 })
  Object.assign(repo.headRow, { lastSeq: 3, lastHash: repo.rows[2]!.hash })
  assert.equal((await verifyAuditChain(readAuditChain(repo), { anchors: [(await storedAuditHead(repo))!] })).ok, true)
  assert.equal(await storedAuditHead(memoryRepo()), undefined)
})

test('on a real SQLite store: appended events verify, and an edited row is found', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-audit-'))
  const kek = generateKek()
  const store = await openStore({ kind: 'sqlite', path: join(dir, 'store.db') }, { sealer: createAesGcmSealer([kek], kek.id) })
  t.after(async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })
  for (let i = 0; i < 5; i++) {
    await store.transaction((tx) => tx.audit.append({ actor: 'admin', action: 'enrolee.create', subject: { credentialId: `c${i}` }, outcome: 'success' }, auditLinker()))
  }
  const source = await store.transaction(async (tx) => {
    const rows = []
    for await (const e of auditEventSource(tx.audit).listAuditEvents()) rows.push(e)
    return { rows, head: await auditEventSource(tx.audit).storedHead() }
  })
  assert.equal(source.rows.length, 5)
  assert.deepEqual(await verifyAuditChain(source.rows, { anchors: [source.head!] }), { ok: true, count: 5, head: source.head })
  const edited = source.rows.map((e) => (e.seq === 3 ? { ...e, outcome: 'refused' } : e))
  assert.deepEqual(await verifyAuditChain(edited), { ok: false, brokenAt: 3, reason: 'hash-mismatch', count: 2 })
})
