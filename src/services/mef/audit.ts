/**
 * The MEF's audit trail (issue 5: "the reason goes to the audit log"). Every enrolment, handshake
 * refusal, registration change and fetchCredentials answer becomes one chained audit event with
 * actor 'mef', identifiers only (KpmID, KeID, Target ID, …) — never key bytes. Events written
 * together with a procedure's state go through `appendMefAudit(tx, …)` inside its transaction;
 * events with no state of their own (a refused handshake) use `recordMefAudit`.
 *
 * One refusal, one event: a procedure that audits its own refusals (the key procedures, with
 * the reason and the RelativeKeyID) marks the error it throws with `markAudited`, and the
 * service's catch-all `mef.request` event is written only for errors nobody audited.
 */
import type { JsonValue, StoreTx } from '../../store/index.js'
import type { MefDeps } from './context.js'

/** Action names, one per kind of event (stable: operators filter on them). */
export const MEF_AUDIT_ACTION = {
  handshake: 'mef.handshake',
  enrolment: 'mef.enrolment',
  clientRegistration: 'mef.client-registration',
  clientRegistrationUpdate: 'mef.client-registration-update',
  clientDeregistration: 'mef.client-deregistration',
  clientCommand: 'mef.client-command',
  fetchCredentials: 'mef.fetch-credentials',
  /** A request refused before or inside a procedure that does not audit its own refusals (the rsc is in the outcome). */
  request: 'mef.request',
} as const
export type MefAuditAction = (typeof MEF_AUDIT_ACTION)[keyof typeof MEF_AUDIT_ACTION]

export interface MefAuditEvent {
  readonly action: MefAuditAction
  /** Identifiers the event is about; never a key. */
  readonly subject: { readonly [key: string]: JsonValue }
  /** 'ok', or 'refused:<reason>' with a stable reason token. */
  readonly outcome: string
  readonly at?: Date
}

/** Appends `event` inside the caller's transaction (commits or rolls back with the procedure). */
export async function appendMefAudit(tx: StoreTx, deps: Pick<MefDeps, 'auditLink'>, event: MefAuditEvent): Promise<void> {
  await tx.audit.append({ actor: 'mef', action: event.action, subject: event.subject, outcome: event.outcome, ...(event.at ? { at: event.at } : {}) }, deps.auditLink)
}

/** Appends `event` in a transaction of its own (refusals that change no other state). */
export async function recordMefAudit(deps: Pick<MefDeps, 'store' | 'auditLink'>, event: MefAuditEvent): Promise<void> {
  await deps.store.transaction((tx) => appendMefAudit(tx, deps, event))
}

const audited = new WeakSet<object>()

/** Marks `error` as already recorded in the audit log (call after the append succeeded). */
export function markAudited<E>(error: E): E {
  if (typeof error === 'object' && error !== null) audited.add(error)
  return error
}

/** True when a procedure already audited `error`, so the service must not record it again. */
export function isAudited(error: unknown): boolean {
  return typeof error === 'object' && error !== null && audited.has(error)
}

/** 'refused:<reason>' */
export function refusedOutcome(reason: string): string {
  return `refused:${reason}`
}
