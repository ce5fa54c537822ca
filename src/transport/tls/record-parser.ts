/**
 * The little of the TLS 1.2 wire the asynchronous PSK gate must read before OpenSSL does
 * (RFC 5246 §6.2.1 records, §7.4 handshake messages; RFC 6066 §3 server_name; RFC 4279 §2
 * psk_identity). Pure functions over bytes; nothing here decrypts or answers. Everything is
 * bounded: a peer cannot make us buffer more than MAX_HANDSHAKE_MESSAGE bytes of one message.
 */
import { TransportError } from '../errors.js'

export const CONTENT_TYPE = { changeCipherSpec: 20, alert: 21, handshake: 22, applicationData: 23 } as const
export const HANDSHAKE_TYPE = { clientHello: 1, serverHello: 2, clientKeyExchange: 16 } as const

/** RFC 5246 §6.2.3: a record body is at most 2^14 + 2048 bytes. */
export const MAX_RECORD_BODY = 16384 + 2048
export const RECORD_HEADER_LENGTH = 5
/** Bound on one reassembled handshake message; a ClientHello of ours is well under 1 KiB. */
export const MAX_HANDSHAKE_MESSAGE = 32768
/** OpenSSL's PSK_MAX_IDENTITY_LEN: a longer identity is refused by OpenSSL anyway. */
export const MAX_PSK_IDENTITY = 256

export interface RecordHeader {
  readonly type: number
  readonly length: number
}

export interface HandshakeMessage {
  readonly type: number
  readonly body: Uint8Array
}

function malformed(what: string): TransportError {
  return new TransportError('M2MSEC_TLS_RECORD_MALFORMED', 'bad-input', what)
}

/**
 * The header of the record at `offset`, or undefined while fewer than 5 bytes are there.
 * @throws M2MSEC_TLS_RECORD_MALFORMED when the bytes cannot start a TLS 1.0–1.2 record.
 */
export function readRecordHeader(buffer: Uint8Array, offset: number): RecordHeader | undefined {
  if (buffer.length - offset < RECORD_HEADER_LENGTH) return undefined
  const type = buffer[offset]!
  const major = buffer[offset + 1]!
  const minor = buffer[offset + 2]!
  const length = (buffer[offset + 3]! << 8) | buffer[offset + 4]!
  if (type < CONTENT_TYPE.changeCipherSpec || type > CONTENT_TYPE.applicationData) {
    throw malformed(`record content type ${type} is not a TLS content type`)
  }
  // A ClientHello record may carry any of 3.0–3.3 (RFC 5246 Appendix E.1); SSL 2 framing and
  // anything else are refused here, before OpenSSL spends work on them.
  if (major !== 3 || minor > 3) throw malformed(`record version ${major}.${minor} is not SSL 3.0–TLS 1.2`)
  if (length === 0 || length > MAX_RECORD_BODY) throw malformed(`record length ${length} is out of range`)
  return { type, length }
}

/** Reassembles handshake messages from plaintext handshake record bodies (RFC 5246 §6.2.1 allows fragmenting and coalescing). */
export class HandshakeAssembler {
  #pending: Uint8Array = new Uint8Array(0)

  /**
   * Adds one record body and returns the messages it completed.
   * @throws M2MSEC_TLS_RECORD_MALFORMED when a message announces more than MAX_HANDSHAKE_MESSAGE bytes.
   */
  push(fragment: Uint8Array): HandshakeMessage[] {
    const data = this.#pending.length === 0 ? fragment : Buffer.concat([this.#pending, fragment])
    const messages: HandshakeMessage[] = []
    let offset = 0
    while (data.length - offset >= 4) {
      const length = (data[offset + 1]! << 16) | (data[offset + 2]! << 8) | data[offset + 3]!
      if (length > MAX_HANDSHAKE_MESSAGE) throw malformed(`handshake message length ${length} exceeds ${MAX_HANDSHAKE_MESSAGE}`)
      if (data.length - offset - 4 < length) break
      messages.push({ type: data[offset]!, body: data.subarray(offset + 4, offset + 4 + length) })
      offset += 4 + length
    }
    this.#pending = data.slice(offset)
    return messages
  }
}

