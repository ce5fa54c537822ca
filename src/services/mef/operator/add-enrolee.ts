/**
 * `addEnrolee`: registers one enrolee at the MEF (frameworks.md §10.1 MEF instruction config,
 * §11 enrolee certificate information). Validation runs before the transaction; the enrolee,
 * its Targets, its Kpm (sealed, psk_credentials usage 'mef') and the audit event commit together.
 */
import type { Store } from '../../../store/index.js'
import { validateEnrolee } from './enrolee-input.js'
import type { EnroleeInput } from './enrolee-input.js'
import { enroleeView } from './enrolee-view.js'
import type { EnroleeView } from './enrolee-view.js'
import { actorOf, addedSubject, conflictError, credentialConflict, linkerOf, operatorError } from './operator-context.js'
import type { OperatorOptions } from './operator-context.js'

/**
 * Validates `input` and stores the enrolee; returns it without key material.
 * @throws OperatorError M2MSEC_ENROLEE_INVALID / M2MSEC_ENROLEE_KPM_WEAK (bad input, nothing
 *   written), M2MSEC_ENROLEE_EXISTS (KpmID or certificate identity in use); StoreError
 *   M2MSEC_STORE_UNAVAILABLE and other store failures.
 */
export async function addEnrolee(store: Store, input: EnroleeInput, now: Date, options: OperatorOptions = {}): Promise<EnroleeView> {
  const valid = validateEnrolee(input, now)
  const link = linkerOf(options)
  try {
    return await store.transaction(async (tx) => {
      if (await credentialConflict(tx, valid, now)) throw conflictError(valid)
      const record = await tx.enrolees.create(valid.enrolee)
      await tx.audit.append({ at: now, actor: actorOf(options), action: 'enrolee.add', subject: addedSubject(record.enroleeRef, valid), outcome: 'success' }, link)
      return enroleeView(record)
    })
  } catch (error) {
    throw operatorError(error)
  }
}
