// AES-256-GCM sealer: round trips, binding to the SealContext, tamper and wrong-KEK refusals,
// and no key bytes in errors or renderings (issue 4 "key custody").
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { inspect } from 'node:util'
import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { SecretBytes } from '../../../../src/core/index.js'
import { createAesGcmSealer } from '../../../../src/store/custody/aes-gcm-sealer.js'
import type { Kek } from '../../../../src/store/custody/aes-gcm-sealer.js'
import { encodeSealContext } from '../../../../src/store/custody/seal-blob.js'
import type { SealContext } from '../../../../src/store/custody/sealer.js'
import { assertNoSecretIn } from './secret-forms.js'

const SEAL_INVALID = { code: 'M2MSEC_STORE_SEAL_INVALID', kind: 'internal' }
const KEK_INVALID = { code: 'M2MSEC_STORE_KEK_INVALID' }

function kek(id: string, bytes: Uint8Array = new Uint8Array(randomBytes(32))): Kek {
  return { id, key: new SecretBytes(bytes) }
}

const CONTEXT: SealContext = { table: 'enrolment', recordId: '00112233445566778899AABBCCDDEEFF@mef.example', purpose: 'ke' }
const SECRET = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i)

const field = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
const contextArb = fc.record({ table: field, recordId: field, purpose: field })

test('seal/open round trip over random KEKs, contexts and secrets', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), contextArb, fc.uint8Array({ maxLength: 200 }), (key, context, secret) => {
      const sealer = createAesGcmSealer([kek('K1', key)], 'K1')
      const blob = sealer.seal(new SecretBytes(secret), context)
      assert.equal(sealer.kekIdOf(blob), 'K1')
      assert.deepEqual(sealer.open(blob, { ...context }).reveal(), secret)
    }),
    { numRuns: 200 },
  )
})

test('two seals of one secret differ (fresh nonce per seal)', () => {
  const sealer = createAesGcmSealer([kek('K1')], 'K1')
  const a = sealer.seal(new SecretBytes(SECRET), CONTEXT)
  const b = sealer.seal(new SecretBytes(SECRET), CONTEXT)
  assert.notDeepEqual(a, b)
})

test('a blob does not open under a context differing in any one field', () => {
  const sealer = createAesGcmSealer([kek('K1')], 'K1')
  fc.assert(
    fc.property(contextArb, fc.constantFrom('table', 'recordId', 'purpose'), field, (context, name, other) => {
      fc.pre(context[name] !== other)
      const blob = sealer.seal(new SecretBytes(SECRET), context)
      assert.throws(() => sealer.open(blob, { ...context, [name]: other }), SEAL_INVALID)
    }),
    { numRuns: 200 },
  )
})

test('context encoding is injective: shifting characters between fields changes it', () => {
  const sealer = createAesGcmSealer([kek('K1')], 'K1')
  const blob = sealer.seal(new SecretBytes(SECRET), { table: 'ab', recordId: 'c', purpose: 'ke' })
  assert.throws(() => sealer.open(blob, { table: 'a', recordId: 'bc', purpose: 'ke' }), SEAL_INVALID)
  fc.assert(
    fc.property(contextArb, contextArb, (a, b) => {
      const same = a.table === b.table && a.recordId === b.recordId && a.purpose === b.purpose
      assert.equal(Buffer.from(encodeSealContext(a)).equals(Buffer.from(encodeSealContext(b))), same)
    }),
  )
})

test('every single-bit flip and every truncation of a blob is refused', () => {
  const sealer = createAesGcmSealer([kek('K1')], 'K1')
  const blob = sealer.seal(new SecretBytes(SECRET), CONTEXT)
  assert.ok(blob.length > 0)
  for (let i = 0; i < blob.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      const bad = blob.slice()
      bad[i]! ^= 1 << bit
      assert.throws(() => sealer.open(bad, CONTEXT), SEAL_INVALID, `byte ${i} bit ${bit}`)
    }
  }
  for (let length = 0; length < blob.length; length++) {
    assert.throws(() => sealer.open(blob.subarray(0, length), CONTEXT), SEAL_INVALID, `truncated to ${length}`)
  }
  const extended = new Uint8Array([...blob, 0])
  assert.throws(() => sealer.open(extended, CONTEXT), SEAL_INVALID)
})

