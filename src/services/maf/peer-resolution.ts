/**
 * Who is at the other end of a MAF connection (MAF Handshake, TS-0003 8.8.2.2; its
 * remote-provisioning variant in 8.8.2.3 with 8.3.2.1 "Use of Remotely Provisioned Credential";
 * frameworks.md §7.3, §9.4, §10.5, OQ-7, OQ-29). The listener's resolvers say who the peer is,
 * never what it may do (STYLE.md §5). Every refusal is a value whose reason goes to the audit
 * log; on the wire they all look the same (unknown_psk_identity, or a closed handshake).
 *
 *   PSK   psk_identity = KmID → Km from the store (usage 'maf')                  → 'km-id'
 *         psk_identity = KeID (`…@<MEF-FQDN>`) → the Km already fetched for it    → 'ke-id'
 *                      … or, on first contact, Km fetched from the MEF inside the
 *                        handshake, stored sealed with the MEF's lifetime         → 'ke-id'
 *   cert  SAN URI = Absolute AE-ID/CSE-ID, chain to a client trust anchor         → 'certificate'
 *
 * Concurrent first contacts with one KeID share one MEF fetch (single flight): the MEF is asked
 * once and every waiting handshake continues with its answer. The SNI must name this MAF.
 */
import { M2mSecError, credentialIdForCertificate, parseKeId, splitKeId } from '../../core/index.js'
import type { PskCredential, Store } from '../../store/index.js'
import type { CertificateResolver, PskResolution, PskResolver } from '../../transport/index.js'
import { MAF_AUDIT_ACTION, appendMafAudit, refusedOutcome, type MafAuditEvent } from './audit.js'
import { boundEntityOf, distinctIds, isAbsoluteEntityId, kmCredentialId } from './client-identity.js'
import type { MafDeps, MafPeer } from './context.js'
import type { KmFetcher } from './mef-km-fetch.js'

/** Length of every Km the MAF accepts from the MEF (TS-0003 10.3.7 / 10.3.2 output, OQ-13). */
export const KM_LENGTH = 32

export type HandshakeRefusal =
  | 'wrong-sni' | 'unknown-identity' | 'expired' | 'revoked' | 'unknown-ke-id' | 'not-authorised' | 'refused-by-mef'
  | 'lifetime-over' | 'bad-key-length' | 'no-entity-id'

export interface PeerResolutionDeps extends Pick<MafDeps, 'auditLink'> {
  readonly store: Store
  /** The MAF-FQDN (lower case). */
  readonly fqdn: string
  /** The MEF this MAF fetches Km from, with its FQDN (KeIDs it issues end in `@<fqdn>`). */
  readonly mef?: { readonly fqdn: string; readonly fetch: KmFetcher }
  readonly now: () => Date
  /** Receives each refusal (the service appends it to the audit log). */
  readonly onRefusal: (event: MafAuditEvent) => void
}

function sameSni(sni: string | undefined, fqdn: string): boolean {
  return sni !== undefined && sni.toLowerCase() === fqdn
}

function ownCredentialId(identity: string): string | undefined {
  try {
    return kmCredentialId(identity)
  } catch (error) {
    if (error instanceof M2mSecError && error.code === 'M2MSEC_ID_INVALID') return undefined
    throw error
  }
}

/** The peer a stored PSK row yields (OQ-20: bound entity, else stored Credential-ID, else `11-<identity>`). */
export function peerFromPsk(identity: string, credential: Omit<PskCredential, 'key'>): MafPeer {
  const own = ownCredentialId(identity)
  const credentialId = credential.credentialId ?? own ?? identity
  const clientId = credential.boundEntity?.ids[0] ?? credentialId
  return {
    credential: credential.owner.kind === 'retrieved' ? 'ke-id' : 'km-id',
    identity, clientId, credentialId, originatorIds: distinctIds([clientId, credentialId, own]),
  }
}

/** The KeID in `identity` when it names an enrolment at our MEF, else undefined. */
export function mefKeIdOf(identity: string, mefFqdn: string | undefined): string | undefined {
  if (mefFqdn === undefined) return undefined
  try {
    const keId = parseKeId(identity)
    return splitKeId(keId).fqdn === mefFqdn.toLowerCase() ? keId : undefined
  } catch (error) {
    if (error instanceof M2mSecError && error.code === 'M2MSEC_ID_INVALID') return undefined
    throw error
  }
}

function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

type Fetched = PskResolution<MafPeer> | { readonly refusal: HandshakeRefusal; readonly detail?: Record<string, string | number> }

