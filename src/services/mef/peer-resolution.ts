/**
 * Who is at the other end of an MEF connection (MEF Handshake, TS-0003 8.3.5.2.2; bootstrap
 * handshakes of the PPSK RSPF 8.3.2.1 and the Certificate-Based RSPF 8.3.2.2; the Target's
 * mutually authenticated channel of 8.3.2.1 "Use of Remotely Provisioned Credential", OQ-8).
 * These are the listener's resolvers: they say who the peer is, never what it may do
 * (STYLE.md §5). Every refusal is a value with a reason that goes to the audit log; on the wire
 * all of them look the same (an unknown_psk_identity alert, or a closed handshake).
 *
 *   PSK          psk_identity = KpmID → the enrolee owning that Kpm            → 'enrolee'
 *   certificate  SAN dNSName of a configured Target, chain to a Target anchor → 'target'
 *                SAN id of a 'certificate' enrolee, chain to its own anchor    → 'enrolee'
 *
 * The SNI must name this MEF (10.2.1; mef-maf-interface.md §2.3): a handshake for another
 * authority is refused before any key is looked up.
 */
import { X509Certificate } from 'node:crypto'
import { credentialIdForKpmId } from '../../core/index.js'
import type { EnroleeRecord, HandshakeReader } from '../../store/index.js'
import type { CertificatePeer, CertificateResolver, PskResolution, PskResolver } from '../../transport/index.js'
import { MEF_AUDIT_ACTION, refusedOutcome, type MefAuditEvent } from './audit.js'
import type { MefPeer } from './context.js'
import { candidateIdentities, enroleeCertificateCredentialId } from './enrolee-certificate.js'

/** An Enrolment Target allowed to call fetchCredentials (service configuration). */
export interface MefTargetConfig {
  /** The FQDN its certificate carries as SAN dNSName. */
  readonly fqdn: string
  /** Originator IDs it may send as `fr` (its MAF-ID, its absolute CSE-ID, …). */
  readonly originatorIds: readonly string[]
}

export type HandshakeRefusal =
  | 'wrong-sni' | 'unknown-identity' | 'expired' | 'revoked' | 'not-an-enrolee' | 'enrolee-inactive'
  | 'untrusted-anchor' | 'unknown-certificate' | 'no-credential-id'

export interface PeerResolutionDeps {
  readonly reader: HandshakeReader
  readonly fqdn: string
  readonly now: () => Date
  /** Receives each refusal (the service appends it to the audit log). */
  readonly onRefusal: (event: MefAuditEvent) => void
}

export interface CertificateResolutionConfig {
  readonly targets: readonly MefTargetConfig[]
  /** DER of every Target trust anchor. */
  readonly targetAnchors: readonly Uint8Array[]
}

function refusal(deps: PeerResolutionDeps, reason: HandshakeRefusal, subject: MefAuditEvent['subject']): null {
  deps.onRefusal({ action: MEF_AUDIT_ACTION.handshake, subject, outcome: refusedOutcome(reason) })
  return null
}

function sameSni(sni: string | undefined, fqdn: string): boolean {
  return sni !== undefined && sni.toLowerCase() === fqdn
}

/** The 'enrolee' binding of an active enrolee record, or the refusal reason. */
function enroleePeer(record: EnroleeRecord, credentialId: string, framework: 'psk' | 'certificate'): MefPeer {
  return { kind: 'enrolee', enroleeRef: record.enroleeRef, credentialId, clientId: record.enroleeId ?? credentialId, framework }
}

