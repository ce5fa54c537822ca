// The MEF operator functions against a real SQLite store (issue 5 "Operator side";
// frameworks.md §10.1 MEF instruction config, §11 certificate information, §10.5 e targets).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { SecretBytes } from '../../../../../src/core/index.js'
import {
  addEnrolee, enrolmentTargetsOf, expectedIdentityOf, listEnrolees, listEnrolments, revokeEnrolee, showEnrolee,
} from '../../../../../src/services/mef/operator/index.js'
import type { EnroleeInput } from '../../../../../src/services/mef/operator/index.js'
import { createTestPki } from '../../../../support/tls-fixtures.js'
import { assertNoKey, freshKpmHex, NOW, openTestStore } from './operator-fixtures.js'

const MEF = 'mef.example.com'

function pskInput(kpmId: string, kpm: string, extra: Partial<EnroleeInput> = {}): EnroleeInput {
  return {
    kpmId, kpm, enrolmentExpiry: '30d', enroleeId: '//sp.example.com/Sdev1',
    targets: ['21:maf.example.com', '22://sp.example.com/CSE-B01:lifetime=7d', { targetId: '//sp.example.com/CSE-B01/Cae7', suid: 22, derivationId: 'AE7.sp.example.com' }],
    ...extra,
  }
}

test('addEnrolee stores a PPSK enrolee: Kpm sealed and usable by the MEF handshake, targets and audit event', async (t) => {
  const { store, dbPath } = await openTestStore(t)
  const kpm = freshKpmHex()
  const view = await addEnrolee(store, pskInput('dev-1@mef.example.com', kpm), NOW)
  assert.match(view.enroleeRef, /^enr/)
  assert.equal(view.credentialKind, 'psk')
  assert.equal(view.credentialIdentity, 'dev-1@mef.example.com')
  assert.equal(view.enrolmentLifetimeMs, 30 * 86_400_000)
  assert.equal(view.enrolmentExpiry, '30d')
  assert.deepEqual(view.targets.map((x) => [x.suid, x.targetId, x.derivationId, x.keyLifetimeMs]).sort((x, y) => String(x[1]).localeCompare(String(y[1]))), [
    [22, '//sp.example.com/CSE-B01', undefined, 7 * 86_400_000],
    [22, '//sp.example.com/CSE-B01/Cae7', 'ae7.sp.example.com', undefined],
    [21, 'maf.example.com', undefined, undefined],
  ])
  const psk = await store.reader.findPskByIdentity('mef', 'dev-1@mef.example.com', NOW)
  assert.ok(psk.ok)
  assert.equal(Buffer.from(psk.credential.key.reveal()).toString('hex'), kpm)
  const record = await store.reader.findEnroleeByCredential('psk', 'dev-1@mef.example.com')
  assert.ok(record)
  assert.equal(enrolmentTargetsOf(record).find((x) => x.targetId.endsWith('Cae7'))?.derivationId, 'ae7.sp.example.com')
  const events = await store.transaction((tx) => tx.audit.list())
  assert.deepEqual(events.map((e) => [e.actor, e.action, e.outcome]), [['operator', 'enrolee.add', 'success']])
  assert.equal(events[0]?.subject.enroleeRef, view.enroleeRef)
  assertNoKey([JSON.stringify(view), JSON.stringify(events), readFileSync(dbPath)], [kpm])
})

