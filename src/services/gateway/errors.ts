/**
 * Errors of the gateway (Entity B, TS-0003 8.2) that are not oneM2M refusals: a configuration
 * that cannot work is refused at start-up; a MEF or MAF that cannot be asked for a key during a
 * handshake (8.3.2.1 "Use of Remotely Provisioned Credential" d, 8.8.2.8) and an upstream CSE
 * that does not answer each have their own code. Refusals of a peer are values (saef.ts) or
 * oneM2M responses, never these.
 */
import { M2mSecError, type ErrorKind } from '../../core/index.js'

/** Codes thrown by src/services/gateway. Add, never rename. */
export type GatewayErrorCode =
  /** createGatewayService / `serve gateway` / a SAEF factory got options that cannot work. */
  | 'M2MSEC_GATEWAY_CONFIG_INVALID'
  /** The MEF could not be asked for a Kpsa (unreachable, handshake refused, 5xxx, unreadable answer). */
  | 'M2MSEC_GATEWAY_MEF_UNAVAILABLE'
  /** The MAF could not be asked for a Kc (unreachable, handshake refused, 5xxx, unreadable answer). */
  | 'M2MSEC_GATEWAY_MAF_UNAVAILABLE'
  /** The upstream CSE did not answer in time, refused the connection or answered something unreadable. */
  | 'M2MSEC_GATEWAY_UPSTREAM_UNAVAILABLE'

export class GatewayError extends M2mSecError<GatewayErrorCode> {}

/** Shorthand for a start-up configuration error. */
export function configInvalid(message: string): GatewayError {
  return new GatewayError('M2MSEC_GATEWAY_CONFIG_INVALID', 'bad-input', message)
}

export function unavailable(code: Exclude<GatewayErrorCode, 'M2MSEC_GATEWAY_CONFIG_INVALID'>, message: string, cause?: unknown, kind: ErrorKind = 'unavailable'): GatewayError {
  return new GatewayError(code, kind, message, cause === undefined ? undefined : { cause })
}
