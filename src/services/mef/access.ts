/**
 * Who may touch what on the MEF (mef-maf-interface.md §3.7): registrations and their command
 * child belong to the client that created them; Targets only fetch credentials. Refusals are
 * OneM2mErrors with the §4.5 rsc.
 */
import { RSC, refused } from '../../onem2m/index.js'
import type { ClientRegistration, StoreTx } from '../../store/index.js'
import type { MefConfig, MefPeer, MefRequest } from './context.js'

export type EnroleePeer = Extract<MefPeer, { kind: 'enrolee' }>

/** The enrolee behind a request, or 4103: Targets have no MEF Client procedures. */
export function requireEnrolee(request: MefRequest): EnroleePeer {
  if (request.peer.kind !== 'enrolee') throw refused(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, 'only an MEF Client may use this resource')
  return request.peer
}

/**
 * A live MEF registration of this MEF by id, owned by `peer`.
 * @throws OneM2mError 4004 when unknown, expired or another server's; 4103 when another client's.
 */
export async function ownRegistration(tx: StoreTx, config: MefConfig, peer: EnroleePeer, regId: string, now: Date): Promise<ClientRegistration> {
  const reg = await tx.clientRegistrations.get(regId, now)
  if (reg === undefined || reg.issuer !== 'mef' || reg.serverFqdn !== config.fqdn) {
    throw refused(RSC.NOT_FOUND, `no MEF client registration ${regId}`)
  }
  if (reg.clientId !== peer.clientId) throw refused(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, `registration ${regId} belongs to another client`)
  return reg
}
