/**
 * IBC identity ID_2 (TS-0003 later §8.3.7.2, seed 003; crypto.md §3 and §10):
 * `FQDN "@" HEX(UTF-8 of the absolute CSE-ID / AE-ID) "@" expirationTime`. Choices of OQ-24:
 * FQDN = the MEF FQDN, hex upper case (OQ-2), expirationTime = m2m:timestamp without fraction
 * `YYYYMMDDThhmmss` (UTC). `#` never occurs, which the IBC-1 psk_identity relies on.
 */
import { toHex } from '../bytes.js'
import { fqdnProblem } from './fqdn.js'
import type { Fqdn } from './fqdn.js'
import { invalidId } from './id-error.js'
import { parseAeId, parseCseId } from './m2m-id.js'

export type IbcId = string & { readonly __brand: 'IbcId' }

export interface ParsedIbcId {
  readonly id: IbcId
  readonly fqdn: Fqdn
  /** The absolute CSE-ID or AE-ID the hex part encodes. */
  readonly entityId: string
  readonly expirationTime: string
  /** `FQDN "@" HEX`: the value of an IBC Credential-ID (type 60, frameworks.md §8). */
  readonly withoutExpiry: string
}

const HEX_RE = /^(?:[0-9A-Fa-f]{2})+$/
const TIME_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/

function timeProblem(time: string): string | undefined {
  const m = TIME_RE.exec(time)
  if (m === null) return 'expirationTime is not YYYYMMDDThhmmss'
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number]
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second))
  const exact = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day &&
    date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second
  return exact ? undefined : 'expirationTime is not a valid date and time'
}

function decodeEntityId(hex: string, text: string): string {
  let entityId: string
  try {
    entityId = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(hex, 'hex'))
  } catch {
    throw invalidId('IBC ID', 'hex part is not UTF-8', text)
  }
  const absolute = (parse: () => { form: string }): boolean => {
    try {
      return parse().form === 'absolute'
    } catch {
      return false
    }
  }
  if (!absolute(() => parseCseId(entityId)) && !absolute(() => parseAeId(entityId))) {
    throw invalidId('IBC ID', 'hex part is not an absolute CSE-ID or AE-ID', text)
  }
  return entityId
}

/**
 * Parses ID_2; the hex part goes to upper case and the FQDN to lower case (OQ-2).
 * @throws M2MSEC_ID_INVALID naming what is wrong.
 */
export function parseIbcId(text: string): ParsedIbcId {
  const parts = text.split('@')
  if (parts.length !== 3) throw invalidId('IBC ID', 'does not have exactly three "@"-separated parts', text)
  const [rawFqdn = '', rawHex = '', expirationTime = ''] = parts
  const problem = fqdnProblem(rawFqdn)
  if (problem !== undefined) throw invalidId('IBC ID FQDN part', problem, text)
  if (!HEX_RE.test(rawHex)) throw invalidId('IBC ID', 'middle part is not an even number of hex digits', text)
  const time = timeProblem(expirationTime)
  if (time !== undefined) throw invalidId('IBC ID', time, text)
  const entityId = decodeEntityId(rawHex, text)
  const fqdn = rawFqdn.toLowerCase() as Fqdn
  const withoutExpiry = `${fqdn}@${rawHex.toUpperCase()}`
  return { id: `${withoutExpiry}@${expirationTime}` as IbcId, fqdn, entityId, expirationTime, withoutExpiry }
}

/**
 * Forms ID_2 for `entityId` (absolute CSE-ID/AE-ID) issued by `mefFqdn`, expiring at
 * `expirationTime` (`YYYYMMDDThhmmss`, or a Date, rendered in UTC without fraction).
 * @throws M2MSEC_ID_INVALID when a part is malformed.
 */
export function formatIbcId(mefFqdn: string, entityId: string, expirationTime: string | Date): IbcId {
  if (typeof expirationTime !== 'string' && Number.isNaN(expirationTime.getTime())) {
    throw invalidId('IBC ID', 'expirationTime is an invalid Date', '')
  }
  const time = typeof expirationTime === 'string'
    ? expirationTime
    : expirationTime.toISOString().slice(0, 19).replace(/[-:]/g, '')
  return parseIbcId(`${mefFqdn}@${toHex(new TextEncoder().encode(entityId))}@${time}`).id
}