test('a blob does not open under a different KEK carrying the same id', () => {
  const blob = createAesGcmSealer([kek('K1')], 'K1').seal(new SecretBytes(SECRET), CONTEXT)
  assert.throws(() => createAesGcmSealer([kek('K1')], 'K1').open(blob, CONTEXT), SEAL_INVALID)
})

test('a blob under a KEK id that is not loaded is refused, naming the id', () => {
  const blob = createAesGcmSealer([kek('OLD')], 'OLD').seal(new SecretBytes(SECRET), CONTEXT)
  const sealer = createAesGcmSealer([kek('NEW')], 'NEW')
  assert.equal(sealer.kekIdOf(blob), 'OLD')
  assert.throws(() => sealer.open(blob, CONTEXT), { ...SEAL_INVALID, message: /KEK OLD/ })
})

test('a sealer holding the previous KEK opens old blobs and seals under the active one', () => {
  const old = kek('OLD')
  const fresh = kek('NEW')
  const oldBlob = createAesGcmSealer([old], 'OLD').seal(new SecretBytes(SECRET), CONTEXT)
  const both = createAesGcmSealer([fresh, old], 'NEW')
  assert.deepEqual(both.open(oldBlob, CONTEXT).reveal(), SECRET)
  assert.equal(both.kekIdOf(both.seal(new SecretBytes(SECRET), CONTEXT)), 'NEW')
})

test('KEK sets are validated: empty, duplicate id, wrong length, malformed id, inactive id', () => {
  assert.throws(() => createAesGcmSealer([], 'K1'), KEK_INVALID)
  assert.throws(() => createAesGcmSealer([kek('K1'), kek('K1')], 'K1'), KEK_INVALID)
  assert.throws(() => createAesGcmSealer([kek('K1', new Uint8Array(31))], 'K1'), KEK_INVALID)
  assert.throws(() => createAesGcmSealer([kek('K1', new Uint8Array(33))], 'K1'), KEK_INVALID)
  assert.throws(() => createAesGcmSealer([kek('K 1')], 'K 1'), KEK_INVALID)
  assert.throws(() => createAesGcmSealer([kek('x'.repeat(65))], 'x'.repeat(65)), KEK_INVALID)
  assert.throws(() => createAesGcmSealer([kek('K1')], 'K2'), KEK_INVALID)
})

test('empty or ill-formed context fields are refused when sealing', () => {
  const sealer = createAesGcmSealer([kek('K1')], 'K1')
  for (const name of ['table', 'recordId', 'purpose'] as const) {
    assert.throws(() => sealer.seal(new SecretBytes(SECRET), { ...CONTEXT, [name]: '' }), SEAL_INVALID, name)
    assert.throws(() => sealer.seal(new SecretBytes(SECRET), { ...CONTEXT, [name]: 'a\uD800' }), SEAL_INVALID, name)
  }
  assert.throws(() => sealer.seal(SECRET as unknown as SecretBytes, CONTEXT), SEAL_INVALID)
})

test('errors, inspect(), String() and JSON of a sealer never contain KEK or secret bytes', () => {
  const keyBytes = new Uint8Array(randomBytes(32))
  const otherBytes = new Uint8Array(randomBytes(32))
  const sealer = createAesGcmSealer([kek('K1', keyBytes), kek('K0', otherBytes)], 'K1')
  const secrets = [keyBytes, otherBytes, SECRET]
  const rendered = [inspect(sealer, { showHidden: true, depth: 10 }), String(sealer), JSON.stringify(sealer), JSON.stringify({ sealer })]
  for (const text of rendered) {
    assert.match(text, /AesGcmSealer\(active=K1/)
    assertNoSecretIn(text, secrets, 'sealer rendering')
  }
  const blob = sealer.seal(new SecretBytes(SECRET), CONTEXT)
  const failures: unknown[] = []
  const attempts = [
    () => sealer.open(blob, { ...CONTEXT, purpose: 'kc' }),
    () => sealer.open(blob.subarray(0, 20), CONTEXT),
    () => createAesGcmSealer([kek('K9')], 'K9').open(blob, CONTEXT),
    () => createAesGcmSealer([kek('K1', keyBytes.subarray(1))], 'K1'),
  ]
  for (const attempt of attempts) {
    try {
      attempt()
    } catch (error) {
      failures.push(error)
    }
  }
  assert.equal(failures.length, attempts.length)
  for (const error of failures) {
    assertNoSecretIn(`${String(error)} ${inspect(error, { depth: 10 })}`, secrets, 'error')
  }
})
