/**
 * The one store contract (issue 4): every backend must pass these same tests. Run by
 * sqlite.test.ts and postgres.test.ts. Each test gets a fresh, migrated database.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createTestSealer } from '../support/store-test-sealer.js'
import type { MakeTarget } from '../support/store-contract-target.js'
import { addPskEnrolee, at, HOUR, key, T0, withStore } from '../support/store-contract-fixtures.js'
import { describeStoreAdminListContract } from './store-admin-lists.contract.js'
import { describeStoreKeyContract } from './store-keys.contract.js'
import { describeStorePolicyContract } from './store-policy.contract.js'

export function describeStoreContract(name: string, make: MakeTarget): void {
  describe(`store contract (${name})`, () => {
    describe('migrations', () => {
      it('are idempotent: reopening keeps data and applies nothing twice', async () => {
        await withStore(make, async ({ target, store, sealer }) => {
          await store.transaction((tx) => addPskEnrolee(tx, 'kpm1@mef.example.com', 1))
          const again = await target.open({ sealer })
          try {
            const found = await again.reader.findPskByIdentity('mef', 'kpm1@mef.example.com', T0)
            assert.equal(found.ok, true)
          } finally {
            await again.close()
          }
        })
      })

      it('two stores starting at once on a fresh database both migrate and work', async (t) => {
        const target = await make()
        if (!target.concurrentInProcess) {
          await target.dispose()
          t.skip('one SQLite store per process; cross-process start is covered by the crash test')
          return
        }
        const sealer = createTestSealer()
        try {
          const stores = await Promise.all([target.open({ sealer }), target.open({ sealer }), target.open({ sealer })])
          try {
            await stores[0]!.transaction((tx) => addPskEnrolee(tx, 'kpm-c@mef.example.com', 2))
            const found = await stores[2]!.reader.findPskByIdentity('mef', 'kpm-c@mef.example.com', T0)
            assert.equal(found.ok, true)
          } finally {
            await Promise.all(stores.map((s) => s.close()))
          }
        } finally {
          await target.dispose()
        }
      })

      it('an unreachable database fails with M2MSEC_STORE_UNAVAILABLE', async () => {
        const target = await make()
        try {
          await assert.rejects(
            import('../../src/store/index.js').then((m) => m.openStore(target.unreachable, { sealer: createTestSealer() })),
            { code: 'M2MSEC_STORE_UNAVAILABLE', kind: 'unavailable' },
          )
        } finally {
          await target.dispose()
        }
      })
    })

    describe('enrolees', () => {
      it('create, read by ref and credential, update, revoke, delete', async () => {
        await withStore(make, async ({ store }) => {
          const created = await store.transaction((tx) => addPskEnrolee(tx, 'kpm1@mef.example.com', 1))
          assert.match(created.enroleeRef, /^enr[A-Z0-9]{16}$/)
          assert.equal(created.status, 'active')
          assert.equal(created.credentialKind, 'psk')
          assert.deepEqual(created.targets.map((t) => [t.targetId, t.suid, t.keyLifetimeMs]), [
            ['//sp.example.com/in-cse', 22, HOUR], ['maf.example.com', 21, undefined]])
          assert.deepEqual(created.config, { certificateEnrolment: true })
          const psk = await store.reader.findPskByIdentity('mef', 'kpm1@mef.example.com', T0)
          assert.ok(psk.ok)
          assert.ok(psk.credential.key.equals(key(1)))
          assert.equal(psk.credential.credentialId, '10-kpm1@mef.example.com')

          const updated = await store.transaction((tx) => tx.enrolees.update(created.enroleeRef, {
            targets: [{ targetId: 'maf2.example.com', suid: 21 }], enroleeId: null,
          }))
          assert.deepEqual(updated.targets, [{ targetId: 'maf2.example.com', suid: 21 }])
          assert.equal(updated.enroleeId, undefined)

          const cert = await store.transaction((tx) => tx.enrolees.create({
            credential: { kind: 'certificate', trustAnchorPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', expectedIdentity: '//sp.example.com/Cdev9' },
            enrolmentLifetimeMs: HOUR, targets: [],
          }))
          const byCert = await store.reader.findEnroleeByCredential('certificate', '//sp.example.com/Cdev9')
          assert.equal(byCert?.enroleeRef, cert.enroleeRef)
          assert.match(byCert?.trustAnchorPem ?? '', /BEGIN CERTIFICATE/)
          const page1 = await store.transaction((tx) => tx.enrolees.list({ limit: 1 }))
          const page2 = await store.transaction((tx) => tx.enrolees.list({ limit: 1, afterRef: page1[0]!.enroleeRef }))
          assert.equal(page1.length + page2.length, 2)
          assert.notEqual(page1[0]!.enroleeRef, page2[0]!.enroleeRef)

          await store.transaction((tx) => tx.enrolees.setStatus(created.enroleeRef, 'revoked'))
          assert.deepEqual(await store.reader.findPskByIdentity('mef', 'kpm1@mef.example.com', T0), { ok: false, refusal: 'revoked' })
          await store.transaction((tx) => tx.enrolees.setStatus(created.enroleeRef, 'active'))
          assert.equal((await store.reader.findPskByIdentity('mef', 'kpm1@mef.example.com', T0)).ok, true)

          await store.transaction((tx) => tx.enrolees.delete(created.enroleeRef))
          assert.equal(await store.transaction((tx) => tx.enrolees.get(created.enroleeRef)), undefined)
          assert.deepEqual(await store.reader.findPskByIdentity('mef', 'kpm1@mef.example.com', T0), { ok: false, refusal: 'unknown-identity' })
          await assert.rejects(store.transaction((tx) => tx.enrolees.delete(created.enroleeRef)), { code: 'M2MSEC_STORE_NOT_FOUND', kind: 'not-found' })
          await assert.rejects(store.transaction((tx) => tx.enrolees.setStatus('enrNOPE', 'revoked')), { code: 'M2MSEC_STORE_NOT_FOUND' })
        })
      })

      it('a repeated KpmID conflicts and the failed transaction leaves nothing', async () => {
        await withStore(make, async ({ store }) => {
          await store.transaction((tx) => addPskEnrolee(tx, 'kpm1@mef.example.com', 1))
          await assert.rejects(store.transaction(async (tx) => {
            await tx.enrolees.create({ credential: { kind: 'gba', impi: 'impi-1@ims.example.com' }, enrolmentLifetimeMs: HOUR, targets: [] })
            await addPskEnrolee(tx, 'kpm1@mef.example.com', 2)
          }), { code: 'M2MSEC_STORE_CONFLICT', kind: 'conflict' })
          assert.equal(await store.reader.findEnroleeByCredential('gba', 'impi-1@ims.example.com'), undefined)
          const psk = await store.reader.findPskByIdentity('mef', 'kpm1@mef.example.com', T0)
          assert.ok(psk.ok && psk.credential.key.equals(key(1)), 'the first Kpm is untouched')
        })
      })
    })

    describe('enrolments', () => {
      it('store Ke under its KeID, normalised, and never return it once expired', async () => {
        await withStore(make, async ({ store }) => {
          const e = await store.transaction((tx) => addPskEnrolee(tx, 'kpm1@mef.example.com', 1))
          const summary = await store.transaction((tx) => tx.enrolments.create({
            keId: '1c2b16403482987c93ba591954c8b67c@MEF.example.com', enroleeRef: e.enroleeRef, ke: key(7), expiresAt: at(HOUR),
          }))
          assert.equal(summary.keId, '1C2B16403482987C93BA591954C8B67C@mef.example.com')
          const found = await store.reader.findEnrolment('1C2B16403482987C93BA591954C8B67C@mef.example.com', at(HOUR - 1))
          assert.ok(found?.ke.equals(key(7)))
          assert.equal(found?.enroleeRef, e.enroleeRef)
          assert.equal(await store.reader.findEnrolment(summary.keId, at(HOUR)), undefined, 'expired at the expiry instant')
          assert.equal(await store.reader.findEnrolment('00000000000000000000000000000000@mef.example.com', T0), undefined)
          assert.equal((await store.transaction((tx) => tx.enrolments.listByEnrolee(e.enroleeRef, T0))).length, 1)
          assert.equal(await store.transaction((tx) => tx.enrolments.deleteExpired(at(HOUR))), 1)
          assert.equal((await store.transaction((tx) => tx.enrolments.listByEnrolee(e.enroleeRef, T0))).length, 0)
        })
      })

      it('a KeID is never issued twice, not even after its enrolment was deleted', async () => {
        await withStore(make, async ({ store }) => {
          const e = await store.transaction((tx) => addPskEnrolee(tx, 'kpm1@mef.example.com', 1))
          const keId = 'AB'.repeat(16) + '@mef.example.com'
          await store.transaction((tx) => tx.enrolments.create({ keId, enroleeRef: e.enroleeRef, ke: key(1), expiresAt: at(HOUR) }))
          await assert.rejects(store.transaction((tx) => tx.enrolments.create({ keId, enroleeRef: e.enroleeRef, ke: key(2), expiresAt: at(HOUR) })),
            { code: 'M2MSEC_STORE_CONFLICT' })
          await store.transaction((tx) => tx.enrolments.delete(keId))
          await assert.rejects(store.transaction((tx) => tx.enrolments.create({ keId, enroleeRef: e.enroleeRef, ke: key(2), expiresAt: at(HOUR) })),
            { code: 'M2MSEC_STORE_CONFLICT' })
          await assert.rejects(store.transaction((tx) => tx.enrolments.create({ keId: 'CD'.repeat(16) + '@mef.example.com', enroleeRef: 'enrMISSING', ke: key(3), expiresAt: at(HOUR) })),
            { code: 'M2MSEC_STORE_NOT_FOUND' })
        })
      })

      it('a sealed Ke copied into another enrolment does not open there', async () => {
        await withStore(make, async ({ store, target }) => {
          const e = await store.transaction((tx) => addPskEnrolee(tx, 'kpm1@mef.example.com', 1))
          const a = 'A1'.repeat(16) + '@mef.example.com'
          const b = 'B2'.repeat(16) + '@mef.example.com'
          await store.transaction(async (tx) => {
            await tx.enrolments.create({ keId: a, enroleeRef: e.enroleeRef, ke: key(1), expiresAt: at(HOUR) })
            await tx.enrolments.create({ keId: b, enroleeRef: e.enroleeRef, ke: key(2), expiresAt: at(HOUR) })
          })
          await target.rawExec(`update enrolments set ke_sealed = (select ke_sealed from enrolments where ke_id = '${a}') where ke_id = '${b}'`)
          await assert.rejects(store.reader.findEnrolment(b, T0), { code: 'M2MSEC_STORE_SEAL_INVALID' })
          assert.ok((await store.reader.findEnrolment(a, T0))?.ke.equals(key(1)))
        })
      })
    })

    describe('transactions', () => {
      it('a procedure that throws midway leaves no row of any aggregate behind', async () => {
        await withStore(make, async ({ store }) => {
          const boom = new Error('procedure failed after its writes')
          await assert.rejects(store.transaction(async (tx) => {
            const e = await addPskEnrolee(tx, 'kpm-rb@mef.example.com', 1)
            await tx.enrolments.create({ keId: 'EE'.repeat(16) + '@mef.example.com', enroleeRef: e.enroleeRef, ke: key(2), expiresAt: at(HOUR) })
            await tx.keyRegistrations.create({ issuer: 'mef', issuerFqdn: 'mef.example.com', key: key(3), suid: 22, sourceClientId: 'c', targetIds: [], labels: [], adminFqdn: 'sp.example.com', expiresAt: at(HOUR) })
            await tx.identityBindings.put({ credentialId: '12-x@mef.example.com', entityKind: 'ae', entityIds: ['//sp/Cx'], source: 'mef' })
            throw boom
          }), (error) => error === boom)
          await store.transaction(async (tx) => {
            assert.deepEqual(await tx.enrolees.list(), [])
            assert.equal(await tx.identityBindings.find('12-x@mef.example.com', T0), undefined)
            assert.equal(await tx.identifiers.isIssued('mef.example.com', 'EE'.repeat(16)), false)
          })
          assert.deepEqual(await store.reader.findPskByIdentity('mef', 'kpm-rb@mef.example.com', T0), { ok: false, refusal: 'unknown-identity' })
          assert.equal(await store.reader.findEnrolment('EE'.repeat(16) + '@mef.example.com', T0), undefined)
        })
      })
    })

    describe('identifier allocation', () => {
      it('retries with a fresh candidate on collision and gives up with M2MSEC_STORE_ID_EXHAUSTED', async () => {
        await withStore(make, async ({ store }) => {
          const candidates = ['ID-1', 'ID-1', 'ID-1', 'ID-2']
          const calls: string[] = []
          const generate = () => {
            const next = candidates.shift() ?? 'ID-X'
            calls.push(next)
            return next
          }
          const first = await store.transaction((tx) => tx.identifiers.allocate({ scope: 's', kind: 'test', generate }))
          const second = await store.transaction((tx) => tx.identifiers.allocate({ scope: 's', kind: 'test', generate }))
          assert.equal(first, 'ID-1')
          assert.equal(second, 'ID-2')
          assert.deepEqual(calls, ['ID-1', 'ID-1', 'ID-1', 'ID-2'])
          await assert.rejects(store.transaction((tx) => tx.identifiers.allocate({ scope: 's', kind: 'test', generate: () => 'ID-1', maxAttempts: 3 })),
            { code: 'M2MSEC_STORE_ID_EXHAUSTED' })
          // Scopes are independent namespaces.
          assert.equal(await store.transaction((tx) => tx.identifiers.allocate({ scope: 'other', kind: 'test', generate: () => 'ID-1' })), 'ID-1')
          await assert.rejects(store.transaction((tx) => tx.identifiers.reserve('s', 'ID-2', 'test')), { code: 'M2MSEC_STORE_CONFLICT' })
        })
      })
    })

    describeStoreKeyContract(make)
    describeStorePolicyContract(make)
    describeStoreAdminListContract(make)
  })
}