test('addEnrolee refuses bad input with a field and writes nothing', async (t) => {
  const { store } = await openTestStore(t)
  const kpm = freshKpmHex()
  const cases: [Partial<EnroleeInput>, string, string][] = [
    [{ kpm: 'aa'.repeat(16) }, 'M2MSEC_ENROLEE_KPM_WEAK', 'kpm'],
    [{ kpm: kpm.slice(0, 20) }, 'M2MSEC_ENROLEE_KPM_WEAK', 'kpm'],
    [{ kpmId: 'bad id' }, 'M2MSEC_ENROLEE_INVALID', 'kpmId'],
    [{ kpmId: 'dev@MEF.example.com' }, 'M2MSEC_ENROLEE_INVALID', 'kpmId'],
    [{ enrolmentExpiry: '1y' }, 'M2MSEC_ENROLEE_INVALID', 'enrolmentExpiry'],
    [{ enroleeId: '/CSE-B01' }, 'M2MSEC_ENROLEE_INVALID', 'enroleeId'],
    [{ enroleeId: 'not an id' }, 'M2MSEC_ENROLEE_INVALID', 'enroleeId'],
    [{ targets: ['21://sp.example.com/CSE-B01'] }, 'M2MSEC_ENROLEE_INVALID', 'targets[0].targetId'],
    [{ targets: ['22:maf.example.com'] }, 'M2MSEC_ENROLEE_INVALID', 'targets[0].targetId'],
    [{ targets: ['22:/CSE-B01'] }, 'M2MSEC_ENROLEE_INVALID', 'targets[0].targetId'],
    [{ targets: ['23:maf.example.com'] }, 'M2MSEC_ENROLEE_INVALID', 'targets[0].suid'],
    [{ targets: ['22://sp.example.com/CSE-B01/Cae7'] }, 'M2MSEC_ENROLEE_INVALID', 'targets[0].derivationId'],
    [{ targets: ['21:maf.example.com:derivation=-bad-'] }, 'M2MSEC_ENROLEE_INVALID', 'targets[0].derivationId'],
    [{ targets: ['21:maf.example.com:lifetime=31d'] }, 'M2MSEC_ENROLEE_INVALID', 'targets[0].keyLifetime'],
    [{ targets: ['21:maf.example.com', '21:MAF.example.com'] }, 'M2MSEC_ENROLEE_INVALID', 'targets[1]'],
    [{ targets: ['21:maf.example.com:colour=red'] }, 'M2MSEC_ENROLEE_INVALID', 'targets[0]'],
    [{ expectedIdentity: 'ae-id://sp.example.com/Sdev1' }, 'M2MSEC_ENROLEE_INVALID', 'credential'],
  ]
  for (const [patch, code, field] of cases) {
    await assert.rejects(addEnrolee(store, pskInput('dev-1@mef.example.com', kpm, patch), NOW), { code, field }, JSON.stringify({ field, code }))
  }
  assert.deepEqual((await listEnrolees(store)).items, [])
  assert.equal((await store.transaction((tx) => tx.audit.head())).lastSeq, 0)
})

test('a duplicate KpmID is M2MSEC_ENROLEE_EXISTS, also when the KpmID belongs to a client registration', async (t) => {
  const { store } = await openTestStore(t)
  await addEnrolee(store, pskInput('dev-1@mef.example.com', freshKpmHex()), NOW)
  await assert.rejects(addEnrolee(store, pskInput('dev-1@mef.example.com', freshKpmHex()), NOW), { code: 'M2MSEC_ENROLEE_EXISTS', kind: 'conflict' })
  await store.transaction((tx) => tx.pskCredentials.put({
    usage: 'mef', identity: 'assigned-9@mef.example.com', key: new SecretBytes(Buffer.from(freshKpmHex(), 'hex')), owner: { kind: 'client-registration', ref: 'ecr1' },
  }))
  await assert.rejects(addEnrolee(store, pskInput('assigned-9@mef.example.com', freshKpmHex()), NOW), { code: 'M2MSEC_ENROLEE_EXISTS' })
  assert.equal((await listEnrolees(store)).items.length, 1)
})

