/**
 * The MEF's policy for symmetric key registrations (TS-0003 8.3.5.2.7–8.3.5.2.10; frameworks.md
 * §15.3; mef-maf-interface.md §3.6, §3.7, §4.5, §4.6): which SUIDs it serves, what a target
 * list must look like for each SUID, how long a registration may live, how long a
 * self-generated key must be, and who counts as the Source or an authorised Target. Pure
 * functions of their inputs; refusals are OneM2mErrors carrying the rsc of §4.5.
 */
import { M2mSecError, SUID, parseAeId, parseCseId, parseFqdn } from '../../../core/index.js'
import { RSC, malformed, refused } from '../../../onem2m/index.js'
import type { MefPeer } from '../context.js'

/** SUIDs an MEF accepts on Key Registration (mef-maf-interface.md §4.6): first digit 2. */
export const MEF_KEY_SUIDS: readonly number[] = [
  SUID.RSPF_MAF, SUID.RSPF_SAEF, SUID.RSPF_ESPRIM, SUID.RSPF_ESDATA_AE, SUID.RSPF_ESDATA_SIGNATURE,
]

/** SUIDs whose target list holds exactly one entry (SAEF, ESPrim, and the MAF of SUID 21). */
const SINGLE_TARGET_SUIDS: ReadonlySet<number> = new Set([SUID.RSPF_MAF, SUID.RSPF_SAEF, SUID.RSPF_ESPRIM])

/**
 * Length of a self-generated Key Value. Every key the frameworks distribute is 256 bits
 * (TS-0003 10.3.1 exports 32 key bytes; OQ-13: used whole as a PSK, halved only where a
 * protocol needs 128 bits), so a Source must supply exactly that.
 */
export const KEY_VALUE_LENGTH = 32

/** @throws OneM2mError 4102 CONTENTS_UNACCEPTABLE when this MEF does not serve `suid` (§4.5). */
export function checkServedSuid(suid: number): void {
  if (!MEF_KEY_SUIDS.includes(suid)) {
    throw refused(RSC.CONTENTS_UNACCEPTABLE, `SUID ${suid} is not served by this MEF (serves ${MEF_KEY_SUIDS.join(', ')})`)
  }
}

/** @throws OneM2mError 4000 when a self-generated key is not KEY_VALUE_LENGTH bytes. */
export function checkKeyValueLength(length: number): void {
  if (length !== KEY_VALUE_LENGTH) throw malformed(`kyv must be ${KEY_VALUE_LENGTH} bytes (is ${length})`)
}

function isAbsoluteEntityId(id: string): boolean {
  for (const parse of [parseCseId, parseAeId]) {
    try {
      if (parse(id).form === 'absolute') return true
    } catch (error) {
      if (!(error instanceof M2mSecError && error.code === 'M2MSEC_ID_INVALID')) throw error
    }
  }
  return false
}

function isFqdn(id: string): boolean {
  try {
    parseFqdn(id)
    return true
  } catch (error) {
    if (error instanceof M2mSecError && error.code === 'M2MSEC_ID_INVALID') return false
    throw error
  }
}

/**
 * The target list of a registration for `suid` (TS-0003 8.3.5.2.7 step 3, 8.3.5.2.9 step 2):
 * exactly one entry for SUIDs 21/22/23, at least one for 24/25; each entry a MAF FQDN (21,
 * returned lower-case) or an Absolute CSE-ID/AE-ID (22–25, kept byte-exact); no duplicates.
 * An absent list is refused: the MEF has no stakeholder instruction to create one from.
 * @throws OneM2mError 4000 BAD_REQUEST naming what is wrong.
 */
export function checkTargetIds(suid: number, targetIds: readonly string[] | undefined): readonly string[] {
  if (targetIds === undefined) throw malformed(`tgis is mandatory for SUID ${suid} (no MEF-created target list is configured)`)
  if (SINGLE_TARGET_SUIDS.has(suid) ? targetIds.length !== 1 : targetIds.length === 0) {
    const expected = SINGLE_TARGET_SUIDS.has(suid) ? 'exactly one entry' : 'at least one entry'
    throw malformed(`tgis must hold ${expected} for SUID ${suid} (holds ${targetIds.length})`)
  }
  const checked = targetIds.map((id, i) => {
    // SUID 21: the key is for a MAF, named by its FQDN (TS-0003 8.3.9.9.4, §4.6); otherwise
    // TS-0003 8.3.5.2.7 step 3 asks for Absolute AE-IDs or Absolute CSE-IDs.
    if (suid === SUID.RSPF_MAF) {
      if (!isFqdn(id)) throw malformed(`tgis[${i}] is not a MAF FQDN (length ${id.length})`)
      return id.toLowerCase()
    }
    if (!isAbsoluteEntityId(id)) throw malformed(`tgis[${i}] is not an Absolute CSE-ID or AE-ID (length ${id.length})`)
    return id
  })
  if (new Set(checked).size !== checked.length) throw malformed('tgis lists a target twice')
  return checked
}

export interface ExpiryBounds {
  readonly now: Date
  /** Latest expiry policy allows: creation + maxKeyLifetimeMs. */
  readonly lifetimeLimit: Date
  /** The Source's MEF Client Registration expiry: a key never outlives its Source's registration. */
  readonly registrationExpiry: Date
}

/**
 * The expirationTime the MEF grants for a proposed one (TS-0003 8.3.5.2.7 "the MEF may assign
 * different values"): the earliest of the proposal and the two bounds, in whole seconds so that
 * the m2m:timestamp sent back is exactly the stored expiry.
 * @throws OneM2mError 4000 when the proposal (or what is left of it) is not in the future.
 */
export function grantExpiry(proposed: Date, bounds: ExpiryBounds): Date {
  if (proposed.getTime() <= bounds.now.getTime()) throw malformed('et is not in the future')
  const earliest = Math.min(proposed.getTime(), bounds.lifetimeLimit.getTime(), bounds.registrationExpiry.getTime())
  const granted = new Date(Math.floor(earliest / 1000) * 1000)
  if (granted.getTime() <= bounds.now.getTime()) throw malformed('et leaves no lifetime within the bounds this MEF allows')
  return granted
}

/** True when `peer` is the Source MEF Client of a registration made by `sourceClientId`. */
export function isSource(peer: MefPeer, sourceClientId: string): boolean {
  return peer.kind === 'enrolee' && peer.clientId === sourceClientId
}

function sameTarget(entry: string, id: string): boolean {
  // FQDN entries (SUID 21) compare case-insensitively; oneM2M IDs byte-exact (frameworks.md §3.5).
  return entry.startsWith('/') ? entry === id : entry.toLowerCase() === id.toLowerCase()
}

/**
 * True when the authenticated identity of `peer` is in the authorised target list (TS-0003
 * 8.3.5.2.8 step 3): an enrolee by its MEF Client ID, a Target by its certificate FQDN or any
 * originator ID it is configured to use.
 */
export function isAuthorisedTarget(peer: MefPeer, targetIds: readonly string[]): boolean {
  const ids = peer.kind === 'enrolee' ? [peer.clientId] : [peer.fqdn, ...peer.originatorIds]
  return targetIds.some((entry) => ids.some((id) => sameTarget(entry, id)))
}
