/**
 * Enrolment Key generation at the MEF (TS-0003 10.3.1, 10.3.4; frameworks.md §10.3, §11): Ke
 * and KeID from the `EXPORTER-oneM2M-Bootstrap` export of the very TLS session the enrolee
 * authenticated on, stored with its Enrolment Expiry (10.7, OQ-28).
 *
 * When: inside the transaction of the first successful MEF Client Registration CREATE on a
 * bootstrap session (docs/decisions.md, issue 5). A handshake alone stores nothing, so a
 * scanner holding a stolen-then-revoked Kpm, a probe or a half-open session leaves no key
 * behind; the enrolee's status is re-read inside that transaction, so an enrolee revoked
 * between handshake and request cannot enrol. One session yields one Ke: a second CREATE on the
 * same session reuses it (the export is a function of the session, so a second insert could
 * only collide). The enrolee computes the same KeID from the same export, so no response
 * field carries it; operators see it in `m2msec enrolments list`.
 *
 * Re-enrolment (a device that lost its credential file, or whose Ke expired, enrols again on a
 * new session) supersedes its previous registration and ends the enrolee's previous enrolments
 * (`endPriorEnrolments`): the enrolee holds one credential, so an older Ke can only be in a
 * lost or stolen file, and keeping it would let its holder obtain Target keys until the old
 * Enrolment Expiry.
 */
import { EXPORTER_LABEL_BOOTSTRAP, EXPORTER_LENGTH, enrolmentKeyFromExport, formatKeId } from '../../core/index.js'
import type { EnroleeRecord, StoreTx } from '../../store/index.js'
import { appendMefAudit, MEF_AUDIT_ACTION } from './audit.js'
import type { MefDeps, MefSession } from './context.js'

export interface SessionEnrolment {
  readonly keId: string
  readonly expiresAt: Date
}

interface SessionState {
  readonly enrolment: SessionEnrolment
  /** MEFClientRegIDs created on this session (a repeated CREATE for one of them is a duplicate, 4105). */
  readonly regIds: Set<string>
}

const enrolledSessions = new WeakMap<MefSession, SessionState>()

/** The enrolment this session already produced, if any. */
export function sessionEnrolment(session: MefSession): SessionEnrolment | undefined {
  return enrolledSessions.get(session)?.enrolment
}

/** True when `regId` was created on `session`. */
export function registeredOnSession(session: MefSession, regId: string): boolean {
  return enrolledSessions.get(session)?.regIds.has(regId) === true
}

/**
 * Records that `session` produced `enrolment` (kept from the first call) and registration
 * `regId`; call only after its transaction committed.
 */
export function markSessionEnrolled(session: MefSession, enrolment: SessionEnrolment, regId?: string): void {
  let state = enrolledSessions.get(session)
  if (state === undefined) {
    state = { enrolment, regIds: new Set() }
    enrolledSessions.set(session, state)
  }
  if (regId !== undefined) state.regIds.add(regId)
}

/**
 * Deletes every live enrolment of `enroleeRef` except `keepKeId`, inside `tx` (re-enrolment:
 * the previous Ke stops working at once, for fetchCredentials too). Returns the ended KeIDs;
 * the caller audits them with the event that caused it.
 */
export async function endPriorEnrolments(tx: StoreTx, enroleeRef: string, keepKeId: string, now: Date): Promise<string[]> {
  const live = await tx.enrolments.listByEnrolee(enroleeRef, now)
  const ended = live.map((e) => e.keId).filter((keId) => keId.toLowerCase() !== keepKeId.toLowerCase())
  for (const keId of ended) await tx.enrolments.delete(keId)
  return ended
}

/**
 * Derives Ke/KeID from `session` and stores them for `enrolee` inside `tx`, with an audit event.
 * @throws StoreError M2MSEC_STORE_CONFLICT when the RelativeKeID was ever issued (never for a fresh session).
 */
export async function enrolFromSession(
  tx: StoreTx,
  deps: Pick<MefDeps, 'config' | 'auditLink'>,
  session: MefSession,
  enrolee: EnroleeRecord,
  now: Date,
): Promise<SessionEnrolment> {
  const material = session.exportKeyingMaterial(EXPORTER_LABEL_BOOTSTRAP, EXPORTER_LENGTH)
  try {
    const { relativeKeId, ke } = enrolmentKeyFromExport(material.reveal())
    const keId = formatKeId(relativeKeId, deps.config.fqdn)
    const expiresAt = new Date(now.getTime() + enrolee.enrolmentLifetimeMs)
    try {
      await tx.enrolments.create({ keId, enroleeRef: enrolee.enroleeRef, ke, expiresAt })
    } finally {
      ke.wipe()
    }
    await appendMefAudit(tx, deps, {
      action: MEF_AUDIT_ACTION.enrolment,
      subject: { keId, enroleeRef: enrolee.enroleeRef, credentialIdentity: enrolee.credentialIdentity, expiresAt: expiresAt.toISOString() },
      outcome: 'ok',
      at: now,
    })
    return { keId, expiresAt }
  } finally {
    material.wipe()
  }
}
