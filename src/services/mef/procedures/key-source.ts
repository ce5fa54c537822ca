/**
 * Who may act as the Source MEF Client of a key registration (TS-0003 8.3.5.2.7 pre-conditions,
 * 8.3.5.2.9, 8.3.5.2.10; mef-maf-interface.md §3.7): an active enrolee holding a MEF Client
 * Registration with the administrating stakeholder, and — for an existing registration — the
 * very client that made it. How the stakeholder authorises is left open by the spec (8.3.5.2.7
 * note 2); these checks are the MEF's minimum.
 */
import { RSC, refused } from '../../../onem2m/index.js'
import type { ClientRegistration, KeyRegistrationSummary, StoreTx } from '../../../store/index.js'
import type { MefPeer } from '../context.js'
import { isSource } from './key-rules.js'

async function requireActiveEnrolee(tx: StoreTx, peer: MefPeer): Promise<Extract<MefPeer, { kind: 'enrolee' }>> {
  if (peer.kind !== 'enrolee') throw refused(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, 'only an enrolled MEF Client may register or change a key')
  const enrolee = await tx.enrolees.get(peer.enroleeRef)
  // Re-read in the transaction: an enrolee revoked after its handshake is no longer
  // authenticated (4106, as for MEF Client Registration), whatever its live session says.
  if (enrolee === undefined || enrolee.status !== 'active') {
    throw refused(RSC.ORIGINATOR_NOT_AUTHENTICATED, 'the MEF Client is not an active enrolee')
  }
  return peer
}

/**
 * The Source's MEF Client Registration for `adminFqdn` (8.3.5.2.7 pre-condition 2).
 * @throws OneM2mError 4103 ORIGINATOR_HAS_NO_PRIVILEGE for a Target peer or no live registration
 *         with that stakeholder; 4106 for a revoked or unknown enrolee.
 */
export async function sourceRegistrationFor(tx: StoreTx, peer: MefPeer, adminFqdn: string, mefFqdn: string, now: Date): Promise<ClientRegistration> {
  const enrolee = await requireActiveEnrolee(tx, peer)
  const registration = await tx.clientRegistrations.findByClient('mef', mefFqdn, enrolee.clientId, adminFqdn, now)
  if (registration === undefined) {
    throw refused(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, 'the MEF Client has no MEF Client Registration for this adfq')
  }
  return registration
}

/** @throws OneM2mError 4103 unless `peer` is the Source of `key` (§3.7: UPDATE/DELETE Source only). */
export function requireSource(peer: MefPeer, key: KeyRegistrationSummary): void {
  if (!isSource(peer, key.sourceClientId)) throw refused(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, 'only the Source MEF Client may change this key registration')
}

/**
 * The live MEF Client Registration under which the Source made `key`; an Update must not give
 * a key more than its Source still has.
 * @throws OneM2mError 4103 when the peer is not the Source or that registration has ended; 4106
 *         when the Source is no longer an active enrolee.
 */
export async function liveSourceRegistration(tx: StoreTx, peer: MefPeer, key: KeyRegistrationSummary, now: Date): Promise<ClientRegistration> {
  requireSource(peer, key)
  await requireActiveEnrolee(tx, peer)
  const registration = key.sourceRegId === undefined ? undefined : await tx.clientRegistrations.get(key.sourceRegId, now)
  if (registration === undefined) throw refused(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, 'the Source\'s MEF Client Registration has ended')
  return registration
}
