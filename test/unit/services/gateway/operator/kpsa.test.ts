// The gateway's operator Kpsa (TS-0003 8.2.2.1; frameworks.md §5): key text, binding and KpsaID
// parsing, and add / revoke / remove / list on a real store, with audit events and no key in views.
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import fc from 'fast-check'
import { addKpsa, deleteBinding, listBindings, listKpsa, parseBind, parseKeyText, parseKpsaIdentity, removeKpsa, revokeKpsa } from '../../../../../src/services/gateway/index.js'
import { openStore, type Store } from '../../../../../src/store/index.js'
import { createTestSealer } from '../../../../support/store-test-sealer.js'

const KPSA_HEX = '7A11CE5E7A11CE5F7A11CE607A11CE617A11CE627A11CE637A11CE647A11CE65'

async function freshStore(t: { after: (fn: () => Promise<void>) => void }): Promise<Store> {
  const dir = await mkdtemp(join(tmpdir(), 'm2msec-gwop-'))
  const store = await openStore({ kind: 'sqlite', path: join(dir, 'store.sqlite') }, { sealer: createTestSealer() })
  t.after(async () => {
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })
  return store
}

test('key text: hex, hex:, base64: of 16–64 bytes; anything else names the field without echoing the text', () => {
  assert.equal(parseKeyText(KPSA_HEX).length, 32)
  assert.equal(parseKeyText(`hex:${KPSA_HEX}\n`).length, 32)
  assert.equal(parseKeyText(`base64:${Buffer.from(KPSA_HEX, 'hex').toString('base64')}`).length, 32)
  for (const bad of ['', 'ABC', 'AB'.repeat(15), 'AB'.repeat(65), 'base64:AAAA', `${KPSA_HEX}G`]) {
    assert.throws(() => parseKeyText(bad), (e: Error & { code?: string; field?: string }) => e.code === 'M2MSEC_GATEWAY_OPERATOR_INVALID' && e.field === 'key' && (bad === '' || !e.message.includes(bad)))
  }
  fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 64 }), (bytes) => Buffer.from(parseKeyText(Buffer.from(bytes).toString('hex')).reveal()).equals(Buffer.from(bytes))))
})

test('bind: an Absolute AE-ID or CSE-ID; KpsaID in normal form only', () => {
  assert.deepEqual(parseBind('//sp.example.com/in-cse/Cdev1'), { kind: 'ae', ids: ['//sp.example.com/in-cse/Cdev1'] })
  assert.deepEqual(parseBind('//sp.example.com/mn-cse1'), { kind: 'cse', ids: ['//sp.example.com/mn-cse1'] })
  assert.throws(() => parseBind('Cdev1'), { code: 'M2MSEC_GATEWAY_OPERATOR_INVALID', field: 'bind' })
  assert.equal(parseKpsaIdentity('dev1@psk.example.com'), 'dev1@psk.example.com')
  assert.throws(() => parseKpsaIdentity('dev1@PSK.example.com'), { code: 'M2MSEC_GATEWAY_OPERATOR_INVALID', field: 'identity' })
  assert.throws(() => parseKpsaIdentity('no-at-sign'), { code: 'M2MSEC_GATEWAY_OPERATOR_INVALID', field: 'identity' })
})

