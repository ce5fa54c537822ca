/**
 * The MAF's policy for key registrations (TS-0003 8.8.2.7–8.8.2.10, Table 8.8.1-1; frameworks.md
 * §7.4.6–§7.4.9; mef-maf-interface.md §3.6, §3.7, §4.5, §4.6): the SUIDs it serves (32–35, the
 * MAF-distributed ones), what a target list must look like for each, the length of a
 * self-generated key, and who counts as an authorised Target. Pure functions; refusals are
 * OneM2mErrors with the rsc of §4.5.
 */
import { SUID } from '../../../core/index.js'
import { RSC, malformed, refused } from '../../../onem2m/index.js'
import { isAbsoluteEntityId } from '../client-identity.js'
import type { MafPeer } from '../context.js'

/** SUIDs a MAF accepts on Key Registration (§4.6): first digit 3. */
export const MAF_KEY_SUIDS: readonly number[] = [SUID.MAF_SAEF, SUID.MAF_ESPRIM, SUID.MAF_ESDATA_AE, SUID.MAF_ESDATA_SIGNATURE]

/** MAF-Based SAEF and ESPrim: exactly one Target (8.8.2.7 step 3). */
const SINGLE_TARGET_SUIDS: ReadonlySet<number> = new Set([SUID.MAF_SAEF, SUID.MAF_ESPRIM])

/** Every key the MAF distributes is 256 bits (10.3.1 exports 32 key bytes; OQ-13). */
export const KEY_VALUE_LENGTH = 32

/** @throws OneM2mError 4102 CONTENTS_UNACCEPTABLE when this MAF does not serve `suid`. */
export function checkServedSuid(suid: number): void {
  if (!MAF_KEY_SUIDS.includes(suid)) throw refused(RSC.CONTENTS_UNACCEPTABLE, `SUID ${suid} is not served by this MAF (serves ${MAF_KEY_SUIDS.join(', ')})`)
}

/** @throws OneM2mError 4000 when a self-generated key is not KEY_VALUE_LENGTH bytes. */
export function checkKeyValueLength(length: number): void {
  if (length !== KEY_VALUE_LENGTH) throw malformed(`kyv must be ${KEY_VALUE_LENGTH} bytes (is ${length})`)
}

/**
 * The target list for `suid` (8.8.2.7 step 3, 8.8.2.9 step 2): exactly one entry for SAEF (32)
 * and ESPrim (33), at least one for ESData (34, 35); each an Absolute AE-ID or CSE-ID, kept
 * byte-exact; no duplicates. An absent list is refused: no stakeholder told the MAF one.
 * @throws OneM2mError 4000 naming what is wrong.
 */
export function checkTargetIds(suid: number, targetIds: readonly string[] | undefined): readonly string[] {
  if (targetIds === undefined) throw malformed(`tgis is mandatory for SUID ${suid} (no MAF-created target list is configured)`)
  const single = SINGLE_TARGET_SUIDS.has(suid)
  if (single ? targetIds.length !== 1 : targetIds.length === 0) {
    throw malformed(`tgis must hold ${single ? 'exactly one entry' : 'at least one entry'} for SUID ${suid} (holds ${targetIds.length})`)
  }
  targetIds.forEach((id, i) => {
    if (!isAbsoluteEntityId(id)) throw malformed(`tgis[${i}] is not an Absolute CSE-ID or AE-ID (length ${id.length})`)
  })
  if (new Set(targetIds).size !== targetIds.length) throw malformed('tgis lists a target twice')
  return [...targetIds]
}

/** True when `peer` is the Source of a registration made by `sourceClientId`. */
export function isSource(peer: MafPeer, sourceClientId: string): boolean {
  return peer.clientId === sourceClientId
}

/**
 * True when the authenticated identity of `peer` is in the target list (8.8.2.8 step 3): its
 * MAF Client ID compared byte-exact, as oneM2M IDs are (frameworks.md §3.5).
 */
export function isAuthorisedTarget(peer: MafPeer, targetIds: readonly string[]): boolean {
  return targetIds.includes(peer.clientId)
}
