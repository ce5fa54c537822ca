/**
 * The asynchronous PSK gate (ARCHITECTURE.md §3, TS-0003 10.2.2 with RFC 4279): a Duplex that
 * sits between the accepted TCP socket and Node's TLSSocket. It passes every byte through, but
 * reads the plaintext TLS 1.2 handshake on the way: the SNI from the ClientHello, the chosen
 * suite from the ServerHello, and, when that suite is a PSK one, the psk_identity from the
 * ClientKeyExchange. The record that completes the ClientKeyExchange, and everything after it,
 * is held while the caller resolves the identity asynchronously; when the promise settles the
 * bytes are released and OpenSSL asks its (synchronous) pskCallback, which is answered from the
 * result. Once the decision is taken, or a certificate suite was chosen, the gate is a plain pipe.
 *
 * Design note: Node's pskCallback cannot wait, and OpenSSL offers no way to suspend inside it
 * from JavaScript, so waiting must happen before OpenSSL sees the ClientKeyExchange. Holding
 * the record (rather than, say, failing and asking the client to retry) keeps the handshake
 * standard for any peer.
 */
import { Duplex } from 'node:stream'
import type { Socket } from 'node:net'
import { TransportError } from '../errors.js'
import {
  CONTENT_TYPE,
  HANDSHAKE_TYPE,
  HandshakeAssembler,
  RECORD_HEADER_LENGTH,
  clientHelloServerName,
  clientKeyExchangePskIdentity,
  isPskCipherSuite,
  readRecordHeader,
  serverHelloCipherSuite,
} from './record-parser.js'

/** RFC 5246 §7.2 alert descriptions the gate itself may send. */
export const ALERT = { handshakeFailure: 40, internalError: 80, unknownPskIdentity: 115 } as const

/** What to do with the held bytes: hand them to OpenSSL, or end the handshake with a fatal alert. */
export type GateVerdict = { readonly release: true } | { readonly release: false; readonly alert: number }

export interface HandshakeGateHooks {
  /** Called at most once, when a PSK suite's ClientKeyExchange arrived; the bytes wait for the promise. */
  readonly onPskIdentity: (identity: Uint8Array, sni: string | undefined) => Promise<GateVerdict>
}

/** Bytes held after the ClientKeyExchange: CKE, ChangeCipherSpec and Finished need far less. */
const MAX_HELD_BYTES = 65536
const EMPTY = Buffer.alloc(0)

type InboundState = 'scan' | 'hold' | 'pass'

export class HandshakeGate extends Duplex {
  readonly #raw: Socket
  readonly #hooks: HandshakeGateHooks
  #state: InboundState = 'scan'
  #inbound: Buffer = EMPTY
  readonly #clientMessages = new HandshakeAssembler()
  #outbound: Buffer | undefined = EMPTY
  readonly #serverMessages = new HandshakeAssembler()
  #suite: number | undefined
  #sni: string | undefined
  /** Why the gate closed the connection itself, if it did. */
  failure: TransportError | undefined

  constructor(raw: Socket, hooks: HandshakeGateHooks) {
    // Half-open on both hops so only the TLS layer ends them: when the client's FIN arrives,
    // the TLSSocket (allowHalfOpen false, set by the listener) still writes its close_notify
    // through the gate before ending it. Otherwise the gate and the raw socket end themselves
    // first and that last write fails as write-after-end, raising an error per connection.
    super({ allowHalfOpen: true })
    raw.allowHalfOpen = true
    this.#raw = raw
    this.#hooks = hooks
    raw.on('data', (chunk: Buffer) => this.#onData(chunk))
    raw.on('end', () => this.push(null))
    raw.on('error', (error) => this.destroy(error))
    raw.on('close', () => this.destroy())
  }

  /** The server_name host_name of the ClientHello, once seen. */
  get sni(): string | undefined {
    return this.#sni
  }

  /** The cipher suite code point the server chose, once its ServerHello went out. */
  get cipherSuite(): number | undefined {
    return this.#suite
  }

  override _read(): void {
    if (this.#raw.isPaused()) this.#raw.resume()
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#outbound !== undefined) this.#scanServer(chunk)
    this.#raw.write(chunk, callback)
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#raw.end(callback)
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#raw.destroy()
    this.#inbound = EMPTY
    callback(error)
  }

  #deliver(bytes: Buffer): void {
    if (bytes.length > 0 && !this.push(bytes)) this.#raw.pause()
  }

  #fail(error: TransportError, alert?: number): void {
    if (this.failure !== undefined || this.destroyed) return
    this.failure = error
    this.#state = 'pass'
    this.#inbound = EMPTY
    // RFC 5246 §7.2: before ChangeCipherSpec an alert is a plaintext record: type 21, TLS 1.2, level fatal.
    if (alert !== undefined) this.#raw.end(Buffer.from([CONTENT_TYPE.alert, 3, 3, 0, 2, 2, alert]))
    this.destroy()
  }

