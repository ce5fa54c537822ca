// KEK rotation against an in-memory SealedColumnSource (issue 4 "KEK rotation re-seals
// everything online").
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { SecretBytes } from '../../../../src/core/index.js'
import { createAesGcmSealer } from '../../../../src/store/custody/aes-gcm-sealer.js'
import { generateKek } from '../../../../src/store/custody/kek-source.js'
import { resealAll, rotateKek } from '../../../../src/store/custody/rotation.js'
import type { SealedColumnSource, SealedEntry } from '../../../../src/store/custody/rotation.js'
import type { SealContext } from '../../../../src/store/custody/sealer.js'

const SEAL_INVALID = { code: 'M2MSEC_STORE_SEAL_INVALID' }

function keyOf(c: SealContext): string {
  return JSON.stringify([c.table, c.recordId, c.purpose])
}

/** Rows in a Map; listing pages through a snapshot of the keys so writes may interleave. */
class MemorySource implements SealedColumnSource {
  readonly rows = new Map<string, SealedEntry>()
  writes = 0
  async *listSealed(): AsyncIterable<SealedEntry> {
    for (const key of [...this.rows.keys()]) {
      const row = this.rows.get(key)
      if (row !== undefined) yield row
    }
  }
  async replaceSealed(context: SealContext, blob: Uint8Array): Promise<void> {
    const key = keyOf(context)
    if (!this.rows.has(key)) throw new Error('no such row')
    this.rows.set(key, { context, blob })
    this.writes += 1
  }
}

function populate(count: number): { source: MemorySource; secrets: Map<string, Uint8Array>; old: ReturnType<typeof generateKek> } {
  const old = generateKek()
  const sealer = createAesGcmSealer([old], old.id)
  const source = new MemorySource()
  const secrets = new Map<string, Uint8Array>()
  for (let i = 0; i < count; i++) {
    const context = { table: i % 2 === 0 ? 'enrolment' : 'key_registration', recordId: `rec-${i}`, purpose: i % 3 === 0 ? 'kc' : 'ke' }
    const secret = new Uint8Array(randomBytes(16 + (i % 33)))
    secrets.set(keyOf(context), secret)
    source.rows.set(keyOf(context), { context, blob: sealer.seal(new SecretBytes(secret.slice()), context) })
  }
  return { source, secrets, old }
}

test('rotation re-seals every value under the new KEK and the old KEK is no longer needed', async () => {
  const { source, secrets, old } = populate(60)
  const fresh = generateKek()
  const during = createAesGcmSealer([fresh, old], fresh.id)
  const report = await rotateKek(source, during, during)
  assert.deepEqual({ ...report, byKekId: { ...report.byKekId } }, { scanned: 60, resealed: 60, remaining: 0, byKekId: { [old.id]: 60 } })
  const newOnly = createAesGcmSealer([fresh], fresh.id)
  const oldOnly = createAesGcmSealer([old], old.id)
  assert.equal(source.rows.size, 60)
  for (const [key, { context, blob }] of source.rows) {
    assert.equal(newOnly.kekIdOf(blob), fresh.id)
    assert.deepEqual(newOnly.open(blob, context).reveal(), secrets.get(key))
    assert.throws(() => oldOnly.open(blob, context), SEAL_INVALID)
  }
})

test('rotation is idempotent: a second run re-seals nothing', async () => {
  const { source, old } = populate(10)
  const fresh = generateKek()
  const during = createAesGcmSealer([fresh, old], fresh.id)
  await rotateKek(source, during, during)
  const writes = source.writes
  const again = await rotateKek(source, during, during)
  assert.equal(again.resealed, 0)
  assert.equal(again.remaining, 0)
  assert.equal(source.writes, writes)
})

test('rotation with separate old and new sealers works, and a half-done run resumes', async () => {
  const { source, secrets, old } = populate(12)
  const fresh = generateKek()
  const from = createAesGcmSealer([old], old.id)
  const to = createAesGcmSealer([fresh], fresh.id)
  // Interrupt after 5 rows: the rest stays under the old KEK and is counted as remaining.
  let seen = 0
  const partial: SealedColumnSource = {
    listSealed: async function* () {
      for await (const entry of source.listSealed()) if (seen++ < 5) yield entry
    },
    replaceSealed: (c, b) => source.replaceSealed(c, b),
  }
  const first = await rotateKek(partial, from, to)
  assert.equal(first.resealed, 5)
  const resumed = await rotateKek(source, from, to)
  assert.equal(resumed.resealed, 7)
  assert.equal(resumed.remaining, 0)
  for (const [key, { context, blob }] of source.rows) assert.deepEqual(to.open(blob, context).reveal(), secrets.get(key))
})

test('remaining counts values a concurrent writer left under the old KEK', async () => {
  const { source, old } = populate(4)
  const fresh = generateKek()
  const during = createAesGcmSealer([fresh, old], fresh.id)
  const stale = createAesGcmSealer([old], old.id)
  const racing: SealedColumnSource = {
    listSealed: () => source.listSealed(),
    async replaceSealed(context, blob) {
      await source.replaceSealed(context, blob)
      // Another instance still on the old keyring rewrites the row it just touched.
      if (context.recordId === 'rec-2') source.rows.set(keyOf(context), { context, blob: stale.seal(new SecretBytes(new Uint8Array(16)), context) })
    },
  }
  const report = await rotateKek(racing, during, during)
  assert.equal(report.remaining, 1)
})

test('a blob that does not open stops rotation with SEAL_INVALID', async () => {
  const { source, old } = populate(3)
  const [key, row] = [...source.rows][1]!
  source.rows.set(key, { context: { ...row.context, purpose: 'other' }, blob: row.blob })
  const fresh = generateKek()
  const during = createAesGcmSealer([fresh, old], fresh.id)
  await assert.rejects(rotateKek(source, during, during), SEAL_INVALID)
})

test('resealAll yields only the entries that changed, bound to the same context', async () => {
  const { source, old } = populate(6)
  const fresh = generateKek()
  const during = createAesGcmSealer([fresh, old], fresh.id)
  const entries = [...source.rows.values()]
  const current = { context: entries[0]!.context, blob: during.seal(new SecretBytes(new Uint8Array(8)), entries[0]!.context) }
  const out: SealedEntry[] = []
  for await (const e of resealAll([current, ...entries.slice(1)], during, during)) out.push(e)
  assert.equal(out.length, 5)
  for (const e of out) {
    assert.equal(during.kekIdOf(e.blob), fresh.id)
    assert.doesNotThrow(() => during.open(e.blob, e.context))
  }
})
