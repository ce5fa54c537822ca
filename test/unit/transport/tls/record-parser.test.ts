// RFC 5246 §6.2.1 / §7.4, RFC 6066 §3, RFC 4279 §2: the plaintext handshake pieces the PSK gate reads.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {
  HandshakeAssembler,
  MAX_HANDSHAKE_MESSAGE,
  clientHelloServerName,
  clientKeyExchangePskIdentity,
  isPskCipherSuite,
  readRecordHeader,
  serverHelloCipherSuite,
} from '../../../../src/transport/tls/record-parser.js'

const u16 = (n: number): Buffer => Buffer.from([n >> 8, n & 0xff])
const vec16 = (b: Buffer): Buffer => Buffer.concat([u16(b.length), b])

function clientHello(sni?: string): Buffer {
  const ext = sni === undefined ? Buffer.alloc(0) : Buffer.concat([u16(0), vec16(vec16(Buffer.concat([Buffer.from([0]), vec16(Buffer.from(sni, 'latin1'))])))])
  return Buffer.concat([Buffer.from([3, 3]), Buffer.alloc(32, 7), Buffer.from([0]), vec16(u16(0x00ae)), Buffer.from([1, 0]), vec16(Buffer.concat([u16(0xff01), vec16(Buffer.from([0])), ext]))])
}

function handshake(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]), body])
}

test('RFC 5246 §6.2.1 record headers: accepted versions and refused garbage', () => {
  assert.deepEqual(readRecordHeader(Buffer.from([22, 3, 1, 0, 10]), 0), { type: 22, length: 10 })
  assert.equal(readRecordHeader(Buffer.from([22, 3, 3, 0]), 0), undefined, 'four bytes are not yet a header')
  assert.throws(() => readRecordHeader(Buffer.from('GET / HTTP/1.1'), 0), { code: 'M2MSEC_TLS_RECORD_MALFORMED' })
  assert.throws(() => readRecordHeader(Buffer.from([22, 3, 4, 0, 1]), 0), { code: 'M2MSEC_TLS_RECORD_MALFORMED' })
  assert.throws(() => readRecordHeader(Buffer.from([22, 3, 3, 0x48, 0x01]), 0), { code: 'M2MSEC_TLS_RECORD_MALFORMED' }, 'over 2^14+2048')
  assert.throws(() => readRecordHeader(Buffer.from([22, 3, 3, 0, 0]), 0), { code: 'M2MSEC_TLS_RECORD_MALFORMED' }, 'empty record')
  assert.throws(() => readRecordHeader(Buffer.from([0x80, 0x2e, 1, 3, 1]), 0), { code: 'M2MSEC_TLS_RECORD_MALFORMED' }, 'SSL 2 framing')
})

test('RFC 6066 §3 server_name host_name is read from a ClientHello; absent SNI gives undefined', () => {
  assert.equal(clientHelloServerName(clientHello('mef.m2msec.example')), 'mef.m2msec.example')
  assert.equal(clientHelloServerName(clientHello()), undefined)
  const truncated = clientHello('mef.m2msec.example').subarray(0, 60)
  assert.throws(() => clientHelloServerName(truncated), { code: 'M2MSEC_TLS_RECORD_MALFORMED' })
})

test('RFC 5246 §7.4.1.3 ServerHello cipher_suite and RFC 4279 §2 psk_identity', () => {
  const serverHello = Buffer.concat([Buffer.from([3, 3]), Buffer.alloc(32, 1), Buffer.from([0]), u16(0x00ae), Buffer.from([0])])
  assert.equal(serverHelloCipherSuite(serverHello), 0x00ae)
  assert.throws(() => serverHelloCipherSuite(serverHello.subarray(0, 34)), { code: 'M2MSEC_TLS_RECORD_MALFORMED' })
  assert.equal(Buffer.from(clientKeyExchangePskIdentity(vec16(Buffer.from('Cdev@psk')))).toString(), 'Cdev@psk')
  assert.throws(() => clientKeyExchangePskIdentity(Buffer.from([0, 9, 65])), { code: 'M2MSEC_TLS_RECORD_MALFORMED' }, 'truncated')
  assert.throws(() => clientKeyExchangePskIdentity(vec16(Buffer.alloc(0))), { code: 'M2MSEC_TLS_RECORD_MALFORMED' }, 'empty')
  assert.throws(() => clientKeyExchangePskIdentity(vec16(Buffer.alloc(257, 65))), { code: 'M2MSEC_TLS_RECORD_MALFORMED' }, 'over 256 bytes')
  assert.ok(isPskCipherSuite(0x00ae) && isPskCipherSuite(0xc0a8) && !isPskCipherSuite(0xc023))
})

test('handshake messages reassemble whatever the record fragmentation (fast-check)', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 5 }), fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1 }), (bodies, cuts) => {
      const stream = Buffer.concat(bodies.map((b, i) => handshake(i + 1, Buffer.from(b))))
      const assembler = new HandshakeAssembler()
      const seen: { type: number; body: Buffer }[] = []
      let offset = 0
      for (let i = 0; offset < stream.length; i++) {
        const next = Math.min(stream.length, offset + cuts[i % cuts.length]!)
        for (const m of assembler.push(stream.subarray(offset, next))) seen.push({ type: m.type, body: Buffer.from(m.body) })
        offset = next
      }
      assert.deepEqual(seen, bodies.map((b, i) => ({ type: i + 1, body: Buffer.from(b) })))
    }),
  )
  const oversized = Buffer.from([1, (MAX_HANDSHAKE_MESSAGE + 1) >> 16, ((MAX_HANDSHAKE_MESSAGE + 1) >> 8) & 0xff, (MAX_HANDSHAKE_MESSAGE + 1) & 0xff])
  assert.throws(() => new HandshakeAssembler().push(oversized), { code: 'M2MSEC_TLS_RECORD_MALFORMED' })
})

test('parsers never throw anything but a coded error on arbitrary bytes (fast-check)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      for (const parse of [clientHelloServerName, serverHelloCipherSuite, clientKeyExchangePskIdentity]) {
        try {
          parse(bytes)
        } catch (error) {
          assert.equal((error as { code?: string }).code, 'M2MSEC_TLS_RECORD_MALFORMED')
        }
      }
    }),
  )
})