test('a certificate enrolee keeps its trust anchor and expected identity; Enrolee-ID defaults to the AE-ID', async (t) => {
  // The test CA lives about a year from now; "now" is the wall clock here.
  const now = new Date()
  const { store } = await openTestStore(t, () => now)
  const pki = await createTestPki()
  const view = await addEnrolee(store, { trustAnchorPem: pki.ca.cert, expectedIdentity: 'ae-id://sp.example.com/Sdev9', enrolmentExpiry: 'PT24H', targets: ['21:maf.example.com'] }, now)
  assert.equal(view.credentialKind, 'certificate')
  assert.equal(view.credentialIdentity, '//sp.example.com/Sdev9')
  assert.equal(view.expectedIdentity, 'ae-id://sp.example.com/Sdev9')
  assert.equal(view.enroleeId, '//sp.example.com/Sdev9')
  assert.match(view.trustAnchorPem ?? '', /BEGIN CERTIFICATE/)
  const record = await store.reader.findEnroleeByCredential('certificate', '//sp.example.com/Sdev9')
  assert.ok(record)
  assert.deepEqual(expectedIdentityOf(record), { flavour: 'ae-id', absoluteAeId: '//sp.example.com/Sdev9' })
  const leaf = await pki.issue('dev9', { uri: ['//sp.example.com/Sdev9'] })
  const bad: [Partial<EnroleeInput>, string][] = [
    [{ trustAnchorPem: 'not a pem' }, 'trustAnchorPem'],
    [{ trustAnchorPem: leaf.cert }, 'trustAnchorPem'],
    [{ trustAnchorPem: pki.ca.cert.replace(/\n[A-Za-z0-9+/]{64}\n/, '\n') }, 'trustAnchorPem'],
    [{ expectedIdentity: 'ae-id:/Sdev9' }, 'expectedIdentity'],
    [{ expectedIdentity: 'email:dev@example.com' }, 'expectedIdentity'],
    [{ expectedIdentity: 'device:1.2.3:XYZ' }, 'expectedIdentity'],
    [{ enroleeId: '//sp.example.com/Sother' }, 'enroleeId'],
  ]
  await assert.rejects(addEnrolee(store, { trustAnchorPem: pki.ca.cert, expectedIdentity: 'ae-id://sp.example.com/Sdev8', enrolmentExpiry: '1d' }, NOW), { code: 'M2MSEC_ENROLEE_INVALID', field: 'trustAnchorPem' }, 'expired at NOW')
  for (const [patch, field] of bad) {
    await assert.rejects(addEnrolee(store, { trustAnchorPem: pki.ca.cert, expectedIdentity: 'ae-id://sp.example.com/Sdev8', enrolmentExpiry: '1d', ...patch }, now), { code: 'M2MSEC_ENROLEE_INVALID', field }, field)
  }
  await assert.rejects(addEnrolee(store, { trustAnchorPem: pki.ca.cert, expectedIdentity: 'ae-id://sp.example.com/Sdev9', enrolmentExpiry: '1d' }, now), { code: 'M2MSEC_ENROLEE_EXISTS' })
  const cse = await addEnrolee(store, { trustAnchorPem: pki.ca.cert, expectedIdentity: 'cse-id://sp.example.com/CSE-M01', enrolmentExpiry: '1d' }, now)
  assert.equal(cse.credentialIdentity, 'cse-m01.sp.example.com')
  assert.equal(cse.enroleeId, '//sp.example.com/CSE-M01')
  const dev = await addEnrolee(store, { trustAnchorPem: pki.ca.cert, expectedIdentity: 'device:1.3.6.1.4.1.99999.1:0a1b', enrolmentExpiry: '1d' }, now)
  assert.equal(dev.credentialIdentity, 'hwmn:1.3.6.1.4.1.99999.1:0A1B')
  assert.equal((await showEnrolee(store, 'device:1.3.6.1.4.1.99999.1:0A1B')).enrolee.enroleeRef, dev.enroleeRef)
})

test('listEnrolees pages by reference with a cursor; bad limits and cursors are refused', async (t) => {
  const { store } = await openTestStore(t)
  for (let i = 0; i < 7; i++) await addEnrolee(store, pskInput(`dev-${i}@mef.example.com`, freshKpmHex()), NOW)
  const seen: string[] = []
  let cursor: string | undefined
  let pages = 0
  do {
    const page = await listEnrolees(store, { limit: 3, ...(cursor === undefined ? {} : { cursor }) })
    seen.push(...page.items.map((e) => e.enroleeRef))
    cursor = page.nextCursor
    pages++
  } while (cursor !== undefined)
  assert.equal(pages, 3)
  assert.equal(new Set(seen).size, 7)
  assert.deepEqual(seen, [...seen].sort())
  for (const limit of [0, 1001, 1.5]) await assert.rejects(listEnrolees(store, { limit }), { code: 'M2MSEC_ENROLEE_INVALID', field: 'limit' })
  await assert.rejects(listEnrolees(store, { cursor: '' }), { code: 'M2MSEC_ENROLEE_INVALID', field: 'cursor' })
})

async function enrol(store: Awaited<ReturnType<typeof openTestStore>>['store'], enroleeRef: string, relative: string, expiresAt: Date): Promise<void> {
  await store.transaction((tx) => tx.enrolments.create({ keId: `${relative}@${MEF}`, enroleeRef, ke: new SecretBytes(Buffer.from(freshKpmHex(), 'hex')), expiresAt }))
}

