// MAF Handshake resolution (TS-0003 8.8.2.2; 8.8.2.3 with 8.3.2.1 "Use of Remotely Provisioned
// Credential"; frameworks.md §9.4, §10.5, OQ-29): KmID → Km from the store; a KeID on first
// contact → Km fetched from the MEF once (single flight), stored sealed with the MEF's lifetime
// and EnroleeID, and reused without another MEF request afterwards.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SecretBytes, fromHex, toHex } from '../../../../src/core/index.js'
import { createMafPskResolver, mefKeIdOf } from '../../../../src/services/maf/peer-resolution.js'
import type { KmFetchOutcome } from '../../../../src/services/maf/mef-km-fetch.js'
import type { MafAuditEvent } from '../../../../src/services/maf/audit.js'
import { ALL_KEYS, DAY, KM_HEX, KM_REMOTE_HEX, MAF_FQDN, MEF_FQDN, addKmClient, assertNoKeyOnDisk, auditEvents, openTestMaf, type TestMaf } from './maf-fixtures.js'

const KE_ID = '1C2B16403482987C93BA591954C8B67C@mef.example.com'
const DEVICE = '//sp.example.com/Sdevice01'

function resolverFor(maf: TestMaf, answer: () => Promise<KmFetchOutcome>) {
  const calls: string[] = []
  const refusals: MafAuditEvent[] = []
  const resolve = createMafPskResolver({
    store: maf.store, fqdn: MAF_FQDN, now: () => maf.now, auditLink: maf.deps.auditLink, onRefusal: (e) => refusals.push(e),
    mef: { fqdn: MEF_FQDN, fetch: async (keId) => (calls.push(keId), answer()) },
  })
  return { resolve: (id: string, sni = MAF_FQDN) => resolve(id, sni, new AbortController().signal), calls, refusals }
}

function granted(maf: TestMaf, lifetimeMs = 10 * DAY): () => Promise<KmFetchOutcome> {
  return async () => {
    await new Promise((r) => setTimeout(r, 20))
    return { ok: true, km: new SecretBytes(fromHex(KM_REMOTE_HEX)), enroleeId: DEVICE, expiresAt: new Date(maf.now.getTime() + lifetimeMs) }
  }
}

test('a KmID resolves to its Km and Client ID without any MEF request', async (t) => {
  const maf = await openTestMaf(t)
  await addKmClient(maf, 'km-a@maf.example.com', DEVICE)
  const r = resolverFor(maf, granted(maf))
  const res = await r.resolve('km-a@maf.example.com')
  assert.equal(toHex(res?.key.reveal() ?? new Uint8Array()), KM_HEX)
  assert.equal(res?.binding.clientId, DEVICE)
  assert.equal(res?.binding.credential, 'km-id')
  assert.equal(r.calls.length, 0)
})

test('concurrent first contacts with one KeID make exactly one MEF fetch; the Km is stored sealed and reused (OQ-29, seed 000)', async (t) => {
  const maf = await openTestMaf(t)
  const r = resolverFor(maf, granted(maf))
  const [x, y, z] = await Promise.all([r.resolve(KE_ID), r.resolve(KE_ID), r.resolve(KE_ID.toLowerCase())])
  assert.deepEqual(r.calls, [KE_ID])
  for (const res of [x, y, z]) {
    assert.equal(toHex(res?.key.reveal() ?? new Uint8Array()), KM_REMOTE_HEX)
    assert.equal(res?.binding.credential, 'ke-id')
    assert.equal(res?.binding.clientId, DEVICE)
  }
  const again = await r.resolve(KE_ID)
  assert.equal(r.calls.length, 1, 'second contact: no MEF request')
  assert.equal(toHex(again?.key.reveal() ?? new Uint8Array()), KM_REMOTE_HEX)
  const lookup = await maf.store.reader.findPskByIdentity('maf', KE_ID, maf.now)
  assert.ok(lookup.ok)
  assert.equal(lookup.credential.suid, 21)
  assert.equal(lookup.credential.expiresAt?.getTime(), maf.now.getTime() + 10 * DAY)
  assert.ok((await auditEvents(maf)).some((e) => e.action === 'maf.km-fetch' && e.outcome === 'ok'))
  assertNoKeyOnDisk(maf, ALL_KEYS)
})

test('a KeID the MEF refuses (4004 / 4103) fails the handshake as unknown, audited with the reason', async (t) => {
  const maf = await openTestMaf(t)
  for (const [rsc, refusal, reason] of [[4004, 'unknown-ke-id', 'unknown-ke-id'], [4103, 'not-authorised', 'not-authorised']] as const) {
    const r = resolverFor(maf, () => Promise.resolve({ ok: false, refusal, rsc }))
    assert.equal(await r.resolve(KE_ID), null)
    assert.equal(r.refusals.at(-1)?.outcome, `refused:${reason}`)
  }
  const missing = await maf.store.reader.findPskByIdentity('maf', KE_ID, maf.now)
  assert.equal(missing.ok, false)
})

test('a Km whose MEF lifetime is already over, or not 32 bytes, is not stored', async (t) => {
  const maf = await openTestMaf(t)
  const over = resolverFor(maf, granted(maf, 0))
  assert.equal(await over.resolve(KE_ID), null)
  assert.equal(over.refusals.at(-1)?.outcome, 'refused:lifetime-over')
  const short = resolverFor(maf, () => Promise.resolve({ ok: true, km: new SecretBytes(new Uint8Array(16)), enroleeId: DEVICE, expiresAt: new Date(maf.now.getTime() + DAY) }))
  assert.equal(await short.resolve(KE_ID), null)
  assert.equal(short.refusals.at(-1)?.outcome, 'refused:bad-key-length')
})

test('a MEF that cannot answer makes the resolver throw (internal_error alert), and the next contact asks again', async (t) => {
  const maf = await openTestMaf(t)
  let fail = true
  const r = resolverFor(maf, async () => {
    if (fail) throw new Error('MEF down')
    return granted(maf)()
  })
  await assert.rejects(r.resolve(KE_ID), /MEF down/)
  fail = false
  assert.ok(await r.resolve(KE_ID))
  assert.equal(r.calls.length, 2)
})

test('an identity for another MEF, an unknown KmID, a wrong SNI and an expired KeID row are refused without a fetch', async (t) => {
  const maf = await openTestMaf(t)
  const r = resolverFor(maf, granted(maf, DAY))
  assert.equal(await r.resolve('1C2B16403482987C93BA591954C8B67C@other-mef.example.com'), null)
  assert.equal(await r.resolve('km-unknown@maf.example.com'), null)
  assert.equal(await r.resolve(KE_ID, 'other.example.com'), null)
  assert.equal(r.refusals.at(-1)?.outcome, 'refused:wrong-sni')
  assert.equal(r.calls.length, 0)
  await r.resolve(KE_ID)
  maf.now = new Date(maf.now.getTime() + DAY)
  assert.equal(await r.resolve(KE_ID), null)
  assert.equal(r.refusals.at(-1)?.outcome, 'refused:expired')
  assert.equal(r.calls.length, 1)
})

test('mefKeIdOf accepts only KeIDs of the configured MEF (hex normalised upper-case, OQ-2)', () => {
  assert.equal(mefKeIdOf(KE_ID.toLowerCase().replace('@MEF', '@mef'), MEF_FQDN), KE_ID)
  assert.equal(mefKeIdOf(KE_ID, undefined), undefined)
  assert.equal(mefKeIdOf('not-a-ke-id', MEF_FQDN), undefined)
  assert.equal(mefKeIdOf('1C2B@mef.example.com', MEF_FQDN), undefined)
})
