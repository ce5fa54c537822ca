/**
 * Durations an operator types for the Enrolment Expiry (frameworks.md §10.1, the lifetime of Ke
 * from enrolment; OQ-28) and for a Target's key lifetime (§10.5 e v): either a number with a
 * unit (`90s`, `45m`, `24h`, `30d`, `2w`) or an ISO 8601 duration limited to weeks, days, hours,
 * minutes and seconds (`P30D`, `PT24H`, `P1DT12H`). Years and months are refused: their length
 * in milliseconds depends on the calendar, and an expiry must mean the same on every instance.
 */
import { invalidField } from './errors.js'

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const
const SHORT_RE = /^([1-9][0-9]{0,9})([smhdw])$/
const ISO_RE = /^P(?:([0-9]{1,9})W)?(?:([0-9]{1,9})D)?(?:T(?:([0-9]{1,9})H)?(?:([0-9]{1,9})M)?(?:([0-9]{1,9})S)?)?$/

/** Longest duration accepted: 10 years of 365 days. */
export const MAX_DURATION_MS = 10 * 365 * UNIT_MS.d

/**
 * Milliseconds of `text` (see the module comment), > 0 and ≤ MAX_DURATION_MS.
 * @throws OperatorError M2MSEC_ENROLEE_INVALID naming `field`.
 */
export function parseDuration(text: string, field: string): number {
  const ms = durationMs(text.trim())
  if (ms === undefined) throw invalidField(field, 'is not a duration like 30d, 24h, 90m, P30D or PT24H')
  if (ms <= 0) throw invalidField(field, 'must be longer than zero')
  if (ms > MAX_DURATION_MS) throw invalidField(field, 'is longer than 10 years')
  return ms
}

function durationMs(text: string): number | undefined {
  const short = SHORT_RE.exec(text)
  if (short) return Number(short[1]) * UNIT_MS[short[2] as keyof typeof UNIT_MS]
  const iso = ISO_RE.exec(text)
  // "P" and "PT" alone match the pattern but name no duration.
  if (!iso || text === 'P' || text.endsWith('T')) return undefined
  const [, w, d, h, m, s] = iso
  return (Number(w ?? 0) * UNIT_MS.w) + (Number(d ?? 0) * UNIT_MS.d) + (Number(h ?? 0) * UNIT_MS.h) +
    (Number(m ?? 0) * UNIT_MS.m) + (Number(s ?? 0) * UNIT_MS.s)
}

/** The shortest exact text of `ms` in the unit form (`30d`, `36h`, `90s`; `1500ms` below a second). */
export function formatDuration(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`
  }
  return `${ms}ms`
}