/** Resolves a psk_identity (KpmID) to its Kpm and enrolee (PPSK RSPF, frameworks.md §10.2, §15.2). */
export function createMefPskResolver(deps: PeerResolutionDeps): PskResolver<MefPeer> {
  return async (identity, sni): Promise<PskResolution<MefPeer> | null> => {
    const subject = { kpmId: identity, sni: sni ?? null }
    if (!sameSni(sni, deps.fqdn)) return refusal(deps, 'wrong-sni', subject)
    const lookup = await deps.reader.findPskByIdentity('mef', identity, deps.now())
    if (!lookup.ok) return refusal(deps, lookup.refusal, subject)
    // Only pre-provisioned Kpms are enrolee credentials; a remotely provisioned KpmID (OQ-20) is not served yet.
    if (lookup.credential.owner.kind !== 'enrolee') return refusal(deps, 'not-an-enrolee', subject)
    const record = await deps.reader.findEnroleeByCredential('psk', identity)
    if (record === undefined || record.enroleeRef !== lookup.credential.owner.ref) return refusal(deps, 'not-an-enrolee', subject)
    if (record.status !== 'active') return refusal(deps, 'enrolee-inactive', { ...subject, enroleeRef: record.enroleeRef })
    const credentialId = lookup.credential.credentialId ?? credentialIdForKpmId(identity)
    return { key: lookup.credential.key, binding: enroleePeer(record, credentialId, 'psk') }
  }
}

/** DER of every certificate in a PEM text (a bundle may hold several). */
export function pemCertificatesDer(pem: string): Uint8Array[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
  return blocks.map((block) => new Uint8Array(new X509Certificate(block).raw))
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b))
}

/** The anchor the validated chain ends in: OpenSSL appends the trusted root it found (peerChain). */
function chainRoot(peer: CertificatePeer): Uint8Array | undefined {
  return peer.chain.at(-1)
}

function targetOf(peer: CertificatePeer, config: CertificateResolutionConfig): MefTargetConfig | undefined {
  const root = chainRoot(peer)
  if (root === undefined || !config.targetAnchors.some((anchor) => sameBytes(anchor, root))) return undefined
  const names = new Set(peer.sans.filter((e) => e.kind === 'dns').map((e) => e.value.toLowerCase()))
  return config.targets.find((t) => names.has(t.fqdn))
}

async function enroleeOf(peer: CertificatePeer, deps: PeerResolutionDeps): Promise<{ record: EnroleeRecord } | { refusal: HandshakeRefusal; enroleeRef?: string }> {
  for (const candidate of candidateIdentities(peer.sans)) {
    const record = await deps.reader.findEnroleeByCredential('certificate', candidate)
    if (record === undefined) continue
    if (record.status !== 'active') return { refusal: 'enrolee-inactive', enroleeRef: record.enroleeRef }
    // Its own anchor, not merely any anchor of the listener (8.1.2.4: the TA configured for this client).
    const root = chainRoot(peer)
    const anchors = record.trustAnchorPem === undefined ? [] : pemCertificatesDer(record.trustAnchorPem)
    if (root === undefined || !anchors.some((a) => sameBytes(a, root))) return { refusal: 'untrusted-anchor', enroleeRef: record.enroleeRef }
    return { record }
  }
  return { refusal: 'unknown-certificate' }
}

/** Resolves a verified client certificate to a Target or a certificate enrolee (frameworks.md §11, OQ-8). */
export function createMefCertificateResolver(deps: PeerResolutionDeps, config: CertificateResolutionConfig): CertificateResolver<MefPeer> {
  return async (peer, sni) => {
    const sans = peer.sans.filter((e) => e.kind === 'dns' || e.kind === 'uri').map((e) => e.value)
    const subject = { sans, sni: sni ?? null }
    if (!sameSni(sni, deps.fqdn)) return refusal(deps, 'wrong-sni', subject)
    const target = targetOf(peer, config)
    if (target !== undefined) return { binding: { kind: 'target', fqdn: target.fqdn, originatorIds: target.originatorIds } }
    const found = await enroleeOf(peer, deps)
    if ('refusal' in found) return refusal(deps, found.refusal, found.enroleeRef ? { ...subject, enroleeRef: found.enroleeRef } : subject)
    const credentialId = enroleeCertificateCredentialId(found.record)
    if (credentialId === undefined) return refusal(deps, 'no-credential-id', { ...subject, enroleeRef: found.record.enroleeRef })
    return { binding: enroleePeer(found.record, credentialId, 'certificate') }
  }
}
