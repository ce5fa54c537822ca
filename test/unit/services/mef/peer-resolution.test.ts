// The MEF's handshake resolvers (TS-0003 8.3.5.2.2 MEF Handshake; 8.3.2.1 PPSK RSPF; 8.3.2.2
// Certificate-Based RSPF; 10.2.1 SNI; OQ-8 Target channel): who the peer is, or a refusal
// whose reason reaches the audit log. Real store (SQLite, sealed Kpm), real test certificates.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { SecretBytes } from '../../../../src/core/index.js'
import type { SanEntry } from '../../../../src/pki/index.js'
import type { CertificatePeer } from '../../../../src/transport/index.js'
import type { MefAuditEvent } from '../../../../src/services/mef/audit.js'
import {
  createMefCertificateResolver, createMefPskResolver, pemCertificatesDer, type PeerResolutionDeps,
} from '../../../../src/services/mef/peer-resolution.js'
import { addEnrolee as addOperatorEnrolee, revokeEnrolee } from '../../../../src/services/mef/operator/index.js'
import { createTestPki, type Pem } from '../../../support/tls-fixtures.js'
import { MEF_FQDN, assertNoKey, openTestMef, type TestMef } from './procedures/key-fixtures.js'

const KPM_HEX = 'A7F3095C1E6B2D48F0C9B7E5D3A1F2E4C6B8A0D2F4E6C8B0A2D4F6E8C0B2A4D6'
const KPM_ID = 'kpm-pr01@mef.example.com'
const DEVICE_ID = '//sp.example.com/Sdev01'
const AE_ID = '//sp.example.com/Sdev02'
const TARGET_FQDN = 'cse-b01.sp.example.com'
const TARGET_IDS = ['//sp.example.com/CSE-B01']
const SIGNAL = new AbortController().signal

interface Harness {
  readonly mef: TestMef
  readonly deps: PeerResolutionDeps
  readonly refusals: MefAuditEvent[]
}

async function harness(t: TestContext): Promise<Harness> {
  const mef = await openTestMef(t)
  const refusals: MefAuditEvent[] = []
  return { mef, refusals, deps: { reader: mef.store.reader, fqdn: MEF_FQDN, now: () => mef.now, onRefusal: (e) => refusals.push(e) } }
}

async function addPskEnrolee(h: Harness, kpmId = KPM_ID): Promise<string> {
  const view = await addOperatorEnrolee(h.mef.store, { kpmId, kpm: KPM_HEX, enroleeId: DEVICE_ID, enrolmentExpiry: '1d', targets: [] }, h.mef.now)
  return view.enroleeRef
}

function lastReason(h: Harness): string | undefined {
  return h.refusals.at(-1)?.outcome
}

test('8.3.2.1 PPSK: an active enrolee\'s KpmID resolves to its Kpm and an enrolee binding (Client ID = Enrolee-ID, OQ-20)', async (t) => {
  const h = await harness(t)
  const ref = await addPskEnrolee(h)
  const resolved = await createMefPskResolver(h.deps)(KPM_ID, MEF_FQDN, SIGNAL)
  assert.ok(resolved !== null)
  assert.equal(Buffer.from(resolved.key.reveal()).toString('hex').toUpperCase(), KPM_HEX)
  assert.deepEqual(resolved.binding, { kind: 'enrolee', enroleeRef: ref, credentialId: `10-${KPM_ID}`, clientId: DEVICE_ID, framework: 'psk' })
  assert.deepEqual(h.refusals, [])
  // SNI is compared case-insensitively (DNS names).
  assert.ok((await createMefPskResolver(h.deps)(KPM_ID, MEF_FQDN.toUpperCase(), SIGNAL)) !== null)
})

