// One refusal, one audit event (issue 5 "the reason goes to the audit log"): a procedure that
// audits its own refusal marks the error, so the service's generic `mef.request` event is not
// written again; fetchCredentials refusals decided before the procedure are reported by the
// router as `mef.fetch-credentials`, because they never reach the service's catch.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { OPERATION } from '../../../../src/onem2m/index.js'
import { isAudited, markAudited, type MefAuditEvent } from '../../../../src/services/mef/audit.js'
import { dispatch, routeRequest, routeTo } from '../../../../src/services/mef/router.js'
import { MEF_FQDN, addEnrolee, auditEvents, mefRequest, openTestMef, primitive, targetPeer } from './procedures/key-fixtures.js'

test('markAudited marks that very error object; anything else is unmarked', () => {
  const a = new Error('a')
  assert.equal(isAudited(a), false)
  assert.equal(markAudited(a), a)
  assert.ok(isAudited(a))
  assert.equal(isAudited(new Error('a')), false)
  assert.equal(isAudited(undefined), false)
  assert.equal(isAudited('a'), false)
  markAudited('text')
  assert.equal(isAudited('text'), false, 'primitives cannot be marked')
})

test('a key procedure refusal is audited once by the procedure and marked; a client-registration refusal is left to the service', async (t) => {
  const mef = await openTestMef(t)
  const peer = await addEnrolee(mef, { clientId: '//sp.example.com/Sdev01' })
  const run = (to: string) => dispatch(mefRequest(mef, primitive(OPERATION.RETRIEVE, to), peer), mef.deps, routeTo(to, MEF_FQDN))
  const keyError = await run(`mef/${'C4'.repeat(16)}`).catch((e: unknown) => e)
  assert.equal((keyError as { rsc?: number }).rsc, 4004)
  assert.ok(isAudited(keyError))
  const events = await auditEvents(mef)
  assert.deepEqual(events.filter((e) => e.outcome.startsWith('refused')).map((e) => `${e.action} ${e.outcome}`), ['mef.key-retrieval refused:4004'])
  const regError = await run('mef/ecrZZZZZZZZZZZZZZZZ').catch((e: unknown) => e)
  assert.equal((regError as { rsc?: number }).rsc, 4004)
  assert.equal(isAudited(regError), false, 'the service records this one as mef.request')
  assert.equal((await auditEvents(mef)).length, events.length)
})

test('§6: a fetchCredentials request refused by the router (fr not the Target) answers stat false and reports one event', async (t) => {
  const mef = await openTestMef(t)
  const seen: MefAuditEvent[] = []
  const to = `fetchCredentials/${'AB'.repeat(16)}@${MEF_FQDN}/22`
  const peer = targetPeer('cse-b01.sp.example.com', ['//sp.example.com/CSE-B01'])
  const p = primitive(OPERATION.RETRIEVE, to, undefined, { fr: '//sp.example.com/CSE-B02' })
  const reply = await routeRequest(mefRequest(mef, p, peer), mef.deps, MEF_FQDN, (e) => seen.push(e))
  assert.equal(reply.response.rsc, 4106)
  assert.equal((reply.response.pc as Record<string, Record<string, unknown>>)['sec:fcr']!.stat, false)
  assert.equal(seen.length, 1)
  assert.equal(seen[0]!.action, 'mef.fetch-credentials')
  assert.equal(seen[0]!.outcome, 'refused:4106')
  assert.deepEqual({ ...seen[0]!.subject }, { to, fr: '//sp.example.com/CSE-B02', peer: 'cse-b01.sp.example.com' })
  // A refusal the procedure decided (unknown KeID) is its own event, not the router's.
  const ok = primitive(OPERATION.RETRIEVE, to, undefined, { fr: '//sp.example.com/CSE-B01' })
  const unknown = await routeRequest(mefRequest(mef, ok, peer), mef.deps, MEF_FQDN, (e) => seen.push(e))
  assert.equal(unknown.response.rsc, 4004)
  assert.equal(seen.length, 1, 'the router reports nothing for it')
  assert.deepEqual((await auditEvents(mef)).map((e) => `${e.action} ${e.outcome}`), ['mef.fetch-credentials refused:unknown-ke-id'])
})
