/**
 * `deleteEnrolee`: forgets an enrolee altogether — its record, its targets, its Kpm and its live
 * enrolments (Ke/KeID) go in one transaction with the audit event. Unlike revokeEnrolee nothing
 * is kept to say the enrolee existed except the audit chain, so its KpmID or certificate identity
 * can be registered again. Keys a Target fetched earlier are outside the MEF's reach and expire
 * with their lifetime, as after a revocation.
 */
import type { Store } from '../../../store/index.js'
import { enroleeView } from './enrolee-view.js'
import type { EnroleeView } from './enrolee-view.js'
import { actorOf, linkerOf, operatorError, resolveEnrolee } from './operator-context.js'
import type { OperatorOptions } from './operator-context.js'

export interface DeleteResult {
  /** The enrolee as it was just before the delete. */
  readonly enrolee: EnroleeView
  /** KeIDs of the live enrolments deleted with it. */
  readonly deletedKeIds: readonly string[]
}

/**
 * Deletes the enrolee named by reference, KpmID or certificate identity.
 * @throws OperatorError M2MSEC_ENROLEE_NOT_FOUND; StoreError on store failure (nothing changed).
 */
export async function deleteEnrolee(store: Store, selector: string, now: Date, options: OperatorOptions = {}): Promise<DeleteResult> {
  try {
    return await store.transaction(async (tx) => {
      const record = await resolveEnrolee(tx, selector)
      const live = await tx.enrolments.listByEnrolee(record.enroleeRef, now)
      await tx.enrolees.delete(record.enroleeRef)
      const deletedKeIds = live.map((e) => e.keId)
      await tx.audit.append({
        at: now, actor: actorOf(options), action: 'enrolee.delete',
        subject: { enroleeRef: record.enroleeRef, credentialKind: record.credentialKind, credentialIdentity: record.credentialIdentity, deletedKeIds },
        outcome: 'success',
      }, linkerOf(options))
      return { enrolee: enroleeView(record), deletedKeIds }
    })
  } catch (error) {
    throw operatorError(error)
  }
}
