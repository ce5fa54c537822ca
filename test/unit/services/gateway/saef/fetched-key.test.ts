// Lifetimes of the keys and certificates a gateway association rests on (issue 7): a key fetched
// from the MEF or MAF is used at most `fetchedKeyMaxAgeMs` before it is fetched again (D-191),
// the context says when it stops (the live session's timer), the PSK/MAF recheck reports a revoked
// or removed row, and a certificate context ends at the chain's earliest notAfter (D-190).
import 'reflect-metadata'
import assert from 'node:assert/strict'
import { webcrypto } from 'node:crypto'
import { test } from 'node:test'
import * as x509 from '@peculiar/x509'
import { SecretBytes, fromHex } from '../../../../../src/core/index.js'
import { chainNotAfter, createCertificateSaef } from '../../../../../src/services/gateway/saef/certificate.js'
import { usableUntil } from '../../../../../src/services/gateway/saef/fetched-key.js'
import { createMafSaef } from '../../../../../src/services/gateway/saef/maf.js'
import { createPskSaef } from '../../../../../src/services/gateway/saef/psk.js'
import type { KeyFetchOutcome } from '../../../../../src/services/gateway/saef/index.js'
import { FETCHED_HEX, KC_HEX, never, openTestStore } from '../gateway-fixtures.js'

x509.cryptoProvider.set(webcrypto as never)

const MEF = 'mef.example.com'
const KE_ID = `0123456789ABCDEF0123456789ABCDEF@${MEF}`
const MAF = 'maf.example.com'
const KEY_ID = `00112233445566778899AABBCCDDEEFF@${MAF}`
const MINUTE = 60_000

test('D-191: a Kpsa fetched from the MEF is used until the cap, then dropped and fetched again; the context ends at the cap', async (t) => {
  const s = await openTestStore(t)
  let fetches = 0
  const fetchKpsa = async (): Promise<KeyFetchOutcome> => {
    fetches++
    return { ok: true, key: new SecretBytes(fromHex(FETCHED_HEX)), ownerId: '//m2m.example.com/Sdev7', expiresAt: new Date(s.now.getTime() + 60 * MINUTE) }
  }
  const saef = createPskSaef({ store: s.store, now: () => s.now, fetchKpsa, fetchedKeyMaxAgeMs: 10 * MINUTE }, { mefFqdn: MEF })
  const first = await saef.resolve({ kind: 'psk', identity: KE_ID }, never())
  assert.ok(first.ok)
  assert.equal(first.context.expiresAt?.getTime(), s.now.getTime() + 10 * MINUTE, 'the cap, not the 60 min the MEF gave')
  const fetchedAt = s.now.getTime()
  s.now = new Date(fetchedAt + 10 * MINUTE - 1)
  assert.ok((await saef.resolve({ kind: 'psk', identity: KE_ID }, never())).ok)
  assert.equal(fetches, 1, 'cached inside the cap')
  s.now = new Date(fetchedAt + 10 * MINUTE)
  const again = await saef.resolve({ kind: 'psk', identity: KE_ID }, never())
  assert.ok(again.ok)
  assert.equal(fetches, 2, 'at the cap the MEF is asked again')
  assert.equal(again.context.expiresAt?.getTime(), s.now.getTime() + 10 * MINUTE)
})

test('D-191: a MEF lifetime shorter than the cap stays the limit; a configured Kpsa is never capped', () => {
  const createdAt = new Date(Date.UTC(2026, 0, 15))
  const soon = new Date(createdAt.getTime() + MINUTE)
  assert.equal(usableUntil({ owner: { kind: 'retrieved', ref: KE_ID }, createdAt, expiresAt: soon }, 10 * MINUTE), soon)
  assert.equal(usableUntil({ owner: { kind: 'configured', ref: 'a@psk.example.com' }, createdAt }, 10 * MINUTE), undefined)
  assert.equal(usableUntil({ owner: { kind: 'retrieved', ref: KE_ID }, createdAt }, undefined), undefined)
  assert.equal(usableUntil({ owner: { kind: 'retrieved', ref: KE_ID }, createdAt }, 10 * MINUTE)?.getTime(), createdAt.getTime() + 10 * MINUTE)
})

