/**
 * The MAF's audit trail: every handshake refusal, Km fetch from the MEF, registration change and
 * key procedure becomes one chained audit event with actor 'maf' and identifiers only (KmID,
 * KeID, RelativeKeyID, Client IDs) — never key bytes (STYLE.md §10). A procedure's success is
 * appended inside its own transaction; a refusal rolls that transaction back, so refused input
 * changes no stored state, and is then audited in a transaction of its own.
 */
import { M2mSecError } from '../../core/index.js'
import { OneM2mError, RSC, refused, rscForError } from '../../onem2m/index.js'
import type { JsonValue, StoreTx } from '../../store/index.js'
import type { MafDeps, MafPeer } from './context.js'

/** Action names, one per kind of event (stable: operators filter on them). */
export const MAF_AUDIT_ACTION = {
  handshake: 'maf.handshake',
  kmFetch: 'maf.km-fetch',
  clientRegistration: 'maf.client-registration',
  clientConfiguration: 'maf.client-configuration',
  clientRegistrationUpdate: 'maf.client-registration-update',
  clientDeregistration: 'maf.client-deregistration',
  keyRegistration: 'maf.key-registration',
  keyRetrieval: 'maf.key-retrieval',
  keyRegistrationUpdate: 'maf.key-registration-update',
  keyDeregistration: 'maf.key-deregistration',
  /** A request refused before any procedure ran (Host, `fr`, unknown resource). */
  request: 'maf.request',
} as const
export type MafAuditAction = (typeof MAF_AUDIT_ACTION)[keyof typeof MAF_AUDIT_ACTION]

/** Identifiers an audit event is about; a procedure adds to it as it learns them. */
export type AuditSubject = Record<string, JsonValue>

export interface MafAuditEvent {
  readonly action: MafAuditAction
  readonly subject: AuditSubject
  /** 'ok', or 'refused:<reason>' with a stable reason token or rsc. */
  readonly outcome: string
  readonly at?: Date
}

/** Appends `event` inside the caller's transaction. */
export async function appendMafAudit(tx: StoreTx, deps: Pick<MafDeps, 'auditLink'>, event: MafAuditEvent): Promise<void> {
  await tx.audit.append({ actor: 'maf', action: event.action, subject: event.subject, outcome: event.outcome, ...(event.at ? { at: event.at } : {}) }, deps.auditLink)
}

/** Appends `event` in a transaction of its own (events that change no other state). */
export async function recordMafAudit(deps: Pick<MafDeps, 'store' | 'auditLink'>, event: MafAuditEvent): Promise<void> {
  await deps.store.transaction((tx) => appendMafAudit(tx, deps, event))
}

export function refusedOutcome(reason: string): string {
  return `refused:${reason}`
}

/** The non-secret identity of a peer, as audit subjects record it. */
export function peerSubject(peer: MafPeer): AuditSubject {
  return { credential: peer.credential, clientId: peer.clientId, credentialId: peer.credentialId, ...(peer.identity === undefined ? {} : { identity: peer.identity }) }
}

/**
 * Store outcomes that are the peer's doing, answered as refusals: an identifier issued meanwhile
 * by a concurrent request (4105), a record removed meanwhile (4004).
 */
function asRefusal(error: unknown): OneM2mError | undefined {
  if (error instanceof OneM2mError) return error.kind === 'internal' ? undefined : error
  if (!(error instanceof M2mSecError)) return undefined
  if (error.code === 'M2MSEC_STORE_CONFLICT') return refused(RSC.CONFLICT, 'the identifier was issued before', { cause: error })
  if (error.code === 'M2MSEC_STORE_NOT_FOUND') return refused(RSC.NOT_FOUND, 'no such resource', { cause: error })
  return undefined
}

export interface AuditedRun {
  readonly deps: MafDeps
  readonly action: MafAuditAction
  readonly peer: MafPeer
  readonly now: Date
}

/**
 * Runs `work` in one transaction and audits its outcome: 'ok' in that transaction;
 * `refused:<rsc>` (reason in the subject) or `failed:<rsc>` (error code) after the rollback.
 * @throws OneM2mError the refusal `work` raised (store conflicts as 4105, vanished records as
 *         4004); any other error unchanged.
 */
export async function auditedProcedure<T>(run: AuditedRun, work: (tx: StoreTx, subject: AuditSubject) => Promise<T>): Promise<T> {
  const subject: AuditSubject = peerSubject(run.peer)
  const event = (outcome: string, extra: AuditSubject): MafAuditEvent => ({ at: run.now, action: run.action, subject: { ...subject, ...extra }, outcome })
  try {
    return await run.deps.store.transaction(async (tx) => {
      const result = await work(tx, subject)
      await appendMafAudit(tx, run.deps, event('ok', {}))
      return result
    })
  } catch (error) {
    const refusal = asRefusal(error)
    const extra: AuditSubject = refusal !== undefined
      ? { rsc: refusal.rsc, reason: refusal.message }
      : { rsc: rscForError(error), code: error instanceof M2mSecError ? error.code : 'unexpected' }
    try {
      await recordMafAudit(run.deps, event(`${refusal === undefined ? 'failed' : 'refused'}:${String(extra.rsc)}`, extra))
    } catch {
      // The peer's answer must not change because the audit log could not be written; the
      // original error already reaches the service's onError.
    }
    throw refusal ?? error
  }
}
