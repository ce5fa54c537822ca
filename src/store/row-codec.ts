/**
 * Conversions between API values and the portable column encodings of schema.ts: Date ↔
 * epoch milliseconds, string lists and JSON objects ↔ text, Uint8Array ↔ Buffer (both drivers
 * bind Buffer). A row that does not decode is reported as corrupt instead of being repaired.
 */
import { StoreError } from './errors.js'

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue }

export function toMs(date: Date): number {
  const ms = date.getTime()
  if (!Number.isFinite(ms)) throw new StoreError('M2MSEC_STORE_CORRUPT', 'bad-input', 'time value is not a valid date')
  return ms
}

export function fromMs(value: number | string | bigint): Date {
  return new Date(Number(value))
}

export function optionalFromMs(value: number | string | bigint | null): Date | undefined {
  return value === null ? undefined : fromMs(value)
}

export function toBlob(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

export function fromBlob(value: Uint8Array): Uint8Array {
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
}

function corrupt(column: string): StoreError {
  return new StoreError('M2MSEC_STORE_CORRUPT', 'internal', `stored column ${column} does not decode`)
}

export function encodeList(values: readonly string[]): string {
  return JSON.stringify(values)
}

export function decodeList(text: string, column: string): string[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    throw new StoreError('M2MSEC_STORE_CORRUPT', 'internal', `stored column ${column} does not decode`, { cause })
  }
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) throw corrupt(column)
  return value
}

export function encodeJson(value: JsonValue): string {
  return JSON.stringify(value)
}

export function decodeJson(text: string, column: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue
  } catch (cause) {
    throw new StoreError('M2MSEC_STORE_CORRUPT', 'internal', `stored column ${column} does not decode`, { cause })
  }
}

export function decodeJsonObject(text: string, column: string): { readonly [key: string]: JsonValue } {
  const value = decodeJson(text, column)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw corrupt(column)
  return value as { readonly [key: string]: JsonValue }
}

/** Narrows a stored text column to one of the allowed literals. */
export function decodeLiteral<T extends string>(text: string, allowed: readonly T[], column: string): T {
  if ((allowed as readonly string[]).includes(text)) return text as T
  throw corrupt(column)
}
