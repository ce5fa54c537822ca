/**
 * Child process of test/integration/store-crash.test.ts: writes enrolments to a SQLite store in
 * a loop until it is SIGKILLed. Each transaction writes three rows (enrolment, a PSK credential
 * named after the KeID, an audit event); the KeID is printed only after its commit returned.
 * Key bytes derive from the KeID so the parent can check them after the crash.
 * argv: <database path> <KEK hex>
 */
import { randomBytes } from 'node:crypto'
import { toHex } from '../../src/core/index.js'
import { openStore } from '../../src/store/index.js'
import { testAuditLinker } from './store-audit-linker.js'
import { CRASH_KPM_ID, CRASH_MEF, derivedKey } from './store-crash-fixture.js'
import { createTestSealer } from './store-test-sealer.js'

async function main(): Promise<void> {
  const [path, kekHex] = process.argv.slice(2)
  if (path === undefined || kekHex === undefined) throw new Error('usage: store-crash-child <db> <kek-hex>')
  const sealer = createTestSealer('crash-kek', new Map([['crash-kek', Buffer.from(kekHex, 'hex')]]))
  const store = await openStore({ kind: 'sqlite', path }, { sealer })
  const enroleeRef = await store.transaction(async (tx) => {
    const existing = await tx.enrolees.findByCredential('psk', CRASH_KPM_ID)
    if (existing !== undefined) return existing.enroleeRef
    const created = await tx.enrolees.create({
      credential: { kind: 'psk', kpmId: CRASH_KPM_ID, kpm: derivedKey('kpm', CRASH_KPM_ID) }, enrolmentLifetimeMs: 86_400_000, targets: [],
    })
    return created.enroleeRef
  })
  process.stdout.write('ready\n')
  for (;;) {
    const keId = `${toHex(randomBytes(16))}@${CRASH_MEF}`
    await store.transaction(async (tx) => {
      await tx.enrolments.create({ keId, enroleeRef, ke: derivedKey('ke', keId), expiresAt: new Date(Date.now() + 86_400_000) })
      await tx.pskCredentials.put({ usage: 'saef', identity: keId, key: derivedKey('psk', keId), owner: { kind: 'configured', ref: 'crash' } })
      await tx.audit.append({ actor: 'crash-child', action: 'enrol', subject: { keId }, outcome: 'ok' }, testAuditLinker)
    })
    process.stdout.write(`${keId}\n`)
  }
}

// No top-level await: the test may bundle this file as CommonJS for a fast start.
main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`)
  process.exit(1)
})
