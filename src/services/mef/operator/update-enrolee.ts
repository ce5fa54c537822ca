/**
 * `updateEnrolee`: changes what an operator may change on an existing enrolee — its Enrolment
 * Expiry, its authorised Enrolment Targets and its Enrolee-ID (frameworks.md §10.1 MEF instruction
 * config) — never its credential (a new KpmID or certificate is a new enrolee) and never its status
 * (revocation is revokeEnrolee: the store knows active and revoked only, D-155).
 *
 * The enrolee with the patch applied is checked again by validateEnrolee, the same function that
 * checked it when it was added, so an update can never store what an add would refuse. The PPSK
 * credential is not part of the patch and its sealed Kpm is never read: a throw-away random Kpm
 * stands in for it during validation (it only has to pass the strength check) and is wiped.
 */
import { randomBytes } from 'node:crypto'
import type { JsonValue, Store } from '../../../store/index.js'
import { formatDuration } from './duration.js'
import { enroleeInputFromJson, ENROLEE_CONFIG_KEYS, validateEnrolee } from './enrolee-input.js'
import { enroleeView } from './enrolee-view.js'
import type { EnroleeView } from './enrolee-view.js'
import { invalidField } from './errors.js'
import { actorOf, linkerOf, operatorError, resolveEnrolee } from './operator-context.js'
import type { OperatorOptions } from './operator-context.js'

/** The fields an update may change; an absent field keeps its value. */
export interface EnroleeUpdate {
  /** Enrolment Expiry (`30d`, `PT24H`). */
  readonly enrolmentExpiry?: string
  /** The complete new target list (objects or `SUID:TARGET-ID…` text, as in EnroleeInput); [] removes all. */
  readonly targets?: readonly unknown[]
  /** A new Enrolee-ID; null removes it. */
  readonly enroleeId?: string | null
}

/** The enrolee as an input object again, with `update` applied: what validateEnrolee checks. */
function mergedInput(view: EnroleeView, update: EnroleeUpdate): Record<string, unknown> {
  const targets = update.targets ?? view.targets.map((t) => ({
    targetId: t.targetId, suid: t.suid, ...(t.derivationId === undefined ? {} : { derivationId: t.derivationId }),
    ...(t.keyLifetimeMs === undefined ? {} : { keyLifetime: formatDuration(t.keyLifetimeMs) }),
  }))
  const enroleeId = update.enroleeId === null ? undefined : update.enroleeId ?? view.enroleeId
  const credential = view.credentialKind === 'psk'
    ? { kpmId: view.credentialIdentity, kpm: randomBytes(32).toString('hex') }
    : { trustAnchorPem: view.trustAnchorPem, expectedIdentity: view.expectedIdentity }
  return { ...credential, enrolmentExpiry: update.enrolmentExpiry ?? view.enrolmentExpiry, targets, ...(enroleeId === undefined ? {} : { enroleeId }) }
}

function changedFields(update: EnroleeUpdate): string[] {
  return (['enrolmentExpiry', 'targets', 'enroleeId'] as const).filter((k) => update[k] !== undefined)
}

/**
 * Applies `update` to the enrolee named by reference, KpmID or certificate identity.
 * @throws OperatorError M2MSEC_ENROLEE_INVALID (empty update or a bad field; nothing written),
 *   M2MSEC_ENROLEE_NOT_FOUND; StoreError on store failure.
 */
export async function updateEnrolee(store: Store, selector: string, update: EnroleeUpdate, now: Date, options: OperatorOptions = {}): Promise<EnroleeView> {
  const fields = changedFields(update)
  if (fields.length === 0) throw invalidField('update', 'names no field to change (enrolmentExpiry, targets, enroleeId)')
  if (update.enroleeId === '') throw invalidField('enroleeId', 'is empty (null removes it)')
  try {
    return await store.transaction(async (tx) => {
      const record = await resolveEnrolee(tx, selector)
      if (record.credentialKind === 'gba') throw invalidField('enrolee', 'a GBA enrolee is not managed by the MEF operator')
      const valid = validateEnrolee(enroleeInputFromJson(mergedInput(enroleeView(record), update)), now)
      if (valid.enrolee.credential.kind === 'psk') valid.enrolee.credential.kpm.wipe()
      // Keep config keys this function does not own; replace the derivation ids with the new targets'.
      const config: { [key: string]: JsonValue } = { ...record.config }
      delete config[ENROLEE_CONFIG_KEYS.targetDerivationIds]
      const updated = await tx.enrolees.update(record.enroleeRef, {
        enroleeId: valid.enroleeId ?? null, enrolmentLifetimeMs: valid.enrolee.enrolmentLifetimeMs, targets: valid.enrolee.targets, config: { ...config, ...valid.enrolee.config },
      })
      await tx.audit.append({
        at: now, actor: actorOf(options), action: 'enrolee.update',
        subject: {
          enroleeRef: record.enroleeRef, fields, enrolmentLifetimeMs: valid.enrolee.enrolmentLifetimeMs,
          targets: valid.targets.map((t) => `${t.suid}:${t.targetId}`), ...(valid.enroleeId === undefined ? {} : { enroleeId: valid.enroleeId }),
        },
        outcome: 'success',
      }, linkerOf(options))
      return enroleeView(updated)
    })
  } catch (error) {
    throw operatorError(error)
  }
}
