import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { fromHex, i2osp } from '../../../../src/core/bytes.js'
import { createEccsiVerifier, verifyEccsi } from '../../../../src/core/eccsi/verify.js'
import { verifyEccsiReference } from '../../../../src/core/eccsi/verify-reference.js'
import { createEccsiSigner } from '../../../../src/core/eccsi/sign.js'
import { generateKmsMasterKey, issueSigningKey } from '../../../../src/core/eccsi/kms.js'
import { multiplyBase } from '../../../../src/core/eccsi/point.js'
import { Q } from '../../../../src/core/eccsi/params.js'
import type { EccsiRefusal, EccsiVerifyKey } from '../../../../src/core/eccsi/signature.js'
import { RFC6507_APPENDIX_A as A } from '../../../vectors/rfc6507-eccsi.js'

type Verify = (m: Uint8Array, sig: Uint8Array, key: EccsiVerifyKey) => unknown

const key = (): EccsiVerifyKey => ({ id: fromHex(A.ID), kpak: fromHex(A.KPAK) })

function withBytes(hex: string, at: number, bytes: Uint8Array): Uint8Array {
  const out = fromHex(hex)
  out.set(bytes, at)
  return out
}

function flip(hex: string, index: number): Uint8Array {
  const out = fromHex(hex)
  out[index]! ^= 0x01
  return out
}

/** Each negative: what to verify and the one reason every verifier must give. */
const NEGATIVES: readonly { name: string; m: Uint8Array; sig: Uint8Array; key: EccsiVerifyKey; reason: EccsiRefusal }[] = [
  { name: 'tampered message', m: flip(A.M, 0), sig: fromHex(A.Signature), key: key(), reason: 'bad-signature' },
  { name: 'wrong identity', m: fromHex(A.M), sig: fromHex(A.Signature), key: { ...key(), id: flip(A.ID, 25) }, reason: 'bad-signature' },
  {
    name: 'wrong KPAK (a valid point of another KSAK)',
    m: fromHex(A.M),
    sig: fromHex(A.Signature),
    key: { ...key(), kpak: multiplyBase(BigInt('0x' + A.KSAK) + 1n) },
    reason: 'bad-signature',
  },
  { name: 'flipped bit of r', m: fromHex(A.M), sig: flip(A.Signature, 31), key: key(), reason: 'bad-signature' },
  { name: 'flipped bit of s', m: fromHex(A.M), sig: flip(A.Signature, 63), key: key(), reason: 'bad-signature' },
  { name: 'r = 0', m: fromHex(A.M), sig: withBytes(A.Signature, 0, new Uint8Array(32)), key: key(), reason: 'r-out-of-range' },
  { name: 'r = q', m: fromHex(A.M), sig: withBytes(A.Signature, 0, i2osp(Q, 32)), key: key(), reason: 'r-out-of-range' },
  { name: 'r = 2^256-1', m: fromHex(A.M), sig: withBytes(A.Signature, 0, new Uint8Array(32).fill(0xff)), key: key(), reason: 'r-out-of-range' },
  { name: 's = 0', m: fromHex(A.M), sig: withBytes(A.Signature, 32, new Uint8Array(32)), key: key(), reason: 's-out-of-range' },
  { name: 's = q', m: fromHex(A.M), sig: withBytes(A.Signature, 32, i2osp(Q, 32)), key: key(), reason: 's-out-of-range' },
  { name: 's = q+1', m: fromHex(A.M), sig: withBytes(A.Signature, 32, i2osp(Q + 1n, 32)), key: key(), reason: 's-out-of-range' },
  { name: 'PVT x byte flipped (off curve)', m: fromHex(A.M), sig: flip(A.Signature, 70), key: key(), reason: 'pvt-not-on-curve' },
  { name: 'PVT y byte flipped (off curve)', m: fromHex(A.M), sig: flip(A.Signature, 128), key: key(), reason: 'pvt-not-on-curve' },
  { name: 'PVT prefix 0x02', m: fromHex(A.M), sig: withBytes(A.Signature, 64, Uint8Array.of(0x02)), key: key(), reason: 'malformed' },
  { name: 'truncated by one byte', m: fromHex(A.M), sig: fromHex(A.Signature).subarray(0, 128), key: key(), reason: 'malformed' },
  { name: 'one byte appended', m: fromHex(A.M), sig: Uint8Array.from([...fromHex(A.Signature), 0]), key: key(), reason: 'malformed' },
  { name: 'empty', m: fromHex(A.M), sig: new Uint8Array(0), key: key(), reason: 'malformed' },
]

const VERIFIERS: readonly { name: string; make: () => Verify }[] = [
  { name: 'fast path, cold cache', make: () => createEccsiVerifier().verify },
  {
    name: 'fast path, warm cache',
    make: () => {
      const v = createEccsiVerifier()
      assert.deepEqual(v.verify(fromHex(A.M), fromHex(A.Signature), key()), { ok: true })
      return v.verify
    },
  },
  { name: 'reference', make: () => verifyEccsiReference },
]

