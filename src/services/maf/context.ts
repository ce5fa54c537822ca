/**
 * What every MAF procedure (TS-0003 8.8.2.3–8.8.2.10) receives: the decoded request primitive,
 * who the authenticated MAF Client is (from the MAF Handshake, 8.8.2.2, or its remote-provisioning
 * variant with a KeID, 8.8.2.3), the TLS session it arrived on (for key export), the time and
 * the service's dependencies. The handshake resolver says who the peer is; procedures decide what
 * it may do (STYLE.md §5). Modelled on services/mef/context.ts; a service never imports another.
 */
import type { SecretBytes } from '../../core/index.js'
import type { RequestPrimitive } from '../../onem2m/index.js'
import type { OneM2mReply } from '../../transport/index.js'
import type { AuditLinker, Store } from '../../store/index.js'

/** How the peer authenticated in the MAF Handshake. */
export type MafCredentialKind =
  /** TLS-PSK with a KmID (pre-provisioned, or assigned by an earlier MAF Client Registration). */
  | 'km-id'
  /** TLS-PSK with a KeID: Km remotely provisioned through an MEF (8.8.2.3, OQ-29). */
  | 'ke-id'
  /** Certificate-based MAF Handshake (frameworks.md §3.5). */
  | 'certificate'

/** The authenticated MAF Client of one connection (the binding the TLS resolver produced). */
export interface MafPeer {
  readonly credential: MafCredentialKind
  /** The psk_identity (KmID or KeID); absent for a certificate. */
  readonly identity?: string
  /**
   * MAF Client ID (OQ-20): the Absolute CSE-ID/AE-ID bound to the credential when known (the
   * MEF's EnroleeID, a configured binding, the certificate's SAN), else `credentialId`.
   */
  readonly clientId: string
  /** Credential-ID of the handshake credential: `11-<KmID>` (OQ-33), `11-<KeID>` before a KmID exists (OQ-7), or 32/33. */
  readonly credentialId: string
  /** Everything this peer may send as `fr` (its Client ID and Credential-ID forms). */
  readonly originatorIds: readonly string[]
}

/** The TLS session a request arrived on. */
export interface MafSession {
  /** RFC 5705 export from this very session (no context). */
  exportKeyingMaterial(label: string, length: number): SecretBytes
}

export interface MafConfig {
  /** The MAF-FQDN (MAF-ID): KmIDs and Key Identifiers end in `@<fqdn>`. */
  readonly fqdn: string
  /** Upper bound on the lifetime of a Kc key registration (the MAF assigns it, 8.8.2.7). */
  readonly kcLifetimeMs: number
  /** Upper bound on the lifetime of a MAF Client Registration. */
  readonly registrationMaxLifetimeMs: number
}

export interface MafDeps {
  readonly store: Store
  readonly config: MafConfig
  /** Links audit events into the hash chain (store/audit). */
  readonly auditLink: AuditLinker
}

export interface MafRequest {
  readonly primitive: RequestPrimitive
  readonly peer: MafPeer
  readonly session: MafSession
  readonly now: Date
}

/** One MAF procedure: a request in, a reply out; refusals are OneM2mErrors with their rsc. */
export type MafProcedure = (request: MafRequest, deps: MafDeps) => Promise<OneM2mReply>
