/**
 * JSON values as oneM2M serializes them (TS-0004 §8.4.2, RFC 8259, UTF-8) and a bounded
 * parser: size and nesting depth are checked on the raw bytes before JSON.parse runs, so a
 * hostile body cannot exhaust the stack or the heap of the parser.
 */
import { malformed, tooLarge } from './errors.js'
import type { OneM2mLimits } from './limits.js'

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject
export interface JsonObject {
  readonly [member: string]: JsonValue
}

const OPEN_OBJECT = 0x7b
const OPEN_ARRAY = 0x5b
const CLOSE_OBJECT = 0x7d
const CLOSE_ARRAY = 0x5d
const QUOTE = 0x22
const BACKSLASH = 0x5c

/** Deepest array/object nesting of JSON text, skipping string contents; linear, no recursion. */
export function jsonDepth(bytes: Uint8Array): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]
    if (inString) {
      if (b === BACKSLASH) i++
      else if (b === QUOTE) inString = false
    } else if (b === QUOTE) {
      inString = true
    } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
      depth++
      if (depth > deepest) deepest = depth
    } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
      depth--
    }
  }
  return deepest
}

const UTF8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Parses a UTF-8 JSON body within the limits.
 * @throws M2MSEC_ONEM2M_TOO_LARGE when the body is larger or deeper than allowed;
 *         M2MSEC_ONEM2M_MALFORMED when it is not UTF-8 or not JSON.
 */
export function parseJsonBody(bytes: Uint8Array, limits: OneM2mLimits): JsonValue {
  if (bytes.length > limits.maxBodyBytes) {
    throw tooLarge(`body is ${bytes.length} bytes, limit is ${limits.maxBodyBytes}`)
  }
  const depth = jsonDepth(bytes)
  if (depth > limits.maxJsonDepth) {
    throw tooLarge(`JSON nesting depth exceeds ${limits.maxJsonDepth}`)
  }
  let text: string
  try {
    text = UTF8.decode(bytes)
  } catch (cause) {
    throw malformed('body is not valid UTF-8', { cause })
  }
  try {
    return JSON.parse(text) as JsonValue
  } catch (cause) {
    // The parser's message can quote input; name only the position class of the failure.
    throw malformed(`body is not valid JSON (${bytes.length} bytes)`, { cause })
  }
}

/** UTF-8 JSON bytes of a value (no whitespace). */
export function serializeJson(value: JsonValue): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value))
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
