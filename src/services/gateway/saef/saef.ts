/**
 * The Security Association Establishment Framework plug-in interface (TS-0003 8.2.2; STYLE.md §5):
 * a SAEF says *who the peer is* — the key for a PSK handshake, the Credential-ID of the credential
 * and, when known, the CSE-ID or AE-IDs that credential is bound to (8.2.1, frameworks.md §4.2–§4.3).
 * What the peer may do (registration rules, `fr` checks) is decided by the gateway, never here.
 *
 * A refusal is a value with a reason for audit and tests; on the wire every refusal looks the same
 * (unknown_psk_identity, or a closed handshake). A resolver throws only when it could not decide
 * (MEF or MAF unreachable): the handshake then fails with internal_error and the next one retries.
 */
import type { SecretBytes } from '../../../core/index.js'
import type { SanEntry } from '../../../pki/index.js'
import type { BoundEntity, Store } from '../../../store/index.js'

/** What the peer presented in the handshake. */
export type PeerCredential =
  | { readonly kind: 'psk'; readonly identity: string }
  | { readonly kind: 'certificate'; readonly sans: readonly SanEntry[]; readonly chain: readonly Uint8Array[] }

/** Who the peer is, as far as its credential tells (frameworks.md §4.2). */
export interface SecurityContext {
  /** Name of the SAEF that resolved it ('psk', 'certificate', 'maf'). */
  readonly saef: string
  /** The Credential-ID of the credential (TS-0003 10.4), in normal form. */
  readonly credentialId: string
  /** The CSE-ID / Absolute AE-IDs already known for the credential, if any. */
  readonly boundTo?: BoundEntity
  /** psk_identity, for PSK-based SAEFs. */
  readonly identity?: string
  /** End of the credential's lifetime (Kc, fetched Kpsa), when it has one. */
  readonly expiresAt?: Date
}

export type SaefRefusal = 'unknown-identity' | 'expired' | 'revoked' | 'not-allowed'

export type SaefOutcome =
  | { readonly ok: true; readonly key?: SecretBytes; readonly context: SecurityContext }
  | { readonly ok: false; readonly refusal: SaefRefusal; readonly detail?: Readonly<Record<string, string | number>> }

export interface Saef {
  /** Config key and log field: 'psk', 'certificate', 'maf', … */
  readonly name: string
  /** Synchronous and cheap: does this SAEF handle that credential? */
  accepts(credential: PeerCredential): boolean
  /** Must honour `signal` (the handshake deadline). @throws GatewayError when a key server cannot answer. */
  resolve(credential: PeerCredential, signal: AbortSignal): Promise<SaefOutcome>
  /**
   * Is the credential behind a live association still good, from what this gateway holds
   * (revoked, removed, expired, replaced)? Never asks a key server: it runs for every live
   * session on each recheck (live-sessions.ts). Absent when nothing stored can change (certificates).
   */
  recheck?(context: SecurityContext): Promise<SaefRecheck>
}

/** A recheck's answer; `key` is the credential's current key, which the caller compares and wipes. */
export type SaefRecheck =
  | { readonly ok: true; readonly key?: SecretBytes }
  | { readonly ok: false; readonly refusal: SaefRefusal }

/** Fetches a Kpsa for a KeID from the configured MEF (fetchCredentials, SUID 22). */
export type KpsaFetcher = (keId: string) => Promise<KeyFetchOutcome>
/** MAF Key Retrieval of `relativeKeyId` at the MAF named `mafFqdn`. */
export type KcRetriever = (mafFqdn: string, relativeKeyId: string) => Promise<KeyFetchOutcome>

/** A key server's answer: the key with its owner's id and lifetime, or its refusal (rsc). */
export type KeyFetchOutcome =
  | { readonly ok: true; readonly key: SecretBytes; readonly ownerId: string; readonly expiresAt: Date; readonly suid?: number }
  | { readonly ok: false; readonly rsc: number }

/** What every SAEF may use; tests pass fakes (STYLE.md §5). */
export interface SaefDeps {
  readonly store: Store
  readonly now: () => Date
  readonly fetchKpsa?: KpsaFetcher
  readonly retrieveKc?: KcRetriever
  /**
   * Longest time a key fetched from the MEF or MAF is used before it is asked for again, however
   * long the lifetime the key server gave (D-191). Undefined: the server's lifetime alone.
   */
  readonly fetchedKeyMaxAgeMs?: number
}

/** Validates `config` and builds the SAEF. @throws GatewayError M2MSEC_GATEWAY_CONFIG_INVALID */
export type SaefFactory = (deps: SaefDeps, config: unknown) => Saef

/** The first configured SAEF that accepts `credential`, in registry order. */
export function saefFor(saefs: readonly Saef[], credential: PeerCredential): Saef | undefined {
  return saefs.find((saef) => saef.accepts(credential))
}