/** A bounds-checked reader: every overrun is a malformed message, never an exception of another kind. */
class Cursor {
  offset = 0
  constructor(
    readonly bytes: Uint8Array,
    readonly what: string,
  ) {}
  take(length: number): Uint8Array {
    if (this.bytes.length - this.offset < length) throw malformed(`${this.what} is truncated`)
    const out = this.bytes.subarray(this.offset, this.offset + length)
    this.offset += length
    return out
  }
  u8(): number {
    return this.take(1)[0]!
  }
  u16(): number {
    const b = this.take(2)
    return (b[0]! << 8) | b[1]!
  }
  vector8(): Uint8Array {
    return this.take(this.u8())
  }
  vector16(): Uint8Array {
    return this.take(this.u16())
  }
  get done(): boolean {
    return this.offset === this.bytes.length
  }
}

/**
 * The host_name of the server_name extension of a ClientHello body, or undefined if absent
 * (RFC 5246 §7.4.1.2, RFC 6066 §3).
 * @throws M2MSEC_TLS_RECORD_MALFORMED when the ClientHello does not parse.
 */
export function clientHelloServerName(body: Uint8Array): string | undefined {
  const c = new Cursor(body, 'ClientHello')
  c.take(2 + 32) // client_version, random
  c.vector8() // session_id
  c.vector16() // cipher_suites
  c.vector8() // compression_methods
  if (c.done) return undefined
  const extensions = new Cursor(c.vector16(), 'ClientHello extensions')
  while (!extensions.done) {
    const type = extensions.u16()
    const data = extensions.vector16()
    if (type !== 0) continue
    const list = new Cursor(new Cursor(data, 'server_name').vector16(), 'server_name list')
    while (!list.done) {
      const nameType = list.u8()
      const name = list.vector16()
      if (nameType === 0) return Buffer.from(name).toString('latin1')
    }
    return undefined
  }
  return undefined
}

/**
 * The cipher_suite chosen by a ServerHello body (RFC 5246 §7.4.1.3).
 * @throws M2MSEC_TLS_RECORD_MALFORMED when the ServerHello does not parse.
 */
export function serverHelloCipherSuite(body: Uint8Array): number {
  const c = new Cursor(body, 'ServerHello')
  c.take(2 + 32)
  c.vector8()
  return c.u16()
}

/**
 * The psk_identity that opens a ClientKeyExchange of every RFC 4279 / RFC 5489 PSK key exchange.
 * @throws M2MSEC_TLS_RECORD_MALFORMED when it is truncated, empty or longer than MAX_PSK_IDENTITY.
 */
export function clientKeyExchangePskIdentity(body: Uint8Array): Uint8Array {
  const identity = new Cursor(body, 'ClientKeyExchange').vector16()
  if (identity.length === 0 || identity.length > MAX_PSK_IDENTITY) {
    throw malformed(`psk_identity length ${identity.length} is out of range`)
  }
  return identity
}

/**
 * PSK key exchanges whose ClientKeyExchange starts with psk_identity (RFC 4279 §2–4, RFC 5487,
 * RFC 5489). Our listeners offer only 0x00AE; the set stays wide so a widened cipher list still
 * routes through the gate instead of silently skipping resolution.
 */
export function isPskCipherSuite(suite: number): boolean {
  return (
    (suite >= 0x008a && suite <= 0x0095) ||
    (suite >= 0x00a8 && suite <= 0x00b9) ||
    (suite >= 0xc033 && suite <= 0xc03b) ||
    (suite >= 0xc064 && suite <= 0xc06f) ||
    (suite >= 0xc08e && suite <= 0xc095) ||
    (suite >= 0xc0a4 && suite <= 0xc0ab) ||
    (suite >= 0xccab && suite <= 0xccae) ||
    suite === 0xd001 ||
    suite === 0xd002 ||
    suite === 0xd005
  )
}
