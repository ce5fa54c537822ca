/**
 * The two operator events every oneM2M service reports the same way (issue 8: one log line per
 * request and per handshake): a request answered and a TLS connection accepted or refused. The
 * transport already measures both (ServedRequest, HandshakeSummary); these are their non-secret
 * event forms, so the MEF, MAF, gateway and CSE report one shape without copying it.
 */
import type { ServedRequest } from './http/onem2m-exchange.js'
import type { HandshakeSummary } from './tls/secure-listener.js'

/** How a request, handshake or key fetch ended: accepted, refused (4xxx, unknown peer), or failed (5xxx, unreachable). */
export type ExchangeOutcome = 'ok' | 'refused' | 'failed'

// Type aliases, not interfaces: an event sink takes any plain record (interfaces carry no index signature).
export type RequestEvent = {
  readonly type: 'request'
  readonly requestId: string
  readonly op?: number
  readonly to?: string
  readonly fr?: string
  readonly rqi?: string
  /** Absent only when no oneM2M answer could be read (a relay that got none). */
  readonly rsc?: number
  readonly durationMs: number
}

export type HandshakeEvent = {
  readonly type: 'handshake'
  /** The RSPF/SAEF that ran (`psk`, `certificate`, `maf`, …), `unknown` when the peer never got that far. */
  readonly framework: string
  readonly outcome: ExchangeOutcome
  /** The transport error code of a refusal or failure. */
  readonly reason?: string
  readonly identity?: string
  readonly durationMs: number
}

/** A request as served: its identifiers (never its content) and how it ended. */
export function requestEvent(served: Omit<ServedRequest, 'rsc'> & { readonly rsc?: number }): RequestEvent {
  const p = served.request
  return {
    type: 'request', requestId: served.requestId, durationMs: served.durationMs, ...(served.rsc === undefined ? {} : { rsc: served.rsc }),
    ...(p === undefined ? {} : { op: p.op, to: p.to, ...(p.fr === undefined ? {} : { fr: p.fr }), rqi: p.rqi }),
  }
}

/** A handshake as summarised by the listener; `framework` names it where the service knows better (the gateway's SAEF). */
export function handshakeEvent(summary: HandshakeSummary, framework: string = summary.framework ?? 'unknown'): HandshakeEvent {
  return {
    type: 'handshake', framework, outcome: summary.outcome, durationMs: summary.durationMs,
    ...(summary.code === undefined ? {} : { reason: summary.code }), ...(summary.identity === undefined ? {} : { identity: summary.identity }),
  }
}
