/**
 * Store contract, policy and audit aggregates: identity bindings, service subscription rules,
 * and the append-only audit rows with their chain columns.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { MakeTarget } from '../support/store-contract-target.js'
import { at, HOUR, T0, withStore } from '../support/store-contract-fixtures.js'
import { testAuditLinker } from '../support/store-audit-linker.js'

export function describeStorePolicyContract(make: MakeTarget): void {
  describe('identity bindings', () => {
    it('put, replace, expire and delete a Credential-ID binding', async () => {
      await withStore(make, async ({ store }) => {
        const id = '11-KM1@maf.example.com'
        await store.transaction((tx) => tx.identityBindings.put({ credentialId: id, entityKind: 'cse', entityIds: ['//sp.example.com/mn-cse1'], source: 'maf' }))
        assert.deepEqual((await store.reader.findIdentityBinding(id, T0))?.entityIds, ['//sp.example.com/mn-cse1'])
        await store.transaction((tx) => tx.identityBindings.put({ credentialId: id, entityKind: 'ae', entityIds: ['//sp/C1', '//sp/C2'], source: 'configured', expiresAt: at(HOUR) }))
        const replaced = await store.reader.findIdentityBinding(id, T0)
        assert.deepEqual([replaced?.entityKind, replaced?.entityIds, replaced?.source], ['ae', ['//sp/C1', '//sp/C2'], 'configured'])
        assert.equal(await store.reader.findIdentityBinding(id, at(HOUR)), undefined)
        assert.equal((await store.transaction((tx) => tx.identityBindings.list())).length, 1)
        await store.transaction((tx) => tx.identityBindings.delete(id))
        await assert.rejects(store.transaction((tx) => tx.identityBindings.delete(id)), { code: 'M2MSEC_STORE_NOT_FOUND' })
      })
    })
  })

  describe('service subscription rules', () => {
    it('keep every pattern list, including an absent applicableCredIDs', async () => {
      await withStore(make, async ({ store }) => {
        await store.transaction(async (tx) => {
          await tx.appRules.put({ ruleId: 'r1', applicableCredIds: ['12-*@sp.example.com'], allowedAppIds: ['Napp*'], allowedAes: ['C*'], allowedRoleIds: [] })
          await tx.appRules.put({ ruleId: 'r0', allowedAppIds: ['*'], allowedAes: ['S*'], allowedRoleIds: ['role1'] })
        })
        const rules = await store.reader.listAppRules()
        assert.deepEqual(rules.map((r) => [r.ruleId, r.applicableCredIds, r.allowedAppIds, r.allowedAes, r.allowedRoleIds]), [
          ['r0', undefined, ['*'], ['S*'], ['role1']],
          ['r1', ['12-*@sp.example.com'], ['Napp*'], ['C*'], []],
        ])
        await store.transaction((tx) => tx.appRules.put({ ruleId: 'r1', applicableCredIds: ['*'], allowedAppIds: ['R1'], allowedAes: ['Cx'], allowedRoleIds: [] }))
        assert.deepEqual((await store.transaction((tx) => tx.appRules.get('r1')))?.allowedAes, ['Cx'])
        await store.transaction((tx) => tx.appRules.delete('r0'))
        await assert.rejects(store.transaction((tx) => tx.appRules.delete('r0')), { code: 'M2MSEC_STORE_NOT_FOUND' })
      })
    })
  })

  describe('audit events', () => {
    it('concurrent appends get gap-free sequence numbers and each links to the hash before it', async () => {
      await withStore(make, async ({ store }) => {
        await Promise.all(Array.from({ length: 12 }, (_, i) => store.transaction((tx) =>
          tx.audit.append({ actor: `actor${i}`, action: 'enrol', subject: { keId: `K${i}` }, outcome: 'ok' }, testAuditLinker))))
        const events = await store.transaction((tx) => tx.audit.list())
        assert.deepEqual(events.map((e) => e.seq), Array.from({ length: 12 }, (_, i) => i + 1))
        let prev = ''
        for (const e of events) {
          assert.equal(e.prevHash, prev, `event ${e.seq} links to its predecessor`)
          assert.equal(e.hash, testAuditLinker(prev, e), `event ${e.seq} hash recomputes from the stored row`)
          prev = e.hash
        }
        const head = await store.transaction((tx) => tx.audit.head())
        assert.deepEqual(head, { lastSeq: 12, lastHash: prev })
        assert.deepEqual((await store.transaction((tx) => tx.audit.list({ afterSeq: 10 }))).map((e) => e.seq), [11, 12])
      })
    })

    it('an append in a rolled-back transaction leaves neither event nor head change', async () => {
      await withStore(make, async ({ store }) => {
        await store.transaction((tx) => tx.audit.append({ actor: 'a', action: 'x', subject: {}, outcome: 'ok', at: at(1) }, testAuditLinker))
        const before = await store.transaction((tx) => tx.audit.head())
        await assert.rejects(store.transaction(async (tx) => {
          await tx.audit.append({ actor: 'b', action: 'y', subject: {}, outcome: 'ok' }, testAuditLinker)
          throw new Error('abort')
        }), /abort/)
        assert.deepEqual(await store.transaction((tx) => tx.audit.head()), before)
        assert.equal((await store.transaction((tx) => tx.audit.list())).length, 1)
      })
    })
  })
}
