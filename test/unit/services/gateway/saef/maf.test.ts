import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SecretBytes, fromHex } from '../../../../../src/core/index.js'
import { createMafSaef } from '../../../../../src/services/gateway/saef/maf.js'
import type { KeyFetchOutcome } from '../../../../../src/services/gateway/saef/index.js'
import { KC_HEX, never, openTestStore, type TestStore } from '../gateway-fixtures.js'
import { describeSaefContract } from './saef-contract.js'

const MAF = 'maf.example.com'
const RKID = 'C0FFEE00112233445566778899AABBCC'
const KEY_ID = `${RKID}@${MAF}`

function retriever(s: TestStore, answer: Partial<Extract<KeyFetchOutcome, { ok: true }>> | { ok: false; rsc: number } = {}, log: string[] = []) {
  return async (fqdn: string, relative: string): Promise<KeyFetchOutcome> => {
    log.push(`${fqdn}/${relative}`)
    if ('ok' in answer && answer.ok === false) return answer
    if (relative !== RKID) return { ok: false, rsc: 4004 }
    return { ok: true, key: new SecretBytes(fromHex(KC_HEX)), ownerId: '//m2m.example.com/CSE-B01/Cdev9', expiresAt: new Date(s.now.getTime() + 3_600_000), suid: 32, ...answer } as KeyFetchOutcome
  }
}

describeSaefContract('maf', async (t) => {
  const s = await openTestStore(t)
  return {
    saef: createMafSaef({ store: s.store, now: () => s.now, retrieveKc: retriever(s, {}) }, { mafFqdns: [MAF] }),
    known: { kind: 'psk', identity: KEY_ID },
    unknown: { kind: 'psk', identity: `DEADBEEF00112233445566778899AABB@${MAF}` },
    foreign: { kind: 'psk', identity: 'dev-1@psk.example.com' }, keyHex: KC_HEX,
  }
})

test('MAF SAEF (TS-0003 8.2.2.3): Kc is retrieved once and cached until its expirationTime; then the handshake fails (§7.2 step 6)', async (t) => {
  const s = await openTestStore(t)
  const log: string[] = []
  const saef = createMafSaef({ store: s.store, now: () => s.now, retrieveKc: retriever(s, {}, log) }, { mafFqdns: [MAF] })
  const first = await saef.resolve({ kind: 'psk', identity: KEY_ID.toLowerCase().replace(MAF, MAF) }, never())
  assert.ok(first.ok)
  assert.deepEqual(first.context.boundTo, { kind: 'ae', ids: ['//m2m.example.com/CSE-B01/Cdev9'] })
  assert.equal(first.context.credentialId, `12-${KEY_ID}`)
  assert.ok((await saef.resolve({ kind: 'psk', identity: KEY_ID }, never())).ok)
  assert.deepEqual(log, [`${MAF}/${RKID}`])
  s.now = new Date(s.now.getTime() + 3_600_000)
  assert.deepEqual(await saef.resolve({ kind: 'psk', identity: KEY_ID }, never()), { ok: false, refusal: 'expired' })
  assert.equal(log.length, 1, 'no new retrieval for an expired Kc')
})

test('MAF SAEF: a key whose SUID is not 32 is refused; a Credential-ID Source Client ID becomes the Credential-ID (OQ-20)', async (t) => {
  const s = await openTestStore(t)
  const wrong = createMafSaef({ store: s.store, now: () => s.now, retrieveKc: retriever(s, { suid: 33 }) }, { mafFqdns: [MAF] })
  const refused = await wrong.resolve({ kind: 'psk', identity: KEY_ID }, never())
  assert.equal(!refused.ok && refused.refusal, 'not-allowed')
  const s2 = await openTestStore(t)
  const byKm = createMafSaef({ store: s2.store, now: () => s2.now, retrieveKc: retriever(s2, { ownerId: '11-ABCDEF0123456789ABCDEF0123456789@maf.example.com' }) }, { mafFqdns: [MAF] })
  const o = await byKm.resolve({ kind: 'psk', identity: KEY_ID }, never())
  assert.ok(o.ok)
  assert.equal(o.context.credentialId, '11-ABCDEF0123456789ABCDEF0123456789@maf.example.com')
  assert.equal(o.context.boundTo, undefined)
})

test('MAF SAEF: an already expired Kc from the MAF fails the handshake; an unconfigured MAF FQDN is not accepted', async (t) => {
  const s = await openTestStore(t)
  const saef = createMafSaef({ store: s.store, now: () => s.now, retrieveKc: retriever(s, { expiresAt: new Date(s.now.getTime()) }) }, { mafFqdns: [MAF] })
  assert.deepEqual(await saef.resolve({ kind: 'psk', identity: KEY_ID }, never()), { ok: false, refusal: 'expired' })
  assert.equal(saef.accepts({ kind: 'psk', identity: `${RKID}@other-maf.example.com` }), false)
  assert.throws(() => createMafSaef({ store: s.store, now: () => s.now }, { mafFqdns: [MAF] }), { code: 'M2MSEC_GATEWAY_CONFIG_INVALID' })
})