test('showEnrolee and listEnrolments give KeID metadata and expiry, never Ke; expired enrolments are left out', async (t) => {
  const { store, dbPath } = await openTestStore(t)
  const kpm = freshKpmHex()
  const a = await addEnrolee(store, pskInput('dev-a@mef.example.com', kpm), NOW)
  const b = await addEnrolee(store, pskInput('dev-b@mef.example.com', freshKpmHex()), NOW)
  const later = new Date(NOW.getTime() + 86_400_000)
  await enrol(store, a.enroleeRef, 'B'.repeat(32), later)
  await enrol(store, a.enroleeRef, 'A'.repeat(32), later)
  await enrol(store, a.enroleeRef, 'C'.repeat(32), new Date(NOW.getTime() - 1))
  await enrol(store, b.enroleeRef, 'D'.repeat(32), later)
  const details = await showEnrolee(store, 'dev-a@mef.example.com', NOW)
  assert.equal(details.enrolee.enroleeRef, a.enroleeRef)
  assert.deepEqual(details.enrolments.map((e) => e.keId), [`${'A'.repeat(32)}@${MEF}`, `${'B'.repeat(32)}@${MEF}`])
  assert.deepEqual(Object.keys(details.enrolments[0] ?? {}).sort(), ['createdAt', 'enroleeRef', 'expiresAt', 'keId', 'mefFqdn', 'relativeKeId'])
  assert.equal(details.enrolments[0]?.expiresAt.getTime(), later.getTime())
  const all = await listEnrolments(store, {}, NOW)
  assert.equal(all.items.length, 3)
  const first = await listEnrolments(store, { limit: 2 }, NOW)
  assert.equal(first.items.length, 2)
  assert.ok(first.nextCursor)
  const second = await listEnrolments(store, { limit: 2, cursor: first.nextCursor }, NOW)
  assert.deepEqual([...first.items, ...second.items].map((e) => e.keId), all.items.map((e) => e.keId))
  assert.equal(second.nextCursor, undefined)
  const onlyB = await listEnrolments(store, { enrolee: b.enroleeRef }, NOW)
  assert.deepEqual(onlyB.items.map((e) => e.keId), [`${'D'.repeat(32)}@${MEF}`])
  await assert.rejects(listEnrolments(store, { enrolee: 'nobody' }, NOW), { code: 'M2MSEC_ENROLEE_NOT_FOUND', kind: 'not-found' })
  await assert.rejects(listEnrolments(store, { cursor: 'nocursor' }, NOW), { code: 'M2MSEC_ENROLEE_INVALID', field: 'cursor' })
  await assert.rejects(showEnrolee(store, 'nobody', NOW), { code: 'M2MSEC_ENROLEE_NOT_FOUND' })
  assertNoKey([JSON.stringify(details), JSON.stringify(all), readFileSync(dbPath)], [kpm])
})

test('revokeEnrolee revokes the Kpm at once and deletes live enrolments so no Target can fetch a key', async (t) => {
  const { store } = await openTestStore(t)
  const a = await addEnrolee(store, pskInput('dev-a@mef.example.com', freshKpmHex()), NOW)
  const b = await addEnrolee(store, pskInput('dev-b@mef.example.com', freshKpmHex()), NOW)
  const later = new Date(NOW.getTime() + 86_400_000)
  await enrol(store, a.enroleeRef, 'A'.repeat(32), later)
  await enrol(store, b.enroleeRef, 'B'.repeat(32), later)
  const result = await revokeEnrolee(store, a.enroleeRef, NOW)
  assert.equal(result.alreadyRevoked, false)
  assert.equal(result.enrolee.status, 'revoked')
  assert.deepEqual(result.revokedKeIds, [`${'A'.repeat(32)}@${MEF}`])
  assert.deepEqual(await store.reader.findPskByIdentity('mef', 'dev-a@mef.example.com', NOW), { ok: false, refusal: 'revoked' })
  assert.equal(await store.reader.findEnrolment(`${'A'.repeat(32)}@${MEF}`, NOW), undefined)
  // the other enrolee is untouched
  assert.ok((await store.reader.findPskByIdentity('mef', 'dev-b@mef.example.com', NOW)).ok)
  assert.ok(await store.reader.findEnrolment(`${'B'.repeat(32)}@${MEF}`, NOW))
  const again = await revokeEnrolee(store, 'dev-a@mef.example.com', NOW)
  assert.equal(again.alreadyRevoked, true)
  const events = await store.transaction((tx) => tx.audit.list())
  assert.deepEqual(events.filter((e) => e.action === 'enrolee.revoke').map((e) => e.outcome), ['success', 'already-revoked'])
  await assert.rejects(revokeEnrolee(store, 'nobody', NOW), { code: 'M2MSEC_ENROLEE_NOT_FOUND' })
})
