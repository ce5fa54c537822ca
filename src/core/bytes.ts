/**
 * Byte encodings used by identifiers and vectors: upper-case hex (XSD canonical hexBinary,
 * OQ-2), base64url without padding (RFC 4648 §5, used by RFC 6920 names and Credential-IDs),
 * concatenation and big-endian integer encoding (I2OSP).
 */
import { CoreError } from './errors.js'

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/

/** Upper-case hex, no separators (`hexBinary` canonical form). */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase()
}

/**
 * Parses hex of either case into bytes.
 * @throws M2MSEC_INPUT_INVALID when the text is not an even number of hex digits.
 */
export function fromHex(text: string): Uint8Array {
  if (!HEX_RE.test(text)) {
    throw new CoreError('M2MSEC_INPUT_INVALID', 'bad-input', `hex input is malformed (length ${text.length})`)
  }
  return new Uint8Array(Buffer.from(text, 'hex'))
}

export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url')
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0
  for (const part of parts) length += part.length
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/** UTF-8 of the NFKC normal form: how TS-0003 §10.3 and TS 33.220 B.2.1.2 encode character strings. */
export function utf8Nfkc(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.normalize('NFKC'), 'utf8'))
}

export function ascii(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'))
}

/** I2OSP: big-endian unsigned integer in exactly `length` bytes. */
export function i2osp(value: bigint, length: number): Uint8Array {
  if (value < 0n || value >= 1n << BigInt(8 * length)) {
    throw new CoreError('M2MSEC_INPUT_INVALID', 'bad-input', `integer does not fit in ${length} bytes`)
  }
  const out = new Uint8Array(length)
  let v = value
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn)
    v >>= 8n
  }
  return out
}

/** OS2IP: big-endian bytes to a non-negative integer. */
export function os2ip(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n
  return BigInt('0x' + toHex(bytes))
}

/**
 * Checks that `bytes` has exactly `length` bytes.
 * @throws M2MSEC_INPUT_INVALID (or M2MSEC_KEY_INVALID when `isKey`) naming the input and its length.
 */
export function assertLength(bytes: Uint8Array, length: number, name: string, isKey = false): void {
  if (bytes.length !== length) {
    throw new CoreError(
      isKey ? 'M2MSEC_KEY_INVALID' : 'M2MSEC_INPUT_INVALID',
      'bad-input',
      `${name} must be ${length} bytes (got ${bytes.length})`,
    )
  }
}