test('D-191: a Kc past the cap is retrieved from the MAF again; past its MAF lifetime it is refused as expired (§7.2 step 6)', async (t) => {
  const s = await openTestStore(t)
  let retrievals = 0
  const start = s.now.getTime()
  const retrieveKc = async (): Promise<KeyFetchOutcome> => {
    retrievals++
    return { ok: true, key: new SecretBytes(fromHex(KC_HEX)), ownerId: '//m2m.example.com/Sdev8', expiresAt: new Date(start + 25 * MINUTE), suid: 32 }
  }
  const saef = createMafSaef({ store: s.store, now: () => s.now, retrieveKc, fetchedKeyMaxAgeMs: 10 * MINUTE }, { mafFqdns: [MAF] })
  assert.ok((await saef.resolve({ kind: 'psk', identity: KEY_ID }, never())).ok)
  s.now = new Date(start + 10 * MINUTE)
  const second = await saef.resolve({ kind: 'psk', identity: KEY_ID }, never())
  assert.ok(second.ok)
  assert.equal(retrievals, 2)
  s.now = new Date(start + 25 * MINUTE)
  assert.deepEqual(await saef.resolve({ kind: 'psk', identity: KEY_ID }, never()), { ok: false, refusal: 'expired' })
  assert.equal(retrievals, 2, 'an expired Kc is not retrieved again')
})

test('PSK SAEF recheck: the current key while the row stands; revoked and removed rows are refusals', async (t) => {
  const s = await openTestStore(t)
  const identity = 'dev-1@psk.example.com'
  await s.store.transaction((tx) => tx.pskCredentials.put({ usage: 'saef', identity, key: new SecretBytes(fromHex(FETCHED_HEX)), owner: { kind: 'configured', ref: identity } }))
  const saef = createPskSaef({ store: s.store, now: () => s.now }, {})
  const context = { saef: 'psk', credentialId: `12-${identity}`, identity }
  const live = await saef.recheck!(context)
  assert.ok(live.ok && live.key !== undefined)
  assert.equal(Buffer.from(live.key.reveal()).toString('hex').toUpperCase(), FETCHED_HEX)
  await s.store.transaction((tx) => tx.pskCredentials.revokeByOwner('configured', identity, s.now))
  assert.deepEqual(await saef.recheck!(context), { ok: false, refusal: 'revoked' })
  await s.store.transaction((tx) => tx.pskCredentials.delete('saef', identity))
  assert.deepEqual(await saef.recheck!(context), { ok: false, refusal: 'unknown-identity' })
})

type KeyPair = Awaited<ReturnType<typeof generateKeys>>

function generateKeys() {
  return webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])
}

async function certificate(notAfter: Date, keys: KeyPair, sans: x509.JsonGeneralNames = []): Promise<Uint8Array> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name: 'CN=t', notBefore: new Date(notAfter.getTime() - 86_400_000), notAfter, keys: keys as never, signingAlgorithm: alg,
    extensions: sans.length === 0 ? [] : [new x509.SubjectAlternativeNameExtension(sans)],
  })
  return new Uint8Array(cert.rawData)
}

test('D-190: a certificate context ends at the earliest notAfter of the chain the peer sent', async () => {
  const keys = await generateKeys()
  const leafEnd = new Date(Date.UTC(2027, 5, 1, 12, 0, 0))
  const caEnd = new Date(Date.UTC(2027, 2, 1, 12, 0, 0))
  const leaf = await certificate(leafEnd, keys)
  const ca = await certificate(caEnd, keys)
  assert.equal(chainNotAfter([leaf])?.getTime(), leafEnd.getTime())
  assert.equal(chainNotAfter([leaf, ca])?.getTime(), caEnd.getTime(), 'an intermediate that ends first ends the association')
  assert.equal(chainNotAfter([]), undefined)
  assert.equal(chainNotAfter([new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00])]), undefined, 'an unreadable certificate gives no lifetime')
  const saef = createCertificateSaef({ store: {} as never, now: () => new Date() }, {})
  const o = await saef.resolve({ kind: 'certificate', sans: [{ kind: 'uri', value: '//m2m.example.com/Sdev02' }], chain: [leaf, ca] }, never())
  assert.ok(o.ok)
  assert.equal(o.context.expiresAt?.getTime(), caEnd.getTime())
})
