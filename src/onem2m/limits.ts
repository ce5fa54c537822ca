/**
 * Size limits applied before and while decoding oneM2M messages, so that an oversized or deeply
 * nested input is refused with 4000 BAD_REQUEST before it costs memory or stack. The values
 * are ours (TS-0004/TS-0009 set none); the transport enforces its own byte limits first.
 */

export interface OneM2mLimits {
  /** Largest message body, in bytes. */
  readonly maxBodyBytes: number
  /** Deepest nesting of JSON arrays/objects in a body. */
  readonly maxJsonDepth: number
  /** Most header fields in one message. */
  readonly maxHeaderCount: number
  /** Longest single header value, in characters. */
  readonly maxHeaderValueLength: number
  /** Longest request target (path plus query), in characters. */
  readonly maxTargetLength: number
  /** Most query fields. */
  readonly maxQueryFields: number
  /** Longest `to` value. */
  readonly maxToLength: number
  /** Longest `fr`, `rqi`, `gid`, `vsi` and other identifier-like parameters. */
  readonly maxIdentifierLength: number
  /** Most entries in a list parameter (rids, tids, lbl, ty …). */
  readonly maxListLength: number
}

export const DEFAULT_LIMITS: OneM2mLimits = {
  maxBodyBytes: 1024 * 1024,
  maxJsonDepth: 32,
  maxHeaderCount: 100,
  maxHeaderValueLength: 8192,
  maxTargetLength: 8192,
  maxQueryFields: 100,
  maxToLength: 2048,
  maxIdentifierLength: 1024,
  maxListLength: 256,
}
