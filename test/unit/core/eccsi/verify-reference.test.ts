import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fromHex } from '../../../../src/core/bytes.js'
import { verifyEccsiReference } from '../../../../src/core/eccsi/verify-reference.js'
import { RFC6507_APPENDIX_A as A } from '../../../vectors/rfc6507-eccsi.js'

const key = { id: fromHex(A.ID), kpak: fromHex(A.KPAK) }

test(`${A.source}: the reference verifier (§5.2.2 as written) accepts the published signature`, () => {
  assert.deepEqual(verifyEccsiReference(fromHex(A.M), fromHex(A.Signature), key), { ok: true }, A.source)
})

test(`${A.source}: the reference verifier refuses a tampered message and a flipped s bit`, () => {
  const m = fromHex(A.M)
  m[0]! ^= 0x01
  assert.deepEqual(verifyEccsiReference(m, fromHex(A.Signature), key), { ok: false, reason: 'bad-signature' })
  const sig = fromHex(A.Signature)
  sig[63]! ^= 0x01
  assert.deepEqual(verifyEccsiReference(fromHex(A.M), sig, key), { ok: false, reason: 'bad-signature' })
})

test(`${A.source}: the reference verifier throws M2MSEC_ECCSI_POINT_INVALID for a malformed KPAK`, () => {
  const kpak = fromHex(A.KPAK).subarray(0, 64)
  assert.throws(() => verifyEccsiReference(fromHex(A.M), fromHex(A.Signature), { ...key, kpak }), {
    code: 'M2MSEC_ECCSI_POINT_INVALID',
  })
})
