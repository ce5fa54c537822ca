/**
 * `revokeEnrolee`: what an operator means by "revoke" — the enrolee can no longer enrol and
 * nothing it obtained earlier keeps working at the MEF. In one transaction: status 'revoked',
 * which the store turns into an immediate revocation of its Kpm (psk_credentials.revoked_at,
 * so the next PPSK handshake fails); and every live enrolment (Ke/KeID) of the enrolee is
 * deleted, because the store's enrolment lookup (fetchCredentials, §10.5 e i) does not consult
 * the enrolee's status — a Target asking for a key under an old KeID now gets "unknown KeID".
 * The deleted KeIDs go to the audit event and the result. Keys a Target fetched before the
 * revocation are outside the MEF's reach and expire with their lifetime.
 *
 * Revoking a revoked enrolee is not an error (scripts may retry); the result says so.
 */
import type { Store } from '../../../store/index.js'
import { enroleeView } from './enrolee-view.js'
import type { EnroleeView } from './enrolee-view.js'
import { actorOf, linkerOf, operatorError, resolveEnrolee } from './operator-context.js'
import type { OperatorOptions } from './operator-context.js'

export interface RevokeResult {
  readonly enrolee: EnroleeView
  readonly alreadyRevoked: boolean
  /** KeIDs of the enrolments deleted by this revocation. */
  readonly revokedKeIds: readonly string[]
}

/**
 * Revokes the enrolee named by reference, KpmID or certificate identity.
 * @throws OperatorError M2MSEC_ENROLEE_NOT_FOUND; StoreError on store failure (nothing changed).
 */
export async function revokeEnrolee(store: Store, selector: string, now: Date, options: OperatorOptions = {}): Promise<RevokeResult> {
  const link = linkerOf(options)
  try {
    return await store.transaction(async (tx) => {
      const record = await resolveEnrolee(tx, selector)
      const alreadyRevoked = record.status === 'revoked'
      await tx.enrolees.setStatus(record.enroleeRef, 'revoked')
      // setStatus stamps the store's clock; stamp the caller's `now` so the Kpm is refused from
      // the instant the operator names, whatever clock the store was opened with.
      await tx.pskCredentials.revokeByOwner('enrolee', record.enroleeRef, now)
      const live = await tx.enrolments.listByEnrolee(record.enroleeRef, now)
      for (const enrolment of live) await tx.enrolments.delete(enrolment.keId)
      const revokedKeIds = live.map((e) => e.keId)
      await tx.audit.append({
        at: now,
        actor: actorOf(options),
        action: 'enrolee.revoke',
        subject: { enroleeRef: record.enroleeRef, credentialKind: record.credentialKind, credentialIdentity: record.credentialIdentity, revokedKeIds },
        outcome: alreadyRevoked ? 'already-revoked' : 'success',
      }, link)
      const updated = await tx.enrolees.get(record.enroleeRef)
      return { enrolee: enroleeView(updated ?? { ...record, status: 'revoked' }), alreadyRevoked, revokedKeIds }
    })
  } catch (error) {
    throw operatorError(error)
  }
}
