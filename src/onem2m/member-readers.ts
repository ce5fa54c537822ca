/**
 * Typed access to the members of a decoded representation, for the resource readers: each
 * accessor names the member in its error (`sec:skr.suid must be an integer`) and never echoes a
 * long value. Allowed-member checks enforce the NP (not present) cells of the attribute tables.
 */
import { clip, malformed } from './errors.js'
import { isJsonObject } from './json.js'
import type { JsonObject, JsonValue } from './json.js'
import { isTimestamp } from './timestamp.js'

export class MemberReader {
  readonly #value: JsonObject
  readonly #where: string

  constructor(value: JsonValue, where: string) {
    if (!isJsonObject(value)) throw malformed(`${where} must be a JSON object`)
    this.#value = value
    this.#where = where
  }

  /** Refuses members outside `allowed` (NP in the table, or unknown). */
  only(allowed: readonly string[]): this {
    for (const key of Object.keys(this.#value)) {
      if (!allowed.includes(key)) throw malformed(`${this.#where}.${clip(key, 32)} is not allowed here`)
    }
    return this
  }

  has(name: string): boolean {
    return Object.hasOwn(this.#value, name) && this.#value[name] !== null
  }

  raw(name: string): JsonValue | undefined {
    return Object.hasOwn(this.#value, name) ? this.#value[name] : undefined
  }

  #missing(name: string): never {
    throw malformed(`${this.#where}.${name} is mandatory`)
  }

  text(name: string, max = 1024): string | undefined {
    const v = this.raw(name)
    if (v === undefined) return undefined
    if (typeof v !== 'string' || v.length === 0 || v.length > max) throw malformed(`${this.#where}.${name} must be a non-empty string of at most ${max} characters`)
    return v
  }

  requiredText(name: string, max = 1024): string {
    return this.text(name, max) ?? this.#missing(name)
  }

  /** An integer; a decimal string is accepted too (TS-0032 types are unknown, mef-maf Q4). */
  int(name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const v = this.raw(name)
    if (v === undefined) return undefined
    const n = typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) throw malformed(`${this.#where}.${name} must be an integer in ${min}..${max}`)
    return n
  }

  requiredInt(name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    return this.int(name, min, max) ?? this.#missing(name)
  }

  bool(name: string): boolean | undefined {
    const v = this.raw(name)
    if (v === undefined) return undefined
    if (typeof v !== 'boolean') throw malformed(`${this.#where}.${name} must be a boolean`)
    return v
  }

  texts(name: string, maxItems = 256): readonly string[] | undefined {
    const v = this.raw(name)
    if (v === undefined) return undefined
    if (!Array.isArray(v) || v.length > maxItems || !v.every((s: JsonValue) => typeof s === 'string' && s.length > 0 && s.length <= 1024)) {
      throw malformed(`${this.#where}.${name} must be a list of at most ${maxItems} non-empty strings`)
    }
    return v as readonly string[]
  }

  timestamp(name: string): string | undefined {
    const v = this.text(name, 32)
    if (v !== undefined && !isTimestamp(v)) throw malformed(`${this.#where}.${name} is not an m2m:timestamp`)
    return v
  }

  requiredTimestamp(name: string): string {
    return this.timestamp(name) ?? this.#missing(name)
  }

  object(name: string): MemberReader | undefined {
    const v = this.raw(name)
    return v === undefined ? undefined : new MemberReader(v, `${this.#where}.${name}`)
  }

  requiredObject(name: string): MemberReader {
    return this.object(name) ?? this.#missing(name)
  }

  keys(): readonly string[] {
    return Object.keys(this.#value)
  }
}

/** A JSON object without its undefined members (the writers' last step). */
export function definedMembers(members: Readonly<Record<string, JsonValue | undefined>>): JsonObject {
  return Object.fromEntries(Object.entries(members).filter(([, v]) => v !== undefined)) as JsonObject
}
