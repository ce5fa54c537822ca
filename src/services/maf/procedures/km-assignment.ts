/**
 * The MAF-assigned KmID for a remotely provisioned Km (TS-0003 8.8.2.3, 8.8.2.5
 * `assignedSymmKeyID`; frameworks.md §7.4.2, §9.4, OQ-7, OQ-29): the Km the MAF fetched for a
 * KeID gets a fresh KmID `<32 hex>@<MAF-FQDN>` in the MAF's identifier namespace (shared with
 * RelativeKeyIDs, so a KmID never equals a Key Identifier). Afterwards KmID and KeID both name
 * the same Km: the KmID row (owned by the registration, living as long as it) and the KeID row
 * (owned by the fetch, living as long as the MEF said) carry the same Client identity, so either
 * handshake yields the same MAF Client ID.
 */
import { credentialIdForKmId, formatKmId, type SecretBytes } from '../../../core/index.js'
import { RSC, refused } from '../../../onem2m/index.js'
import { randomRelativeKeyId, type PskCredential, type StoreTx } from '../../../store/index.js'
import type { MafConfig, MafPeer } from '../context.js'

const KM_CREDENTIAL_PREFIX = '11-'

/**
 * The stored KeID credential behind a 'ke-id' peer, re-read in the transaction.
 * @throws OneM2mError 4106 when it expired or vanished since the handshake.
 */
export async function keIdCredentialOf(tx: StoreTx, peer: MafPeer, now: Date): Promise<PskCredential> {
  const lookup = peer.identity === undefined ? undefined : await tx.pskCredentials.find('maf', peer.identity, now)
  if (lookup === undefined || !lookup.ok) throw refused(RSC.ORIGINATOR_NOT_AUTHENTICATED, 'the KeID credential of this session is no longer valid')
  return lookup.credential
}

/** The KmID already assigned for this KeID credential, if its row is still live. */
export async function liveAssignedKmId(tx: StoreTx, keRow: PskCredential, now: Date): Promise<string | undefined> {
  const credentialId = keRow.credentialId
  if (credentialId === undefined || !credentialId.startsWith(KM_CREDENTIAL_PREFIX)) return undefined
  const kmId = credentialId.slice(KM_CREDENTIAL_PREFIX.length)
  if (kmId === keRow.identity) return undefined
  const lookup = await tx.pskCredentials.find('maf', kmId, now)
  if (!lookup.ok) return undefined
  lookup.credential.key.wipe()
  return kmId
}

/** A fresh KmID of this MAF (never issued before). */
export async function allocateKmId(tx: StoreTx, config: MafConfig): Promise<{ kmId: string; credentialId: string }> {
  const relative = await tx.identifiers.allocate({ scope: config.fqdn, kind: 'km-id', generate: randomRelativeKeyId })
  const kmId = formatKmId(relative, config.fqdn)
  return { kmId, credentialId: credentialIdForKmId(kmId) }
}

/** Records on the KeID row which Client identity it now belongs to (so a later KeID handshake names it). */
export async function linkKeIdRow(tx: StoreTx, keRow: PskCredential, credentialId: string): Promise<void> {
  await tx.pskCredentials.delete('maf', keRow.identity)
  await tx.pskCredentials.put({
    usage: 'maf', identity: keRow.identity, key: keRow.key, owner: keRow.owner, credentialId,
    ...(keRow.boundEntity === undefined ? {} : { boundEntity: keRow.boundEntity }),
    ...(keRow.suid === undefined ? {} : { suid: keRow.suid }),
    ...(keRow.expiresAt === undefined ? {} : { expiresAt: keRow.expiresAt }),
  })
}

/**
 * Gives the KmID row the store just wrote for a registration the bound entity of the KeID row
 * (the store's registration writer knows no bound entity).
 */
export async function bindKmIdRow(tx: StoreTx, kmId: string, key: SecretBytes, keRow: PskCredential, regId: string, credentialId: string, expiresAt: Date): Promise<void> {
  if (keRow.boundEntity === undefined) return
  await tx.pskCredentials.delete('maf', kmId)
  await tx.pskCredentials.put({
    usage: 'maf', identity: kmId, key, owner: { kind: 'client-registration', ref: regId }, credentialId, boundEntity: keRow.boundEntity, suid: 21, expiresAt,
  })
}