  #onData(chunk: Buffer): void {
    if (this.#state === 'pass') return this.#deliver(chunk)
    this.#inbound = this.#inbound.length === 0 ? chunk : Buffer.concat([this.#inbound, chunk])
    if (this.#state === 'hold') {
      if (this.#inbound.length > MAX_HELD_BYTES) {
        this.#fail(new TransportError('M2MSEC_TLS_RECORD_MALFORMED', 'bad-input', 'client sent too much before the PSK was resolved'))
      }
      return
    }
    try {
      this.#scanClient()
    } catch (error) {
      this.#fail(asTransportError(error))
    }
  }

  /** Walks complete records; passes them on, or stops at the one that completes a PSK ClientKeyExchange. */
  #scanClient(): void {
    const data = this.#inbound
    let offset = 0
    for (;;) {
      const header = readRecordHeader(data, offset)
      if (header === undefined) break
      const end = offset + RECORD_HEADER_LENGTH + header.length
      if (end > data.length) break
      const decision = this.#inspectClientRecord(header.type, data.subarray(offset + RECORD_HEADER_LENGTH, end))
      if (decision === 'hold') {
        this.#deliver(data.subarray(0, offset))
        this.#inbound = data.subarray(offset)
        return
      }
      offset = end
      if (decision === 'pass') {
        this.#state = 'pass'
        this.#inbound = EMPTY
        this.#deliver(data)
        return
      }
    }
    this.#deliver(data.subarray(0, offset))
    this.#inbound = data.subarray(offset)
  }

  #inspectClientRecord(type: number, body: Uint8Array): 'scan' | 'hold' | 'pass' {
    // Anything but plaintext handshake (ChangeCipherSpec, alert, early data) ends what we can read.
    if (type !== CONTENT_TYPE.handshake) return 'pass'
    for (const message of this.#clientMessages.push(body)) {
      if (message.type === HANDSHAKE_TYPE.clientHello) {
        this.#sni = clientHelloServerName(message.body)
      } else if (message.type === HANDSHAKE_TYPE.clientKeyExchange) {
        if (this.#suite === undefined) {
          throw new TransportError('M2MSEC_TLS_RECORD_MALFORMED', 'bad-input', 'ClientKeyExchange arrived before the ServerHello')
        }
        if (!isPskCipherSuite(this.#suite)) return 'pass'
        this.#startHold(clientKeyExchangePskIdentity(message.body))
        return 'hold'
      }
    }
    return 'scan'
  }

  #startHold(identity: Uint8Array): void {
    this.#state = 'hold'
    this.#hooks.onPskIdentity(identity, this.#sni).then(
      (verdict) => this.#settle(verdict),
      (error: unknown) => this.#fail(asTransportError(error), ALERT.internalError),
    )
  }

  #settle(verdict: GateVerdict): void {
    if (this.destroyed || this.failure !== undefined) return
    if (!verdict.release) {
      this.#fail(new TransportError('M2MSEC_TLS_HANDSHAKE_FAILED', 'unauthenticated', 'PSK handshake refused'), verdict.alert)
      return
    }
    const held = this.#inbound
    this.#inbound = EMPTY
    this.#state = 'pass'
    this.#deliver(held)
  }

  /** Reads the server's first flight only as far as the ServerHello's cipher_suite. */
  #scanServer(chunk: Buffer): void {
    let data = this.#outbound!.length === 0 ? chunk : Buffer.concat([this.#outbound!, chunk])
    try {
      for (;;) {
        const header = readRecordHeader(data, 0)
        if (header === undefined || data.length < RECORD_HEADER_LENGTH + header.length) break
        const body = data.subarray(RECORD_HEADER_LENGTH, RECORD_HEADER_LENGTH + header.length)
        data = data.subarray(RECORD_HEADER_LENGTH + header.length)
        if (header.type !== CONTENT_TYPE.handshake) continue
        const hello = this.#serverMessages.push(body).find((m) => m.type === HANDSHAKE_TYPE.serverHello)
        if (hello !== undefined) {
          this.#suite = serverHelloCipherSuite(hello.body)
          this.#outbound = undefined
          return
        }
      }
      this.#outbound = Buffer.from(data)
    } catch {
      // OpenSSL wrote it; if we cannot read it the suite stays unknown and a CKE fails the gate.
      this.#outbound = undefined
    }
  }
}

function asTransportError(error: unknown): TransportError {
  if (error instanceof TransportError) return error
  return new TransportError('M2MSEC_TLS_RESOLVE_FAILED', 'internal', 'PSK resolution failed', { cause: error })
}
