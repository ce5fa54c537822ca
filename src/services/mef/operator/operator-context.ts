/**
 * What every operator function shares: the audit actor and linker, the store-error mapping, and
 * how an operator names an enrolee (its reference, its KpmID, or its certificate identity).
 * Writes append one audit event each, in the same transaction as the write (issue 4 audit log),
 * with identifiers only — never key bytes.
 */
import type { AuditLinker, EnroleeRecord, StoreTx } from '../../../store/index.js'
import { auditLinker, StoreError } from '../../../store/index.js'
import { parseExpectedIdentity } from './certificate-identity.js'
import { OperatorError, invalidField } from './errors.js'
import type { ValidEnrolee } from './enrolee-input.js'

export const OPERATOR_ACTOR = 'operator'

export interface OperatorOptions {
  /** Links audit events into the chain; default the SHA-256 chain of store/audit. */
  readonly auditLink?: AuditLinker
  /**
   * Who acts, as the audit event names it: default `operator` (the local CLI); the admin API
   * passes `admin:token` or `admin:<operator certificate URI>`, so one event says who wrote.
   */
  readonly actor?: string
}

export function linkerOf(options: OperatorOptions): AuditLinker {
  return options.auditLink ?? auditLinker()
}

export function actorOf(options: OperatorOptions): string {
  return options.actor ?? OPERATOR_ACTOR
}

/** Store conflicts and misses as the operator's codes; everything else unchanged. */
export function operatorError(error: unknown): unknown {
  if (error instanceof StoreError && error.code === 'M2MSEC_STORE_CONFLICT') {
    return new OperatorError('M2MSEC_ENROLEE_EXISTS', 'conflict', 'an enrolee or MEF PSK with this identity already exists', { cause: error })
  }
  if (error instanceof StoreError && error.code === 'M2MSEC_STORE_NOT_FOUND') {
    return new OperatorError('M2MSEC_ENROLEE_NOT_FOUND', 'not-found', 'no such enrolee', { cause: error })
  }
  return error
}

export const SELECTOR_MAX_LENGTH = 1024

/**
 * The enrolee named by `selector`: an enrolee reference, a KpmID, a certificate identity in text
 * form (`ae-id://…`) or its lookup key, or a GBA IMPI — tried in that order.
 * @throws OperatorError M2MSEC_ENROLEE_NOT_FOUND; M2MSEC_ENROLEE_INVALID for an empty selector.
 */
export async function resolveEnrolee(tx: StoreTx, selector: string): Promise<EnroleeRecord> {
  if (selector === '' || selector.length > SELECTOR_MAX_LENGTH) throw invalidField('enrolee', 'is empty or too long')
  const byRef = await tx.enrolees.get(selector)
  if (byRef !== undefined) return byRef
  const byKpm = await tx.enrolees.findByCredential('psk', selector)
  if (byKpm !== undefined) return byKpm
  let certKey = selector
  try {
    certKey = parseExpectedIdentity(selector).key
  } catch {
    // not in text form: try it as the lookup key itself
  }
  const byCert = await tx.enrolees.findByCredential('certificate', certKey) ?? await tx.enrolees.findByCredential('gba', selector)
  if (byCert !== undefined) return byCert
  throw new OperatorError('M2MSEC_ENROLEE_NOT_FOUND', 'not-found', `no enrolee with reference, KpmID or identity ${JSON.stringify(selector)}`)
}

/** Whether the credential of `valid` is free (no enrolee, and for a KpmID no MEF PSK of any owner). */
export async function credentialConflict(tx: StoreTx, valid: ValidEnrolee, now: Date): Promise<boolean> {
  if (await tx.enrolees.findByCredential(valid.credentialKind, valid.credentialIdentity) !== undefined) return true
  if (valid.credentialKind !== 'psk') return false
  // A KpmID assigned by an MEF Client Registration lives only in psk_credentials.
  const psk = await tx.pskCredentials.find('mef', valid.credentialIdentity, now)
  if (psk.ok) psk.credential.key.wipe()
  return psk.ok || psk.refusal !== 'unknown-identity'
}

export function conflictError(valid: ValidEnrolee): OperatorError {
  const what = valid.credentialKind === 'psk' ? 'KpmID' : 'certificate identity'
  return new OperatorError('M2MSEC_ENROLEE_EXISTS', 'conflict', `${what} ${valid.credentialIdentity} is already in use`, {
    field: valid.credentialKind === 'psk' ? 'kpmId' : 'expectedIdentity',
  })
}

/** Audit subject of a newly added enrolee: identifiers and authorisations, no key. */
export function addedSubject(ref: string, valid: ValidEnrolee): { readonly [key: string]: string | number | readonly string[] } {
  return {
    enroleeRef: ref,
    credentialKind: valid.credentialKind,
    credentialIdentity: valid.credentialIdentity,
    ...(valid.enroleeId === undefined ? {} : { enroleeId: valid.enroleeId }),
    enrolmentLifetimeMs: valid.enrolee.enrolmentLifetimeMs,
    targets: valid.targets.map((t) => `${t.suid}:${t.targetId}`),
  }
}
