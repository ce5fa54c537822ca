/**
 * A key in memory (STYLE.md §10). It never renders its bytes: not in logs, JSON, inspect or
 * string interpolation. `reveal()` is the one reviewable exit and is called only where the key
 * is used.
 */
import { timingSafeEqual } from 'node:crypto'

export class SecretBytes {
  readonly #bytes: Uint8Array

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes
  }

  get length(): number {
    return this.#bytes.length
  }

  /** The raw key bytes. Call only at the point of use; never log or serialise the result. */
  reveal(): Uint8Array {
    return this.#bytes
  }

  /** Best effort: JS cannot promise that no copy remains elsewhere in memory. */
  wipe(): void {
    this.#bytes.fill(0)
  }

  /** Constant-time comparison (equal lengths are compared in constant time; lengths are not secret). */
  equals(other: SecretBytes): boolean {
    const a = this.#bytes
    const b = other.reveal()
    return a.length === b.length && timingSafeEqual(a, b)
  }

  toJSON(): string {
    return '[secret]'
  }

  toString(): string {
    return '[secret]'
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `SecretBytes(${this.length})`
  }
}
