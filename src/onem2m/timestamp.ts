/**
 * m2m:timestamp and m2m:absRelTimestamp (TS-0004 §6.3.3, wire.md §4): `YYYYMMDDThhmmss` in UTC
 * with an optional `,` fraction of up to six digits (a `.` fraction is tolerated on input), or
 * for absRelTimestamp a signed integer number of milliseconds relative to now.
 */

const TIMESTAMP_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:[.,](\d{1,6}))?$/
const RELATIVE_RE = /^-?\d{1,15}$/

/** Parses an m2m:timestamp to a Date (millisecond precision), or undefined when malformed. */
export function parseTimestamp(text: string): Date | undefined {
  const m = TIMESTAMP_RE.exec(text)
  if (m === null) return undefined
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  const millis = Math.floor(Number(((m[7] ?? '') + '000000').slice(0, 6)) / 1000)
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis))
  // Reject calendar overflow (20250231 would otherwise roll into March).
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined
  return date
}

export function isTimestamp(text: string): boolean {
  return parseTimestamp(text) !== undefined
}

/** A timestamp or a relative millisecond count. */
export function isAbsRelTimestamp(text: string): boolean {
  return RELATIVE_RE.test(text) || isTimestamp(text)
}

/** `YYYYMMDDThhmmss,ffffff` (ACME's form) or without fraction. */
export function formatTimestamp(date: Date, withFraction = false): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0')
  const base = `${p(date.getUTCFullYear(), 4)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}T${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}`
  return withFraction ? `${base},${p(date.getUTCMilliseconds(), 3)}000` : base
}