/** Fetches Km for `keId` from the MEF and stores it sealed (frameworks.md §10.5 g: Target keeps KeID → key, EnroleeID, lifetime). */
async function fetchAndStore(deps: PeerResolutionDeps, fetch: KmFetcher, keId: string): Promise<Fetched> {
  const outcome = await fetch(keId)
  if (!outcome.ok) return { refusal: outcome.refusal === 'refused' ? 'refused-by-mef' : outcome.refusal, detail: { mefRsc: outcome.rsc } }
  const now = deps.now()
  if (outcome.km.length !== KM_LENGTH) {
    outcome.km.wipe()
    return { refusal: 'bad-key-length', detail: { length: outcome.km.length } }
  }
  if (outcome.expiresAt.getTime() <= now.getTime()) {
    outcome.km.wipe()
    return { refusal: 'lifetime-over' }
  }
  const boundEntity = boundEntityOf(outcome.enroleeId)
  try {
    await deps.store.transaction(async (tx) => {
      await tx.pskCredentials.put({
        usage: 'maf', identity: keId, key: outcome.km, owner: { kind: 'retrieved', ref: keId }, suid: 21, expiresAt: outcome.expiresAt,
        ...(boundEntity === undefined ? {} : { boundEntity }),
      })
      await appendMafAudit(tx, deps, {
        action: MAF_AUDIT_ACTION.kmFetch, at: now, outcome: 'ok',
        subject: { keId, enroleeId: outcome.enroleeId, expiresAt: outcome.expiresAt.toISOString() },
      })
    })
  } catch (error) {
    // Another MAF instance sharing the database stored it first: use its row.
    if (!(error instanceof M2mSecError && error.code === 'M2MSEC_STORE_CONFLICT')) throw error
    outcome.km.wipe()
    const lookup = await deps.store.reader.findPskByIdentity('maf', keId, now)
    if (!lookup.ok) return { refusal: lookup.refusal }
    return { key: lookup.credential.key, binding: peerFromPsk(keId, lookup.credential) }
  }
  const stored = { usage: 'maf' as const, identity: keId, owner: { kind: 'retrieved' as const, ref: keId }, createdAt: now, ...(boundEntity ? { boundEntity } : {}) }
  return { key: outcome.km, binding: peerFromPsk(keId, stored) }
}

/**
 * Resolves a psk_identity to Km and its MAF Client (KmID, KeID already held, or KeID fetched
 * from the MEF on first contact).
 * @throws MafError M2MSEC_MAF_MEF_UNAVAILABLE when the MEF cannot answer (the handshake then
 *         fails with an internal_error alert instead of unknown_psk_identity).
 */
export function createMafPskResolver(deps: PeerResolutionDeps): PskResolver<MafPeer> {
  const inFlight = new Map<string, Promise<Fetched>>()
  const refuse = (reason: HandshakeRefusal, subject: Record<string, string | number | null>): null => {
    deps.onRefusal({ action: MAF_AUDIT_ACTION.handshake, subject, outcome: refusedOutcome(reason) })
    return null
  }
  const shared = (fetch: KmFetcher, keId: string): Promise<Fetched> => {
    let pending = inFlight.get(keId)
    if (pending === undefined) {
      pending = fetchAndStore(deps, fetch, keId).finally(() => inFlight.delete(keId))
      inFlight.set(keId, pending)
    }
    return pending
  }
  return async (identity, sni, signal): Promise<PskResolution<MafPeer> | null> => {
    const subject = { identity, sni: sni ?? null }
    if (!sameSni(sni, deps.fqdn)) return refuse('wrong-sni', subject)
    const lookup = await deps.store.reader.findPskByIdentity('maf', identity, deps.now())
    if (lookup.ok) return { key: lookup.credential.key, binding: peerFromPsk(identity, lookup.credential) }
    if (lookup.refusal !== 'unknown-identity') return refuse(lookup.refusal, subject)
    const keId = mefKeIdOf(identity, deps.mef?.fqdn)
    if (keId === undefined || deps.mef === undefined) return refuse('unknown-identity', subject)
    if (keId !== identity) {
      // The same KeID in another spelling (OQ-2) names the Km already held: no second fetch.
      const normalised = await deps.store.reader.findPskByIdentity('maf', keId, deps.now())
      if (normalised.ok) return { key: normalised.credential.key, binding: peerFromPsk(keId, normalised.credential) }
      if (normalised.refusal !== 'unknown-identity') return refuse(normalised.refusal, subject)
    }
    const fetched = await abortable(shared(deps.mef.fetch, keId), signal)
    if ('refusal' in fetched) return refuse(fetched.refusal, { ...subject, ...fetched.detail })
    return fetched
  }
}

/** Resolves a verified client certificate to the Absolute AE-ID/CSE-ID in its SAN (frameworks.md §3.5, §7.3). */
export function createMafCertificateResolver(deps: Pick<PeerResolutionDeps, 'fqdn' | 'onRefusal'>): CertificateResolver<MafPeer> {
  return async (peer, sni) => {
    const uris = peer.sans.filter((e) => e.kind === 'uri').map((e) => e.value)
    const refuse = (reason: HandshakeRefusal): null => {
      deps.onRefusal({ action: MAF_AUDIT_ACTION.handshake, subject: { sans: uris, sni: sni ?? null }, outcome: refusedOutcome(reason) })
      return null
    }
    if (!sameSni(sni, deps.fqdn)) return refuse('wrong-sni')
    const id = uris.find((uri) => isAbsoluteEntityId(uri))
    const entity = id === undefined ? undefined : boundEntityOf(id)
    if (id === undefined || entity === undefined) return refuse('no-entity-id')
    const credentialId = credentialIdForCertificate(entity.kind === 'ae' ? 'ae-id' : 'cse-id', id)
    return { binding: { credential: 'certificate', clientId: id, credentialId, originatorIds: distinctIds([id, credentialId]) } }
  }
}
