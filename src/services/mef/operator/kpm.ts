/**
 * The pre-provisioned key Kpm an operator registers for an enrolee (frameworks.md §10.1, §10.2:
 * the TLS-PSK `psk` of the PPSK RSPF handshake). Accepted as text: hex (`hex:` prefix optional)
 * or base64 / base64url (`base64:` prefix; without a prefix, text that is all hex digits of even
 * length is read as hex). The bytes must look like a random key: 16 to 64 bytes (128-bit
 * security at least; 64 is far above any PSK suite's need), not text, not a short repeating
 * pattern, not a counting sequence, at least 8 distinct byte values. A random 16-byte key fails
 * these checks with probability below 10⁻⁶; a typed password or `0011…EEFF` fails them always.
 *
 * Messages say what is wrong and the length, never the bytes (STYLE.md §10).
 */
import { SecretBytes } from '../../../core/index.js'
import { OperatorError } from './errors.js'

export const KPM_MIN_BYTES = 16
export const KPM_MAX_BYTES = 64
const MIN_DISTINCT_BYTES = 8
const MAX_PATTERN_PERIOD = 8

const HEX_RE = /^(?:[0-9A-Fa-f]{2})+$/
const BASE64_RE = /^[A-Za-z0-9+/_-]+={0,2}$/

function weak(field: string, problem: string): OperatorError {
  return new OperatorError('M2MSEC_ENROLEE_KPM_WEAK', 'bad-input', `${field}: ${problem}`, { field })
}

function decode(text: string, field: string): Uint8Array {
  const lower = text.slice(0, 7).toLowerCase()
  if (lower.startsWith('hex:')) return decodeHex(text.slice(4), field)
  if (lower === 'base64:') return decodeBase64(text.slice(7), field)
  return HEX_RE.test(text) ? decodeHex(text, field) : decodeBase64(text, field)
}

function decodeHex(text: string, field: string): Uint8Array {
  if (!HEX_RE.test(text)) throw weak(field, `is not an even number of hex digits (length ${text.length})`)
  return new Uint8Array(Buffer.from(text, 'hex'))
}

function decodeBase64(text: string, field: string): Uint8Array {
  if (!BASE64_RE.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
    throw weak(field, `is neither hex nor base64 (length ${text.length})`)
  }
  const mixed = /[+/]/.test(text) && /[_-]/.test(text)
  if (mixed) throw weak(field, 'mixes the base64 and base64url alphabets')
  return new Uint8Array(Buffer.from(text, /[_-]/.test(text) ? 'base64url' : 'base64'))
}

/** Why `bytes` does not look like a random key, or undefined when it does. */
export function kpmWeakness(bytes: Uint8Array): string | undefined {
  if (bytes.length < KPM_MIN_BYTES) return `is ${bytes.length} bytes; at least ${KPM_MIN_BYTES} are required`
  if (bytes.length > KPM_MAX_BYTES) return `is ${bytes.length} bytes; at most ${KPM_MAX_BYTES} are accepted`
  if (bytes.every((b) => b >= 0x20 && b <= 0x7e)) return 'is printable text, not a random key (give the key bytes as hex or base64)'
  for (let period = 1; period <= MAX_PATTERN_PERIOD; period++) {
    if (bytes.every((b, i) => i < period || b === bytes[i - period])) return `repeats a ${period}-byte pattern`
  }
  const step = ((bytes[1] ?? 0) - (bytes[0] ?? 0) + 256) % 256
  if (bytes.every((b, i) => i === 0 || (b - (bytes[i - 1] ?? 0) + 256) % 256 === step)) return 'is a counting sequence'
  if (new Set(bytes).size < MIN_DISTINCT_BYTES) return `has fewer than ${MIN_DISTINCT_BYTES} distinct byte values`
  return undefined
}

/**
 * Decodes and checks a Kpm given as text (see the module comment) or as bytes.
 * @throws OperatorError M2MSEC_ENROLEE_KPM_WEAK (field `kpm`) when undecodable or weak.
 */
export function parseKpm(value: string | SecretBytes, field = 'kpm'): SecretBytes {
  const bytes = typeof value === 'string' ? decode(value.trim(), field) : value.reveal()
  const problem = kpmWeakness(bytes)
  if (problem !== undefined) {
    if (typeof value === 'string') bytes.fill(0)
    throw weak(field, problem)
  }
  return typeof value === 'string' ? new SecretBytes(bytes) : value
}
