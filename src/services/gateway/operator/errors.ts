/**
 * Errors of the gateway's operator functions (service subscription rules, locally provisioned
 * Kpsa, Credential-ID bindings; issue 8 admin API and the `rule` / `psk` commands). Input
 * problems name the field at fault, so the admin API can say which one and the CLI can print it;
 * messages name identifiers and fields, never key bytes (STYLE.md §10).
 */
import { M2mSecError, type ErrorKind } from '../../../core/index.js'

/** Codes thrown by src/services/gateway/operator. Add, never rename. */
export type GatewayOperatorErrorCode =
  /** A rule, Kpsa or binding field (or a list option) is missing, malformed or out of range. */
  | 'M2MSEC_GATEWAY_OPERATOR_INVALID'
  /** A Kpsa with this KpsaID is already provisioned. */
  | 'M2MSEC_GATEWAY_OPERATOR_EXISTS'
  /** No rule, Kpsa or binding has this identifier. */
  | 'M2MSEC_GATEWAY_OPERATOR_NOT_FOUND'

export class GatewayOperatorError extends M2mSecError<GatewayOperatorErrorCode> {
  /** The input field at fault (`allowedAppIds[1]`, `key`, …). */
  readonly field?: string
  constructor(code: GatewayOperatorErrorCode, kind: ErrorKind, message: string, options?: ErrorOptions & { readonly field?: string }) {
    super(code, kind, message, options)
    if (options?.field !== undefined) this.field = options.field
  }
}

/** M2MSEC_GATEWAY_OPERATOR_INVALID for `field`. */
export function invalidField(field: string, problem: string): GatewayOperatorError {
  return new GatewayOperatorError('M2MSEC_GATEWAY_OPERATOR_INVALID', 'bad-input', `${field}: ${problem}`, { field })
}

export function notFound(what: string): GatewayOperatorError {
  return new GatewayOperatorError('M2MSEC_GATEWAY_OPERATOR_NOT_FOUND', 'not-found', `no ${what}`)
}
