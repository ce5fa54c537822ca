/**
 * The expirationTime the MAF grants (TS-0003 8.8.2.3, 8.8.2.5, 8.8.2.7, 8.8.2.9: "the MAF may
 * assign different values"): the earliest of the proposal and every bound that applies, in
 * whole seconds so that the m2m:timestamp sent back is exactly the stored expiry.
 */
import { malformed, parseTimestamp } from '../../../onem2m/index.js'

/**
 * @throws OneM2mError 4000 when `proposed` is not an m2m:timestamp in the future, or the bounds
 *         leave no lifetime.
 */
export function grantExpiry(proposed: string, now: Date, bounds: readonly (Date | undefined)[]): Date {
  const at = parseTimestamp(proposed)
  // TS-0004: an expirationTime in the past is a bad request, not an instant expiry.
  if (at === undefined || at.getTime() <= now.getTime()) throw malformed('et must be a future m2m:timestamp')
  const earliest = Math.min(at.getTime(), ...bounds.filter((b): b is Date => b !== undefined).map((b) => b.getTime()))
  const granted = new Date(Math.floor(earliest / 1000) * 1000)
  if (granted.getTime() <= now.getTime()) throw malformed('et leaves no lifetime within the bounds this MAF allows')
  return granted
}

export function after(now: Date, ms: number): Date {
  return new Date(now.getTime() + ms)
}