test(`${A.source}: the fast path accepts the published signature, cold and warm`, () => {
  const verifier = createEccsiVerifier()
  for (let i = 0; i < 2; i++) {
    assert.deepEqual(verifier.verify(fromHex(A.M), fromHex(A.Signature), key()), { ok: true }, A.source)
  }
  assert.equal(verifier.cachedSigners, 1)
  assert.deepEqual(verifyEccsi(fromHex(A.M), fromHex(A.Signature), key()), { ok: true }, A.source)
})

for (const verifier of VERIFIERS) {
  test(`${A.source}: negatives refused with their reason (${verifier.name})`, () => {
    assert.ok(NEGATIVES.length > 0)
    const verify = verifier.make()
    for (const n of NEGATIVES) {
      assert.deepEqual(verify(n.m, n.sig, n.key), { ok: false, reason: n.reason }, `${A.source}: ${n.name}`)
    }
  })
}

test(`${A.source}: a malformed KPAK is a caller error (M2MSEC_ECCSI_POINT_INVALID), not a refusal`, () => {
  const kpak = flip(A.KPAK, 5)
  assert.throws(() => createEccsiVerifier().verify(fromHex(A.M), fromHex(A.Signature), { ...key(), kpak }), {
    code: 'M2MSEC_ECCSI_POINT_INVALID',
  })
})

test('the per-signer cache stays within its bound and never caches refusals', () => {
  const master = generateKmsMasterKey()
  const verifier = createEccsiVerifier({ maxCachedSigners: 2 })
  const message = Uint8Array.of(1, 2, 3)
  for (let i = 0; i < 4; i++) {
    const id = Uint8Array.of(i)
    const issued = issueSigningKey(master.ksak, master.kpak, id)
    const signature = createEccsiSigner({ id, ssk: issued.ssk, pvt: issued.pvt, kpak: master.kpak }).sign(message)
    assert.deepEqual(verifier.verify(message, signature, { id, kpak: master.kpak }), { ok: true })
    assert.ok(verifier.cachedSigners <= 2)
  }
  const offCurve = createEccsiVerifier()
  assert.deepEqual(offCurve.verify(fromHex(A.M), flip(A.Signature, 70), key()), { ok: false, reason: 'pvt-not-on-curve' })
  assert.equal(offCurve.cachedSigners, 0)
})

type Corruption =
  | { kind: 'none' }
  | { kind: 'flip'; index: number; mask: number }
  | { kind: 'truncate'; length: number }
  | { kind: 'scalar'; offset: 0 | 32; value: bigint }
  | { kind: 'message' }

const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.record({ kind: fc.constant('flip' as const), index: fc.integer({ min: 0, max: 128 }), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), length: fc.integer({ min: 0, max: 128 }) }),
  fc.record({
    kind: fc.constant('scalar' as const),
    offset: fc.constantFrom(0 as const, 32 as const),
    value: fc.constantFrom(0n, 1n, Q - 1n, Q, (1n << 256n) - 1n),
  }),
  fc.constant({ kind: 'message' as const }),
)

function corrupt(signature: Uint8Array, message: Uint8Array, c: Corruption): { sig: Uint8Array; m: Uint8Array } {
  const sig = signature.slice()
  switch (c.kind) {
    case 'none':
      return { sig, m: message }
    case 'flip':
      sig[c.index]! ^= c.mask
      return { sig, m: message }
    case 'truncate':
      return { sig: sig.subarray(0, c.length), m: message }
    case 'scalar':
      sig.set(i2osp(c.value, 32), c.offset)
      return { sig, m: message }
    case 'message':
      return { sig, m: Uint8Array.from([...message, 0]) }
  }
}

test('fast-path verify agrees with the reference verify on random and corrupted signatures (property)', () => {
  const master = generateKmsMasterKey()
  const fast = createEccsiVerifier({ maxCachedSigners: 8 })
  let accepted = 0
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 32 }), fc.uint8Array({ maxLength: 128 }), corruption, (id, message, c) => {
      const issued = issueSigningKey(master.ksak, master.kpak, id)
      const signature = createEccsiSigner({ id, ssk: issued.ssk, pvt: issued.pvt, kpak: master.kpak }).sign(message)
      const { sig, m } = corrupt(signature, message, c)
      const verifyKey = { id, kpak: master.kpak }
      const expected = verifyEccsiReference(m, sig, verifyKey)
      assert.deepEqual(fast.verify(m, sig, verifyKey), expected)
      assert.deepEqual(fast.verify(m, sig, verifyKey), expected, 'second call (warm cache)')
      if (c.kind === 'none') assert.deepEqual(expected, { ok: true })
      if (expected.ok) accepted++
    }),
    { numRuns: 40 },
  )
  assert.ok(accepted > 0, 'the property exercised accepting signatures too')
})
