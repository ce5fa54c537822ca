import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SecretBytes, fromHex, toHex } from '../../../../../src/core/index.js'
import { createPskSaef } from '../../../../../src/services/gateway/saef/psk.js'
import type { KeyFetchOutcome } from '../../../../../src/services/gateway/saef/index.js'
import { FETCHED_HEX, KPSA_HEX, addKpsa, never, openTestStore } from '../gateway-fixtures.js'
import { describeSaefContract } from './saef-contract.js'

const KPSA_ID = 'dev-1@psk.example.com'
const MEF = 'mef.example.com'
const KE_ID = `0123456789ABCDEF0123456789ABCDEF@${MEF}`

describeSaefContract('psk', async (t) => {
  const s = await openTestStore(t)
  await addKpsa(s, KPSA_ID)
  return {
    saef: createPskSaef({ store: s.store, now: () => s.now }, {}),
    known: { kind: 'psk', identity: KPSA_ID }, unknown: { kind: 'psk', identity: 'other@psk.example.com' },
    foreign: { kind: 'certificate', sans: [], chain: [] }, keyHex: KPSA_HEX,
  }
})

test('PSK SAEF (TS-0003 8.2.2.1): the Credential-ID is 12-<KpsaID> and the configured AE-ID binds the context', async (t) => {
  const s = await openTestStore(t)
  await addKpsa(s, KPSA_ID, { bound: { kind: 'ae', ids: ['//m2m.example.com/Sdev1'] } })
  const outcome = await createPskSaef({ store: s.store, now: () => s.now }, {}).resolve({ kind: 'psk', identity: KPSA_ID }, never())
  assert.ok(outcome.ok)
  assert.equal(outcome.context.credentialId, `12-${KPSA_ID}`)
  assert.deepEqual(outcome.context.boundTo, { kind: 'ae', ids: ['//m2m.example.com/Sdev1'] })
})

test('PSK SAEF: an expired local Kpsa is refused as expired (OQ-28)', async (t) => {
  const s = await openTestStore(t)
  await addKpsa(s, KPSA_ID, { expiresAt: new Date(s.now.getTime() + 1000) })
  s.now = new Date(s.now.getTime() + 1000)
  const outcome = await createPskSaef({ store: s.store, now: () => s.now }, {}).resolve({ kind: 'psk', identity: KPSA_ID }, never())
  assert.deepEqual(outcome, { ok: false, refusal: 'expired' })
})

test('PSK SAEF (TS-0003 8.3.2.1 fetchCredentials, SUID 22): concurrent first contacts of a KeID share one MEF fetch, the Kpsa is kept until its lifetime', async (t) => {
  const s = await openTestStore(t)
  let calls = 0
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  const fetchKpsa = async (keId: string): Promise<KeyFetchOutcome> => {
    calls++
    assert.equal(keId, KE_ID)
    await gate
    return { ok: true, key: new SecretBytes(fromHex(FETCHED_HEX)), ownerId: '//m2m.example.com/Sdev7', expiresAt: new Date(s.now.getTime() + 60_000) }
  }
  const saef = createPskSaef({ store: s.store, now: () => s.now, fetchKpsa }, { mefFqdn: MEF })
  const pending = [saef.resolve({ kind: 'psk', identity: KE_ID }, never()), saef.resolve({ kind: 'psk', identity: KE_ID }, never())]
  release()
  const outcomes = await Promise.all(pending)
  assert.equal(calls, 1)
  for (const o of outcomes) {
    assert.ok(o.ok)
    assert.equal(toHex(o.key!.reveal()), FETCHED_HEX)
    assert.deepEqual(o.context.boundTo, { kind: 'ae', ids: ['//m2m.example.com/Sdev7'] })
    assert.equal(o.context.credentialId, `12-${KE_ID}`)
  }
  assert.ok((await saef.resolve({ kind: 'psk', identity: KE_ID }, never())).ok)
  assert.equal(calls, 1, 'served from the store')
  s.now = new Date(s.now.getTime() + 60_000)
  assert.deepEqual(await saef.resolve({ kind: 'psk', identity: KE_ID }, never()), { ok: false, refusal: 'expired' })
})

test('PSK SAEF: an MEF refusal (4004) fails like an unknown identity; a KeID of another MEF is never fetched', async (t) => {
  const s = await openTestStore(t)
  let calls = 0
  const fetchKpsa = async (): Promise<KeyFetchOutcome> => {
    calls++
    return { ok: false, rsc: 4004 }
  }
  const saef = createPskSaef({ store: s.store, now: () => s.now, fetchKpsa }, { mefFqdn: MEF })
  const refused = await saef.resolve({ kind: 'psk', identity: KE_ID }, never())
  assert.equal(refused.ok, false)
  assert.equal(!refused.ok && refused.refusal, 'unknown-identity')
  assert.deepEqual(await saef.resolve({ kind: 'psk', identity: '0123456789ABCDEF0123456789ABCDEF@other.example.com' }, never()), { ok: false, refusal: 'unknown-identity' })
  assert.equal(calls, 1)
})

test('PSK SAEF: mefFqdn without a MEF link is a configuration error', () => {
  assert.throws(() => createPskSaef({ store: {} as never, now: () => new Date() }, { mefFqdn: MEF }), { code: 'M2MSEC_GATEWAY_CONFIG_INVALID' })
})
