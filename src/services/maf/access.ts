/**
 * Who may touch what on the MAF (mef-maf-interface.md §3.7): a `<mafClientReg>` belongs to the
 * client that created it; a `<symmKeyReg>` to its Source, and its key to the listed Targets.
 * Refusals are OneM2mErrors with the §4.5 rsc.
 */
import { RSC, refused } from '../../onem2m/index.js'
import type { ClientRegistration, StoreTx } from '../../store/index.js'
import type { MafConfig, MafPeer } from './context.js'

/**
 * A live MAF registration of this MAF by id, owned by `peer`.
 * @throws OneM2mError 4004 when unknown, expired or another server's; 4103 when another client's.
 */
export async function ownRegistration(tx: StoreTx, config: MafConfig, peer: MafPeer, regId: string, now: Date): Promise<ClientRegistration> {
  const reg = await tx.clientRegistrations.get(regId, now)
  if (reg === undefined || reg.issuer !== 'maf' || reg.serverFqdn !== config.fqdn) throw refused(RSC.NOT_FOUND, `no MAF client registration ${regId}`)
  if (reg.clientId !== peer.clientId) throw refused(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, `registration ${regId} belongs to another client`)
  return reg
}

/**
 * The Source's MAF Client Registration for `adminFqdn` (TS-0003 8.8.2.7 pre-condition 2).
 * @throws OneM2mError 4103 when the client has none with that administrating stakeholder.
 */
export async function sourceRegistrationFor(tx: StoreTx, config: MafConfig, peer: MafPeer, adminFqdn: string, now: Date): Promise<ClientRegistration> {
  const reg = await tx.clientRegistrations.findByClient('maf', config.fqdn, peer.clientId, adminFqdn, now)
  if (reg === undefined) throw refused(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, 'the MAF Client has no MAF Client Registration for this adfq')
  return reg
}
