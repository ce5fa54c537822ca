/**
 * Store contract, key-holding aggregates: MEF/MAF client registrations, key registrations, PSK
 * credentials, CA state and service keys; the raw-storage scan for key bytes in clear; and
 * online re-sealing under a new KEK.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { StoreTx } from '../../src/store/index.js'
import type { MakeTarget } from '../support/store-contract-target.js'
import { findSecretForms } from '../support/store-contract-target.js'
import { addPskEnrolee, at, HOUR, key, T0, withStore } from '../support/store-contract-fixtures.js'

const MAF = 'maf.example.com'

function registerMafClient(tx: StoreTx, clientId: string, seed: number) {
  return tx.clientRegistrations.create({
    issuer: 'maf', serverFqdn: 'MAF.example.com', clientId, credentialId: `10-kpm${seed}@mef.example.com`,
    adminFqdn: 'sp.example.com', labels: ['site:berlin'], expiresAt: at(HOUR),
    assignedKey: { keyId: `KM${seed}@maf.example.com`, key: key(seed) },
  })
}

function registerKey(tx: StoreTx, relativeKeyId: string | undefined, seed: number, expiresAt = at(HOUR)) {
  return tx.keyRegistrations.create({
    issuer: 'maf', issuerFqdn: MAF, ...(relativeKeyId === undefined ? {} : { relativeKeyId }), key: key(seed), suid: 32,
    sourceClientId: '//sp.example.com/mn-cse1', targetIds: ['//sp.example.com/in-cse'], labels: [], adminFqdn: 'sp.example.com', expiresAt,
  })
}

export function describeStoreKeyContract(make: MakeTarget): void {
  describe('client registrations', () => {
    it('create with an assigned KmID that then opens the MAF Handshake; update, command, delete', async () => {
      await withStore(make, async ({ store }) => {
        const reg = await store.transaction((tx) => registerMafClient(tx, '//sp.example.com/mn-cse1', 3))
        assert.match(reg.regId, /^mcr[A-Z0-9]{16}$/)
        assert.equal(reg.serverFqdn, MAF)
        assert.deepEqual(reg.labels, ['site:berlin'])
        const psk = await store.reader.findPskByIdentity('maf', 'KM3@maf.example.com', T0)
        assert.ok(psk.ok && psk.credential.key.equals(key(3)))
        assert.deepEqual((await store.reader.findPskByIdentity('mef', 'KM3@maf.example.com', T0)).ok, false, 'usages are separate')

        const byClient = await store.transaction((tx) => tx.clientRegistrations.findByClient('maf', MAF, '//sp.example.com/mn-cse1', 'sp.example.com', T0))
        assert.equal(byClient?.regId, reg.regId)
        const updated = await store.transaction((tx) => tx.clientRegistrations.update(reg.regId, { expiresAt: at(2 * HOUR), labels: [], clientCfg: { krc: [] } }, T0))
        assert.deepEqual([updated.expiresAt.getTime(), updated.labels, updated.clientCfg], [at(2 * HOUR).getTime(), [], { krc: [] }])
        assert.equal((await store.reader.findPskByIdentity('maf', 'KM3@maf.example.com', at(HOUR + 1))).ok, true, 'key follows the registration expiry')

        await store.transaction((tx) => tx.clientRegistrations.setCommand(reg.regId, { cmdId: '1', description: { ccid: 0, cmag: { nmca: { rtdu: 'PT24H' } } }, status: 10 }))
        const withCmd = await store.transaction((tx) => tx.clientRegistrations.get(reg.regId, T0))
        assert.deepEqual(withCmd?.command, { cmdId: '1', description: { ccid: 0, cmag: { nmca: { rtdu: 'PT24H' } } }, status: 10 })

        assert.equal(await store.transaction((tx) => tx.clientRegistrations.get(reg.regId, at(2 * HOUR))), undefined, 'expired')
        await assert.rejects(store.transaction((tx) => tx.clientRegistrations.update(reg.regId, { labels: ['x'] }, at(3 * HOUR))), { code: 'M2MSEC_STORE_NOT_FOUND' })
        await store.transaction((tx) => tx.clientRegistrations.delete(reg.regId))
        assert.deepEqual(await store.reader.findPskByIdentity('maf', 'KM3@maf.example.com', T0), { ok: false, refusal: 'unknown-identity' })
      })
    })

    it('one registration per client and adminFQDN; a taken KmID conflicts', async () => {
      await withStore(make, async ({ store }) => {
        await store.transaction((tx) => registerMafClient(tx, '//sp.example.com/mn-cse1', 3))
        await assert.rejects(store.transaction((tx) => registerMafClient(tx, '//sp.example.com/mn-cse1', 4)), { code: 'M2MSEC_STORE_CONFLICT' })
        await assert.rejects(store.transaction((tx) => tx.clientRegistrations.create({
          issuer: 'maf', serverFqdn: MAF, clientId: 'other', credentialId: '10-x', adminFqdn: 'sp.example.com', labels: [],
          expiresAt: at(HOUR), assignedKey: { keyId: 'KM3@maf.example.com', key: key(9) },
        })), { code: 'M2MSEC_STORE_CONFLICT' })
        const mef = await store.transaction((tx) => tx.clientRegistrations.create({
          issuer: 'mef', serverFqdn: 'mef.example.com', clientId: '//sp.example.com/mn-cse1', credentialId: '10-kpm1@mef.example.com',
          adminFqdn: 'sp.example.com', labels: [], expiresAt: at(HOUR),
        }))
        assert.match(mef.regId, /^ecr[A-Z0-9]{16}$/)
        assert.equal(await store.transaction((tx) => tx.clientRegistrations.deleteExpired(at(HOUR))), 2)
      })
    })
  })

  describe('key registrations', () => {
    it('allocate a RelativeKeyID, read with its key, update, and hide it once expired', async () => {
      await withStore(make, async ({ store }) => {
        const reg = await store.transaction((tx) => registerKey(tx, undefined, 5))
        assert.match(reg.relativeKeyId, /^[0-9A-F]{32}$/)
        assert.equal(reg.keyIdentifier, `${reg.relativeKeyId}@${MAF}`)
        const found = await store.reader.findKeyRegistration('MAF.EXAMPLE.COM', reg.relativeKeyId.toLowerCase(), T0)
        assert.ok(found?.key.equals(key(5)))
        assert.deepEqual(found?.targetIds, ['//sp.example.com/in-cse'])
        const updated = await store.transaction((tx) => tx.keyRegistrations.update(MAF, reg.relativeKeyId, { targetIds: ['//a', '//b'], labels: ['l'] }, T0))
        assert.deepEqual([updated.targetIds, updated.labels], [['//a', '//b'], ['l']])
        assert.equal(await store.reader.findKeyRegistration(MAF, reg.relativeKeyId, at(HOUR)), undefined)
        assert.equal((await store.transaction((tx) => tx.keyRegistrations.listBySource(MAF, '//sp.example.com/mn-cse1', T0))).length, 1)
        await store.transaction((tx) => tx.keyRegistrations.delete(MAF, reg.relativeKeyId))
        await assert.rejects(store.transaction((tx) => tx.keyRegistrations.delete(MAF, reg.relativeKeyId)), { code: 'M2MSEC_STORE_NOT_FOUND' })
      })
    })

    it('an exported RelativeKeyID is unique per FQDN and shares the namespace of RelativeKeIDs (OQ-35)', async () => {
      await withStore(make, async ({ store }) => {
        const kc = '9f1c'.repeat(8)
        const reg = await store.transaction((tx) => registerKey(tx, kc, 6))
        assert.equal(reg.relativeKeyId, kc.toUpperCase())
        await assert.rejects(store.transaction((tx) => registerKey(tx, kc.toUpperCase(), 7)), { code: 'M2MSEC_STORE_CONFLICT' })
        const other = await store.transaction((tx) => tx.keyRegistrations.create({
          issuer: 'mef', issuerFqdn: 'mef.example.com', relativeKeyId: kc, key: key(8), suid: 22, sourceClientId: 'c', targetIds: [], labels: [], adminFqdn: 'sp', expiresAt: at(HOUR),
        }))
        assert.equal(other.keyIdentifier, `${kc.toUpperCase()}@mef.example.com`, 'another FQDN is another namespace')
        const e = await store.transaction((tx) => addPskEnrolee(tx, 'kpm1@mef.example.com', 1))
        await assert.rejects(store.transaction((tx) => tx.enrolments.create({ keId: `${kc}@mef.example.com`, enroleeRef: e.enroleeRef, ke: key(1), expiresAt: at(HOUR) })),
          { code: 'M2MSEC_STORE_CONFLICT' })
        assert.equal(await store.transaction((tx) => tx.keyRegistrations.deleteExpired(at(HOUR))), 2)
      })
    })
  })

  describe('psk credentials', () => {
    it('a configured Kpsa resolves with its binding until it expires', async () => {
      await withStore(make, async ({ store }) => {
        await store.transaction((tx) => tx.pskCredentials.put({
          usage: 'saef', identity: 'kpsa42@sp.example.com', key: key(42), owner: { kind: 'configured', ref: 'admin' },
          boundEntity: { kind: 'ae', ids: ['//sp.example.com/Cdev1', '//sp.example.com/Cdev2'] }, credentialId: '12-kpsa42@sp.example.com', suid: 12, expiresAt: at(HOUR),
        }))
        const found = await store.reader.findPskByIdentity('saef', 'kpsa42@sp.example.com', T0)
        assert.ok(found.ok)
        assert.deepEqual(found.credential.boundEntity, { kind: 'ae', ids: ['//sp.example.com/Cdev1', '//sp.example.com/Cdev2'] })
        assert.equal(found.credential.suid, 12)
        assert.deepEqual(await store.reader.findPskByIdentity('saef', 'kpsa42@sp.example.com', at(HOUR)), { ok: false, refusal: 'expired' })
        await assert.rejects(store.transaction((tx) => tx.pskCredentials.put({ usage: 'saef', identity: 'kpsa42@sp.example.com', key: key(1), owner: { kind: 'configured', ref: 'x' } })),
          { code: 'M2MSEC_STORE_CONFLICT' })
        assert.equal(await store.transaction((tx) => tx.pskCredentials.deleteExpired(at(HOUR))), 1)
        await assert.rejects(store.transaction((tx) => tx.pskCredentials.delete('saef', 'kpsa42@sp.example.com')), { code: 'M2MSEC_STORE_NOT_FOUND' })
      })
    })
  })

  describe('CA state and service keys', () => {
    it('serials never repeat; issued certificates are unique and revocable; keys round-trip sealed', async () => {
      await withStore(make, async ({ store }) => {
        await store.transaction((tx) => tx.ca.createCa({ caId: 'mef-ca', certPem: 'PEM', key: key(11) }))
        await assert.rejects(store.transaction((tx) => tx.ca.createCa({ caId: 'mef-ca', certPem: 'PEM', key: key(12) })), { code: 'M2MSEC_STORE_CONFLICT' })
        assert.ok((await store.transaction((tx) => tx.ca.getCa('mef-ca')))?.key.equals(key(11)))
        const serials = await Promise.all([1, 2, 3, 4].map(() => store.transaction((tx) => tx.ca.nextSerial('mef-ca'))))
        assert.deepEqual([...serials].sort(), [1n, 2n, 3n, 4n])
        await assert.rejects(store.transaction((tx) => tx.ca.nextSerial('nope')), { code: 'M2MSEC_STORE_NOT_FOUND' })
        const cert = { caId: 'mef-ca', serial: '0a', subject: 'CN=dev1', fingerprint: 'ab'.repeat(32), certPem: 'PEM1', notBefore: T0, notAfter: at(HOUR) }
        await store.transaction((tx) => tx.ca.recordIssued(cert))
        await assert.rejects(store.transaction((tx) => tx.ca.recordIssued({ ...cert, fingerprint: 'cd'.repeat(32) })), { code: 'M2MSEC_STORE_CONFLICT' })
        await assert.rejects(store.transaction((tx) => tx.ca.recordIssued({ ...cert, serial: '0b' })), { code: 'M2MSEC_STORE_CONFLICT' })
        await assert.rejects(store.transaction((tx) => tx.ca.recordIssued({ ...cert, caId: 'nope', serial: '0c', fingerprint: 'ef'.repeat(32) })), { code: 'M2MSEC_STORE_NOT_FOUND' })
        await store.transaction((tx) => tx.ca.revoke('mef-ca', '0A', 1, at(5)))
        const revoked = await store.transaction((tx) => tx.ca.listRevoked('mef-ca'))
        assert.deepEqual(revoked.map((r) => [r.serial, r.revocationReason, r.revokedAt?.getTime()]), [['0A', 1, at(5).getTime()]])
        assert.equal((await store.transaction((tx) => tx.ca.findByFingerprint('AB'.repeat(32))))?.serial, '0A')

        await store.transaction((tx) => tx.serviceKeys.create('kms-ksak', key(13), '04ABCD'))
        const ksak = await store.transaction((tx) => tx.serviceKeys.get('kms-ksak'))
        assert.ok(ksak?.key.equals(key(13)))
        assert.equal(ksak?.publicInfo, '04ABCD')
        await store.transaction((tx) => tx.serviceKeys.delete('kms-ksak'))
        await assert.rejects(store.transaction((tx) => tx.serviceKeys.delete('kms-ksak')), { code: 'M2MSEC_STORE_NOT_FOUND' })
      })
    })
  })

  describe('sealing at rest', () => {
    async function storeEveryKind(tx: StoreTx): Promise<void> {
      const e = await addPskEnrolee(tx, 'kpm-scan@mef.example.com', 101)
      await tx.enrolments.create({ keId: 'FE'.repeat(16) + '@mef.example.com', enroleeRef: e.enroleeRef, ke: key(102), expiresAt: at(HOUR) })
      await registerMafClient(tx, '//sp.example.com/scan', 103)
      await registerKey(tx, undefined, 104)
      await tx.ca.createCa({ caId: 'scan-ca', certPem: 'PEM', key: key(105) })
      await tx.serviceKeys.create('scan-key', key(106))
    }
    const SEEDS = [101, 102, 103, 104, 105, 106]

    it('no stored key appears in clear in the database files or rows (raw, hex, base64)', async () => {
      await withStore(make, async ({ store, target }) => {
        await store.transaction(storeEveryKind)
        const raw = await target.rawBytes()
        assert.ok(raw.length > 0 && raw.some((b) => b.includes(Buffer.from('kpm-scan@mef.example.com'))), 'the scan sees the stored rows')
        for (const seed of SEEDS) assert.deepEqual(findSecretForms(raw, key(seed).reveal()), [], `key ${seed} found in clear`)
      })
    })

    it('sealedColumns lists every sealed value once with its context and writes back by context', async () => {
      await withStore(make, async ({ store, sealer, target }) => {
        await store.transaction(storeEveryKind)
        const rotated = sealer.rotate('test-kek-3')
        await store.transaction(async (tx) => {
          const entries = []
          for await (const entry of tx.sealedColumns.listSealed(2)) entries.push(entry)
          // Kpm and the MAF client's Km (psk_credentials), Ke, the registered key, the CA key, the service key.
          assert.deepEqual(entries.map((e) => e.context.table).sort(),
            ['cas', 'enrolments', 'key_registrations', 'psk_credentials', 'psk_credentials', 'service_keys'])
          for (const e of entries) {
            const secret = sealer.open(e.blob, e.context)
            await tx.sealedColumns.replaceSealed(e.context, rotated.seal(secret, e.context))
          }
          await assert.rejects(tx.sealedColumns.replaceSealed({ table: 'enrolments', recordId: 'nope@x', purpose: 'ke' }, new Uint8Array(1)),
            { code: 'M2MSEC_STORE_NOT_FOUND' })
          await assert.rejects(tx.sealedColumns.replaceSealed({ table: 'no_such_table', recordId: 'x', purpose: 'y' }, new Uint8Array(1)),
            { code: 'M2MSEC_STORE_NOT_FOUND' })
        })
        const next = await target.open({ sealer: rotated })
        try {
          assert.equal(await next.resealAll(), 0, 'everything is under the new KEK already')
          assert.ok((await next.reader.findEnrolment('FE'.repeat(16) + '@mef.example.com', T0))?.ke.equals(key(102)))
          const km = await next.reader.findPskByIdentity('maf', 'KM103@maf.example.com', T0)
          assert.ok(km.ok && km.credential.key.equals(key(103)))
        } finally {
          await next.close()
        }
      })
    })

    it('resealAll moves every secret to the new KEK online and all keys still open', async () => {
      await withStore(make, async ({ store, target, sealer }) => {
        await store.transaction(storeEveryKind)
        const rotated = sealer.rotate('test-kek-2')
        const next = await target.open({ sealer: rotated })
        try {
          assert.equal(await next.resealAll({ batchSize: 2 }), SEEDS.length)
          assert.equal(await next.resealAll(), 0, 'a second run has nothing left to do')
          const psk = await next.reader.findPskByIdentity('mef', 'kpm-scan@mef.example.com', T0)
          assert.ok(psk.ok && psk.credential.key.equals(key(101)))
          assert.ok((await next.reader.findEnrolment('FE'.repeat(16) + '@mef.example.com', T0))?.ke.equals(key(102)))
          assert.ok((await next.transaction((tx) => tx.serviceKeys.get('scan-key')))?.key.equals(key(106)))
        } finally {
          await next.close()
        }
      })
    })
  })
}