test('8.3.5.2.2 / 10.2.1: unknown KpmID, wrong or missing SNI, revoked enrolee: null with the reason audited, never the key', async (t) => {
  const h = await harness(t)
  await addPskEnrolee(h)
  const resolve = createMefPskResolver(h.deps)
  assert.equal(await resolve('kpm-unknown@mef.example.com', MEF_FQDN, SIGNAL), null)
  assert.equal(lastReason(h), 'refused:unknown-identity')
  assert.equal(await resolve(KPM_ID, 'other.example.com', SIGNAL), null, 'a valid KpmID for another authority')
  assert.equal(lastReason(h), 'refused:wrong-sni')
  assert.equal(await resolve(KPM_ID, undefined, SIGNAL), null, 'no SNI at all')
  assert.equal(lastReason(h), 'refused:wrong-sni')
  await revokeEnrolee(h.mef.store, KPM_ID, h.mef.now)
  assert.equal(await resolve(KPM_ID, MEF_FQDN, SIGNAL), null)
  assert.equal(lastReason(h), 'refused:revoked')
  assert.equal(h.refusals.length, 4)
  for (const e of h.refusals) assert.equal(e.action, 'mef.handshake')
  assert.equal(h.refusals[0]!.subject.kpmId, 'kpm-unknown@mef.example.com')
  assertNoKey(h.refusals, [KPM_HEX], 'refusal events')
})

test('a Kpm owned by a client registration (remotely provisioned) is no enrolee credential: refused, also when its enrolee is revoked', async (t) => {
  const h = await harness(t)
  const ref = await addPskEnrolee(h)
  const assignedId = 'kpm-assigned@mef.example.com'
  const assignedHex = randomBytes(32).toString('hex').toUpperCase()
  await h.mef.store.transaction((tx) => tx.clientRegistrations.create({
    issuer: 'mef', serverFqdn: MEF_FQDN, clientId: DEVICE_ID, credentialId: `10-${KPM_ID}`, adminFqdn: 'sp.example.com', labels: [],
    expiresAt: new Date(h.mef.now.getTime() + 86_400_000), assignedKey: { keyId: assignedId, key: new SecretBytes(Buffer.from(assignedHex, 'hex')) },
  }))
  const resolve = createMefPskResolver(h.deps)
  assert.equal(await resolve(assignedId, MEF_FQDN, SIGNAL), null)
  assert.equal(lastReason(h), 'refused:not-an-enrolee')
  await h.mef.store.transaction((tx) => tx.enrolees.setStatus(ref, 'revoked'))
  assert.equal(await resolve(assignedId, MEF_FQDN, SIGNAL), null, 'the revoked enrolee\'s provisioned Kpm opens no session')
  assert.equal(lastReason(h), 'refused:not-an-enrolee')
  assertNoKey(h.refusals, [assignedHex, KPM_HEX], 'refusal events')
})

// ---- certificates -------------------------------------------------------------------------

interface Pki {
  readonly targetCa: Pem
  readonly deviceCa: Pem
  readonly rogueCa: Pem
  readonly target: Pem
  readonly device: Pem
  readonly rogueDevice: Pem
  readonly stranger: Pem
}

async function pki(): Promise<Pki> {
  const targetCa = await createTestPki('pr Target CA')
  const deviceCa = await createTestPki('pr device CA')
  const rogueCa = await createTestPki('pr rogue CA')
  return {
    targetCa: targetCa.ca, deviceCa: deviceCa.ca, rogueCa: rogueCa.ca,
    target: await targetCa.issue(TARGET_FQDN, { dns: [TARGET_FQDN] }),
    device: await deviceCa.issue('dev02', { uri: [AE_ID] }, { serverAuth: false }),
    rogueDevice: await rogueCa.issue('dev02', { uri: [AE_ID] }, { serverAuth: false }),
    stranger: await deviceCa.issue('dev09', { uri: ['//sp.example.com/Sdev09'] }, { serverAuth: false }),
  }
}

/** The peer as the listener reports it: SANs of the leaf, chain leaf → the anchor OpenSSL found. */
function peerOf(leaf: Pem, root: Pem, sans: readonly SanEntry[]): CertificatePeer {
  return { kind: 'certificate', sans, chain: [pemCertificatesDer(leaf.cert)[0]!, pemCertificatesDer(root.cert)[0]!] }
}

