/**
 * What every gateway operator write shares: who acts (the audit actor: `operator` from the CLI,
 * `admin:<token|certificate subject>` from the admin API), the audit linker, and the clock. Each
 * write appends one audit event in the transaction of the write, identifiers only.
 */
import { auditLinker, StoreError, type AuditLinker } from '../../../store/index.js'
import { GatewayOperatorError } from './errors.js'

export interface GatewayOperatorOptions {
  /** Audit actor; default `operator`. */
  readonly actor?: string
  readonly auditLink?: AuditLinker
  readonly now?: Date
}

export function actorOf(options: GatewayOperatorOptions): string {
  return options.actor ?? 'operator'
}

export function linkOf(options: GatewayOperatorOptions): AuditLinker {
  return options.auditLink ?? auditLinker()
}

/** A store miss as this layer's not-found; everything else unchanged. */
export function operatorError(error: unknown, what: string): unknown {
  if (error instanceof StoreError && error.code === 'M2MSEC_STORE_NOT_FOUND') {
    return new GatewayOperatorError('M2MSEC_GATEWAY_OPERATOR_NOT_FOUND', 'not-found', `no ${what}`, { cause: error })
  }
  if (error instanceof StoreError && error.code === 'M2MSEC_STORE_CONFLICT') {
    return new GatewayOperatorError('M2MSEC_GATEWAY_OPERATOR_EXISTS', 'conflict', `${what} already exists`, { cause: error })
  }
  return error
}
