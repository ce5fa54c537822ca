/**
 * What every MEF procedure receives: the decoded request primitive, who the authenticated peer
 * is (from the TLS handshake — an Enrolee / MEF Client, or an Enrolment Target with an FQDN
 * certificate), the session it arrived on (for key export), the time, and the service's
 * dependencies. A procedure decides what the peer may do (STYLE.md §5: the handshake plug-in
 * says who, the service decides what).
 */
import type { SecretBytes, TargetKeyMode } from '../../core/index.js'
import type { RequestPrimitive } from '../../onem2m/index.js'
import type { OneM2mReply } from '../../transport/index.js'
import type { AuditLinker, Store } from '../../store/index.js'

/** The authenticated peer of one MEF connection (the binding the TLS resolver produced). */
export type MefPeer =
  | {
      readonly kind: 'enrolee'
      /** Store reference of the enrolee record. */
      readonly enroleeRef: string
      /** Credential-ID of the handshake credential: `10-<KpmID>` or a certificate type (31–34). */
      readonly credentialId: string
      /** MEF Client ID (OQ-20): the configured Enrolee-ID (absolute CSE-ID/AE-ID) if any, else credentialId. */
      readonly clientId: string
      readonly framework: 'psk' | 'certificate'
    }
  | {
      readonly kind: 'target'
      /** The FQDN its certificate proves (SAN dNSName). */
      readonly fqdn: string
      /** Originator IDs this Target may use as `fr` (its MAF-ID FQDN, its absolute CSE-ID, …). */
      readonly originatorIds: readonly string[]
    }

/** The TLS session a request arrived on. */
export interface MefSession {
  /** RFC 5705 export from this very session (no context). */
  exportKeyingMaterial(label: string, length: number): SecretBytes
}

export interface MefConfig {
  /** The MEF-FQDN (MEF-ID): KeIDs and MEF Key Identifiers end in `@<fqdn>`. */
  readonly fqdn: string
  /** Which derivation answers fetchCredentials (docs/decisions.md D-5). */
  readonly targetKeyMode: TargetKeyMode
  /** Upper bound on any key registration lifetime the MEF grants. */
  readonly maxKeyLifetimeMs: number
}

export interface MefDeps {
  readonly store: Store
  readonly config: MefConfig
  /** Links audit events into the hash chain (store/audit). */
  readonly auditLink: AuditLinker
}

export interface MefRequest {
  readonly primitive: RequestPrimitive
  readonly peer: MefPeer
  readonly session: MefSession
  readonly now: Date
}

/** One MEF procedure: a request in, a reply out; refusals are OneM2mErrors with their rsc. */
export type MefProcedure = (request: MefRequest, deps: MefDeps) => Promise<OneM2mReply>
