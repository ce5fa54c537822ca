/**
 * The conformance suite every SAEF passes (STYLE.md §5): `accepts` is synchronous and claims only
 * its own credentials; a known credential resolves to a context named after the SAEF with a
 * Credential-ID in normal form (TS-0003 10.4, OQ-2) and, for PSK kinds, a key; an unknown one is
 * a refusal value, not an exception; no context carries key bytes.
 */
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { parseCredentialId, toHex } from '../../../../../src/core/index.js'
import type { PeerCredential, Saef } from '../../../../../src/services/gateway/saef/index.js'
import { never } from '../gateway-fixtures.js'

export interface SaefUnderTest {
  readonly saef: Saef
  /** A credential this SAEF knows. */
  readonly known: PeerCredential
  /** A credential of its kind it does not know. */
  readonly unknown: PeerCredential
  /** A credential another SAEF handles. */
  readonly foreign: PeerCredential
  /** Key bytes that must never appear in a context. */
  readonly keyHex?: string
}

export function describeSaefContract(name: string, make: (t: TestContext) => Promise<SaefUnderTest>): void {
  test(`${name} SAEF (STYLE.md §5 contract): accepts its own credentials only, synchronously`, async (t) => {
    const u = await make(t)
    assert.equal(u.saef.name, name)
    assert.equal(u.saef.accepts(u.known), true)
    assert.equal(u.saef.accepts(u.foreign), false)
  })
  test(`${name} SAEF (STYLE.md §5 contract): a known credential yields a context with a normal-form Credential-ID (TS-0003 10.4)`, async (t) => {
    const u = await make(t)
    const outcome = await u.saef.resolve(u.known, never())
    assert.ok(outcome.ok, `resolved: ${JSON.stringify(outcome)}`)
    assert.equal(outcome.context.saef, name)
    assert.equal(parseCredentialId(outcome.context.credentialId).id, outcome.context.credentialId)
    if (u.known.kind === 'psk') {
      assert.ok(outcome.key, 'a PSK SAEF answers with the key')
      if (u.keyHex) assert.equal(toHex(outcome.key.reveal()), u.keyHex)
    }
    if (u.keyHex) assert.ok(!JSON.stringify(outcome).toUpperCase().includes(u.keyHex), 'no key bytes in the outcome JSON')
  })
  test(`${name} SAEF (STYLE.md §5 contract): an unknown credential is a refusal value`, async (t) => {
    const u = await make(t)
    const outcome = await u.saef.resolve(u.unknown, never())
    assert.equal(outcome.ok, false)
    if (!outcome.ok) assert.ok(['unknown-identity', 'expired', 'revoked', 'not-allowed'].includes(outcome.refusal))
  })
}
