import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fromHex, i2osp, toHex } from '../../../../src/core/bytes.js'
import { hashIdentity, hashMessage } from '../../../../src/core/eccsi/hash.js'
import { RFC6507_APPENDIX_A as A, RFC6507_APPENDIX_A_INTERMEDIATES as I } from '../../../vectors/rfc6507-eccsi.js'

test(`${A.source}: HS = hash(G || KPAK || ID || PVT)`, () => {
  assert.equal(toHex(hashIdentity(fromHex(A.KPAK), fromHex(A.ID), fromHex(A.PVT))), A.HS, A.source)
})

test(`${I.source}: HE = hash(HS || r || M)`, () => {
  const he = hashMessage(fromHex(A.HS), fromHex(A.r), fromHex(A.M))
  assert.equal(toHex(i2osp(he, 32)), I.HE, I.source)
})

test(`${A.source}: HS changes with one flipped bit of ID, KPAK or PVT`, () => {
  for (const field of ['ID', 'KPAK', 'PVT'] as const) {
    const parts = { ID: fromHex(A.ID), KPAK: fromHex(A.KPAK), PVT: fromHex(A.PVT) }
    parts[field][parts[field].length - 1]! ^= 0x01
    assert.notEqual(toHex(hashIdentity(parts.KPAK, parts.ID, parts.PVT)), A.HS, `${A.source} (${field})`)
  }
})
