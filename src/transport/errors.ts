/**
 * Errors of the transport layer (STYLE.md §4): TLS listeners, clients, the asynchronous PSK
 * gate and the RFC 5705 exporter. Messages name identities, SNI and lengths, never key bytes.
 * Authentication refusals carry one code whatever the inner cause; the cause is for audit.
 */
import { M2mSecError } from '../core/index.js'

/** Codes thrown or emitted by src/transport. Add, never rename. */
export type TransportErrorCode =
  /** Listener or client options are inconsistent (no framework, missing key or certificate, bad timeout). */
  | 'M2MSEC_TLS_CONFIG_INVALID'
  /** The bytes from the peer are not a TLS 1.2 record stream we accept (garbage, oversized, out of order). */
  | 'M2MSEC_TLS_RECORD_MALFORMED'
  /** The handshake did not complete within the listener's or client's time limit. */
  | 'M2MSEC_TLS_HANDSHAKE_TIMEOUT'
  /** The handshake failed: an alert was sent or received, or the peer closed it. */
  | 'M2MSEC_TLS_HANDSHAKE_FAILED'
  /** The PSK resolver knows no key for the presented psk_identity (sent as unknown_psk_identity). */
  | 'M2MSEC_TLS_PSK_UNKNOWN_IDENTITY'
  /** A PSK or certificate resolver threw or rejected; the handshake ends (internal_error alert for PSK). */
  | 'M2MSEC_TLS_RESOLVE_FAILED'
  /** The peer's certificate chain did not validate against the configured trust anchors. */
  | 'M2MSEC_TLS_PEER_UNTRUSTED'
  | 'M2MSEC_TLS_PEER_REFUSED'
  | 'M2MSEC_HTTP_EXCHANGE_FAILED'
  /** The peer's certificate does not carry the configured identifier (TS-0003 8.1.2.5 step 3.1). */
  | 'M2MSEC_TLS_PEER_ID_MISMATCH'
  /** Keying material was asked of a connection that is not an established TLS 1.2 session. */
  | 'M2MSEC_TLS_NOT_ESTABLISHED'

export class TransportError extends M2mSecError<TransportErrorCode> {}
