// Custody with the real SQLite store: keys sealed by createAesGcmSealer never appear in the
// database files, and a KEK rotation through the store leaves them readable with the new KEK
// alone (issue 4 "key custody", "KEK rotation re-seals everything online").
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SecretBytes } from '../../../../src/core/index.js'
import { openStore } from '../../../../src/store/index.js'
import { createAesGcmSealer } from '../../../../src/store/custody/aes-gcm-sealer.js'
import { generateKek } from '../../../../src/store/custody/kek-source.js'
import { assertNoSecretIn } from './secret-forms.js'

const KEYS = Array.from({ length: 5 }, (_, i) => Uint8Array.from({ length: 32 }, (_, j) => (0x5c + i * 7 + j * 13) & 0xff))

test('service keys sealed in SQLite survive a KEK rotation and never appear in clear', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-rot-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const config = { kind: 'sqlite', path: join(dir, 'store.db') } as const
  const old = generateKek()
  const fresh = generateKek()

  const first = await openStore(config, { sealer: createAesGcmSealer([old], old.id) })
  await first.transaction(async (tx) => {
    for (const [i, key] of KEYS.entries()) await tx.serviceKeys.create(`svc-${i}`, new SecretBytes(key.slice()))
  })
  await first.close()

  const during = await openStore(config, { sealer: createAesGcmSealer([fresh, old], fresh.id) })
  assert.ok((await during.resealAll({ batchSize: 2 })) >= KEYS.length)
  await during.close()

  const after = await openStore(config, { sealer: createAesGcmSealer([fresh], fresh.id) })
  const read = await after.transaction(async (tx) => Promise.all(KEYS.map((_, i) => tx.serviceKeys.get(`svc-${i}`))))
  await after.close()
  read.forEach((entry, i) => {
    assert.ok(entry !== undefined)
    assert.deepEqual(entry.key.reveal(), KEYS[i])
  })

  const raw = ['store.db', 'store.db-wal'].map((f) => join(dir, f)).filter((p) => existsSync(p))
  assert.ok(raw.length > 0)
  for (const path of raw) {
    const bytes = readFileSync(path)
    const text = bytes.toString('latin1')
    for (const key of [...KEYS, old.key.reveal(), fresh.key.reveal()]) {
      assert.equal(bytes.indexOf(Buffer.from(key)), -1, `${path} holds key bytes`)
      assertNoSecretIn(text, [key], path)
    }
  }
})
