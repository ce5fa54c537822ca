/**
 * How every MEF key procedure (TS-0003 8.3.5.2.7–8.3.5.2.10) touches the store: its reads and
 * writes run in one transaction, which also appends the audit event of a success; a refusal
 * rolls that transaction back — so refused input changes no stored state — and is audited in
 * a transaction of its own and marked (audit.ts markAudited), so the service records no second,
 * generic event for it. Audit subjects hold identifiers only (peer, RelativeKeyID, SUID,
 * rsc, reason), never key bytes (STYLE.md §10).
 */
import { M2mSecError } from '../../../core/index.js'
import { OneM2mError, RSC, refused, rscForError } from '../../../onem2m/index.js'
import type { JsonValue } from '../../../onem2m/index.js'
import type { StoreTx } from '../../../store/index.js'
import { markAudited } from '../audit.js'
import type { MefDeps, MefPeer } from '../context.js'

export const KEY_AUDIT_ACTION = {
  registration: 'mef.key-registration',
  retrieval: 'mef.key-retrieval',
  update: 'mef.key-registration-update',
  deregistration: 'mef.key-deregistration',
} as const
export type KeyAuditAction = (typeof KEY_AUDIT_ACTION)[keyof typeof KEY_AUDIT_ACTION]

/** Identifiers an audit event is about; a procedure adds to it as it learns them. */
export type AuditSubject = Record<string, JsonValue>

/** The non-secret identity of the peer, as audit subjects record it. */
export function peerSubject(peer: MefPeer): AuditSubject {
  return peer.kind === 'enrolee'
    ? { peer: 'enrolee', enroleeRef: peer.enroleeRef, clientId: peer.clientId, credentialId: peer.credentialId }
    : { peer: 'target', fqdn: peer.fqdn }
}

/**
 * Store outcomes that are the peer's doing, answered as refusals: an identifier issued
 * meanwhile by a concurrent request (4105), a registration removed meanwhile (4004).
 */
function asRefusal(error: unknown): OneM2mError | undefined {
  // An internal OneM2mError is our own writer failing, not the peer's request.
  if (error instanceof OneM2mError) return error.kind === 'internal' ? undefined : error
  if (!(error instanceof M2mSecError)) return undefined
  if (error.code === 'M2MSEC_STORE_CONFLICT') return refused(RSC.CONFLICT, 'the RelativeKeyID was issued before', { cause: error })
  if (error.code === 'M2MSEC_STORE_NOT_FOUND') return refused(RSC.NOT_FOUND, 'no such key registration', { cause: error })
  return undefined
}

export interface AuditedRun {
  readonly deps: MefDeps
  readonly action: KeyAuditAction
  readonly peer: MefPeer
  readonly now: Date
}

/**
 * Runs `work` in one transaction and audits its outcome: 'ok' in the same transaction;
 * `refused:<rsc>` (reason in the subject) or `failed:<rsc>` (error code in the subject) after
 * the rollback — the outcome format of the MEF's other audit events (services/mef/audit.ts).
 * @throws OneM2mError the refusal `work` raised (store conflicts as 4105, vanished records as
 *         4004); any other error unchanged.
 */
export async function auditedKeyProcedure<T>(run: AuditedRun, work: (tx: StoreTx, subject: AuditSubject) => Promise<T>): Promise<T> {
  const subject: AuditSubject = peerSubject(run.peer)
  const event = (outcome: string, extra: AuditSubject) => ({ at: run.now, actor: 'mef', action: run.action, subject: { ...subject, ...extra }, outcome })
  try {
    return await run.deps.store.transaction(async (tx) => {
      const result = await work(tx, subject)
      await tx.audit.append(event('ok', {}), run.deps.auditLink)
      return result
    })
  } catch (error) {
    const refusal = asRefusal(error)
    const extra: AuditSubject = refusal !== undefined
      ? { rsc: refusal.rsc, reason: refusal.message }
      : { rsc: rscForError(error), code: error instanceof M2mSecError ? error.code : 'unexpected' }
    const thrown: unknown = refusal ?? error
    try {
      const outcome = `${refusal === undefined ? 'failed' : 'refused'}:${String(extra.rsc)}`
      await run.deps.store.transaction((tx) => tx.audit.append(event(outcome, extra), run.deps.auditLink))
      // This event is the refusal's record; the service must not add a generic `mef.request` one.
      markAudited(thrown)
    } catch {
      // The peer's answer must not change because the audit log could not be written (e.g. the
      // database is down, which the original error already reports to the service's onError).
      // Left unmarked, so the service's own audit attempt still records it if it can.
    }
    throw thrown
  }
}