async function certHarness(t: TestContext) {
  const h = await harness(t)
  const p = await pki()
  const view = await addOperatorEnrolee(h.mef.store, { trustAnchorPem: p.deviceCa.cert, expectedIdentity: `ae-id:${AE_ID}`, enrolmentExpiry: '1d', targets: [] }, h.mef.now)
  const resolve = createMefCertificateResolver(h.deps, {
    targets: [{ fqdn: TARGET_FQDN, originatorIds: TARGET_IDS }], targetAnchors: pemCertificatesDer(p.targetCa.cert),
  })
  return { h, p, resolve, enroleeRef: view.enroleeRef }
}

const dns = (value: string): SanEntry => ({ kind: 'dns', value })
const uri = (value: string): SanEntry => ({ kind: 'uri', value })

test('OQ-8 / 8.3.2.2: a Target FQDN certificate under a Target anchor is a target; an enrolee certificate under its own anchor is an enrolee', async (t) => {
  const { h, p, resolve, enroleeRef } = await certHarness(t)
  assert.deepEqual(await resolve(peerOf(p.target, p.targetCa, [dns(TARGET_FQDN.toUpperCase())]), MEF_FQDN, SIGNAL), {
    binding: { kind: 'target', fqdn: TARGET_FQDN, originatorIds: TARGET_IDS },
  })
  assert.deepEqual(await resolve(peerOf(p.device, p.deviceCa, [uri(AE_ID)]), MEF_FQDN, SIGNAL), {
    binding: { kind: 'enrolee', enroleeRef, credentialId: `33-${AE_ID}`, clientId: AE_ID, framework: 'certificate' },
  })
  assert.deepEqual(h.refusals, [])
})

test('8.1.2.4: trust anchor mismatch, unknown certificate, revoked enrolee and wrong SNI are refused with their reason', async (t) => {
  const { h, p, resolve, enroleeRef } = await certHarness(t)
  const cases: [string, CertificatePeer, string | undefined, string][] = [
    ['enrolee identity under a rogue CA', peerOf(p.rogueDevice, p.rogueCa, [uri(AE_ID)]), MEF_FQDN, 'refused:untrusted-anchor'],
    // The Target anchor is one the listener trusts, but not the anchor configured for this enrolee.
    ['enrolee identity under the Target CA', peerOf(p.rogueDevice, p.targetCa, [uri(AE_ID)]), MEF_FQDN, 'refused:untrusted-anchor'],
    // A Target FQDN whose chain ends in the device CA is no Target, and no enrolee either.
    ['Target FQDN under the device CA', peerOf(p.target, p.deviceCa, [dns(TARGET_FQDN)]), MEF_FQDN, 'refused:unknown-certificate'],
    ['an identity no enrolee has', peerOf(p.stranger, p.deviceCa, [uri('//sp.example.com/Sdev09')]), MEF_FQDN, 'refused:unknown-certificate'],
    ['the Target for another authority', peerOf(p.target, p.targetCa, [dns(TARGET_FQDN)]), 'other.example.com', 'refused:wrong-sni'],
    ['the enrolee without SNI', peerOf(p.device, p.deviceCa, [uri(AE_ID)]), undefined, 'refused:wrong-sni'],
  ]
  for (const [what, peer, sni, reason] of cases) {
    assert.equal(await resolve(peer, sni, SIGNAL), null, what)
    assert.equal(lastReason(h), reason, what)
  }
  assert.equal(h.refusals[0]!.subject.enroleeRef, enroleeRef, 'the audit names the enrolee whose anchor did not match')
  await revokeEnrolee(h.mef.store, enroleeRef, h.mef.now)
  assert.equal(await resolve(peerOf(p.device, p.deviceCa, [uri(AE_ID)]), MEF_FQDN, SIGNAL), null, 'revoked')
  assert.equal(lastReason(h), 'refused:enrolee-inactive')
  assert.equal(h.refusals.length, cases.length + 1)
})