test('add, conflict, revoke (idempotent), remove: views carry status and binding, never the key; each write is audited with its actor', async (t) => {
  const store = await freshStore(t)
  const options = { actor: 'admin:token' }
  const view = await addKpsa(store, { identity: 'dev1@psk.example.com', key: KPSA_HEX, bind: '//sp.example.com/in-cse/Cdev1' }, options)
  assert.deepEqual([view.status, view.source, view.credentialId, view.boundEntity?.ids], ['active', 'configured', '12-dev1@psk.example.com', ['//sp.example.com/in-cse/Cdev1']])
  assert.ok(!JSON.stringify(view).includes(KPSA_HEX) && !JSON.stringify(view).toLowerCase().includes(KPSA_HEX.toLowerCase()))
  await assert.rejects(addKpsa(store, { identity: 'dev1@psk.example.com', key: KPSA_HEX }), { code: 'M2MSEC_GATEWAY_OPERATOR_EXISTS' })
  const found = await store.reader.findPskByIdentity('saef', 'dev1@psk.example.com', new Date())
  assert.ok(found.ok && Buffer.from(found.credential.key.reveal()).toString('hex').toUpperCase() === KPSA_HEX)

  assert.equal((await revokeKpsa(store, 'dev1@psk.example.com', options)).status, 'revoked')
  assert.equal((await revokeKpsa(store, 'dev1@psk.example.com', options)).status, 'revoked')
  assert.deepEqual(await store.reader.findPskByIdentity('saef', 'dev1@psk.example.com', new Date(Date.now() + 1)), { ok: false, refusal: 'revoked' })
  await removeKpsa(store, 'dev1@psk.example.com', options)
  await assert.rejects(removeKpsa(store, 'dev1@psk.example.com'), { code: 'M2MSEC_GATEWAY_OPERATOR_NOT_FOUND' })
  await assert.rejects(revokeKpsa(store, 'dev1@psk.example.com'), { code: 'M2MSEC_GATEWAY_OPERATOR_NOT_FOUND' })
  const events = await store.transaction((tx) => tx.audit.list())
  assert.deepEqual(events.map((e) => [e.actor, e.action, e.outcome]), [
    ['admin:token', 'kpsa.add', 'success'], ['admin:token', 'kpsa.revoke', 'success'], ['admin:token', 'kpsa.revoke', 'already-revoked'], ['admin:token', 'kpsa.remove', 'success'],
  ])
})

test('bad input writes nothing: a short key, a past expiry, a bad binding', async (t) => {
  const store = await freshStore(t)
  await assert.rejects(addKpsa(store, { identity: 'dev1@psk.example.com', key: 'ABCD' }), { field: 'key' })
  await assert.rejects(addKpsa(store, { identity: 'dev1@psk.example.com', key: KPSA_HEX, expiresAt: new Date(0) }), { field: 'expiresAt' })
  await assert.rejects(addKpsa(store, { identity: 'dev1@psk.example.com', key: KPSA_HEX, bind: 'x' }), { field: 'bind' })
  assert.deepEqual((await listKpsa(store)).items, [])
  assert.deepEqual(await store.transaction((tx) => tx.audit.list()), [])
})

test('lists page by key with a cursor and no cursor on the last page; a bad limit is refused', async (t) => {
  const store = await freshStore(t)
  for (const n of [3, 1, 2]) await addKpsa(store, { identity: `dev${n}@psk.example.com`, key: KPSA_HEX })
  const p1 = await listKpsa(store, { limit: 2 })
  assert.deepEqual(p1.items.map((i) => i.identity), ['dev1@psk.example.com', 'dev2@psk.example.com'])
  const p2 = await listKpsa(store, { limit: 2, cursor: p1.nextCursor ?? '' })
  assert.deepEqual([p2.items.map((i) => i.identity), p2.nextCursor], [['dev3@psk.example.com'], undefined])
  for (const limit of [0, 1001, 1.5]) await assert.rejects(listKpsa(store, { limit }), { code: 'M2MSEC_GATEWAY_OPERATOR_INVALID', field: 'limit' })

  await store.transaction(async (tx) => {
    for (const n of [1, 2]) await tx.identityBindings.put({ credentialId: `12-dev${n}@psk.example.com`, entityKind: 'ae', entityIds: [`//sp/C${n}`], source: 'configured' })
  })
  const b1 = await listBindings(store, { limit: 1 })
  assert.equal(b1.items[0]?.credentialId, '12-dev1@psk.example.com')
  assert.equal((await listBindings(store, { limit: 1, cursor: b1.nextCursor ?? '' })).nextCursor, undefined)
  await deleteBinding(store, '12-dev1@psk.example.com')
  await assert.rejects(deleteBinding(store, '12-dev1@psk.example.com'), { code: 'M2MSEC_GATEWAY_OPERATOR_NOT_FOUND' })
})
