/**
 * Store contract, the "list all" reads of the admin API (issue 8): client registrations, key
 * registrations and PSK credentials, each in key order with an after-cursor and a limit, expired
 * and revoked rows included, metadata only — no key in any listed row.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { StoreTx } from '../../src/store/index.js'
import type { MakeTarget } from '../support/store-contract-target.js'
import { at, HOUR, key, T0, withStore } from '../support/store-contract-fixtures.js'

function registerClient(tx: StoreTx, issuer: 'mef' | 'maf', clientId: string) {
  return tx.clientRegistrations.create({
    issuer, serverFqdn: `${issuer}.example.com`, clientId, credentialId: `10-${clientId}`, adminFqdn: 'sp.example.com', labels: [], expiresAt: at(HOUR),
  })
}

function registerKey(tx: StoreTx, issuerFqdn: string, relativeKeyId: string, expiresAt = at(HOUR)) {
  return tx.keyRegistrations.create({
    issuer: 'maf', issuerFqdn, relativeKeyId, key: key(9), suid: 32, sourceClientId: 'c', targetIds: [], labels: [], adminFqdn: 'sp.example.com', expiresAt,
  })
}

function hasNoKey(rows: readonly object[]): boolean {
  return rows.every((r) => !('key' in r))
}

export function describeStoreAdminListContract(make: MakeTarget): void {
  describe('admin listings', () => {
    it('client registrations: all in regId order, by issuer, paged after a regId, expired included', async () => {
      await withStore(make, async ({ store }) => {
        const regs = await store.transaction(async (tx) => [
          await registerClient(tx, 'maf', 'c1'), await registerClient(tx, 'mef', 'c2'), await registerClient(tx, 'maf', 'c3'),
        ])
        const ids = regs.map((r) => r.regId).sort()
        const all = await store.transaction((tx) => tx.clientRegistrations.list())
        assert.deepEqual(all.map((r) => r.regId), ids)
        assert.ok(hasNoKey(all))
        const maf = await store.transaction((tx) => tx.clientRegistrations.list({ issuer: 'maf' }))
        assert.deepEqual(maf.map((r) => r.clientId).sort(), ['c1', 'c3'])
        const first = await store.transaction((tx) => tx.clientRegistrations.list({ limit: 2 }))
        const rest = await store.transaction((tx) => tx.clientRegistrations.list({ afterRegId: first.at(-1)?.regId ?? '' }))
        assert.deepEqual([...first, ...rest].map((r) => r.regId), ids)
        assert.equal(await store.transaction((tx) => tx.clientRegistrations.get(ids[0] ?? '', at(2 * HOUR))), undefined, 'expired for get')
        assert.equal((await store.transaction((tx) => tx.clientRegistrations.list())).length, 3, '… still listed')
      })
    })

    it('key registrations: (issuer FQDN, RelativeKeyID) order across issuers, by issuer, paged, described without the key', async () => {
      await withStore(make, async ({ store }) => {
        await store.transaction(async (tx) => {
          await registerKey(tx, 'b.example.com', '0A'.repeat(16))
          await registerKey(tx, 'a.example.com', '0C'.repeat(16))
          await registerKey(tx, 'a.example.com', '0B'.repeat(16), at(-HOUR))
        })
        const names = (rows: readonly { issuerFqdn: string; relativeKeyId: string }[]) => rows.map((r) => `${r.relativeKeyId.slice(0, 2)}@${r.issuerFqdn}`)
        const all = await store.transaction((tx) => tx.keyRegistrations.list())
        assert.deepEqual(names(all), ['0B@a.example.com', '0C@a.example.com', '0A@b.example.com'])
        assert.ok(hasNoKey(all))
        assert.deepEqual(names(await store.transaction((tx) => tx.keyRegistrations.list({ issuerFqdn: 'A.example.com' }))), ['0B@a.example.com', '0C@a.example.com'])
        const after = await store.transaction((tx) => tx.keyRegistrations.list({ after: { issuerFqdn: 'a.example.com', relativeKeyId: '0C'.repeat(16) }, limit: 5 }))
        assert.deepEqual(names(after), ['0A@b.example.com'])
        assert.equal((await store.transaction((tx) => tx.keyRegistrations.list({ limit: 1 }))).length, 1)
        const described = await store.transaction((tx) => tx.keyRegistrations.describe('a.example.com', '0b'.repeat(16)))
        assert.equal(described?.keyIdentifier, `${'0B'.repeat(16)}@a.example.com`, 'expired rows are described too')
        assert.ok(described !== undefined && hasNoKey([described]))
        assert.equal(await store.transaction((tx) => tx.keyRegistrations.describe('a.example.com', 'FF')), undefined)
      })
    })

    it('psk credentials: one usage in identity order, by identity, paged, with revocation time and no key', async () => {
      await withStore(make, async ({ store }) => {
        await store.transaction(async (tx) => {
          for (const id of ['k3@sp', 'k1@sp', 'k2@sp']) await tx.pskCredentials.put({ usage: 'saef', identity: id, key: key(3), owner: { kind: 'configured', ref: id } })
          await tx.pskCredentials.put({ usage: 'mef', identity: 'k0@sp', key: key(4), owner: { kind: 'enrolee', ref: 'e' } })
          await tx.pskCredentials.revokeByOwner('configured', 'k2@sp', T0)
        })
        const all = await store.transaction((tx) => tx.pskCredentials.list('saef'))
        assert.deepEqual(all.map((r) => r.identity), ['k1@sp', 'k2@sp', 'k3@sp'])
        assert.ok(hasNoKey(all))
        assert.deepEqual(all.map((r) => r.revokedAt?.getTime()), [undefined, T0.getTime(), undefined])
        assert.deepEqual((await store.transaction((tx) => tx.pskCredentials.list('saef', { afterIdentity: 'k1@sp', limit: 1 }))).map((r) => r.identity), ['k2@sp'])
        assert.deepEqual((await store.transaction((tx) => tx.pskCredentials.list('saef', { identity: 'k3@sp' }))).map((r) => r.owner.ref), ['k3@sp'])
        assert.deepEqual((await store.transaction((tx) => tx.pskCredentials.list('mef'))).map((r) => r.identity), ['k0@sp'])
      })
    })
  })
}
