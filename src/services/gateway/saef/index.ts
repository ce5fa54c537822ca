/**
 * The one registry of SAEFs (STYLE.md §5): adding a framework (IBC-1) is a file, a line here and
 * its run of the conformance suite. Order matters for PSK identities: the MAF SAEF claims only
 * `<32HEX>@<configured MAF-FQDN>`, the PSK SAEF every other psk_identity.
 */
import { createCertificateSaef } from './certificate.js'
import { createMafSaef } from './maf.js'
import { createPskSaef } from './psk.js'
import type { SaefFactory } from './saef.js'

export const SAEFS = { maf: createMafSaef, psk: createPskSaef, certificate: createCertificateSaef } satisfies Record<string, SaefFactory>
export type SaefName = keyof typeof SAEFS

export { saefFor } from './saef.js'
export type { PeerCredential, Saef, SaefDeps, SaefFactory, SaefOutcome, SaefRecheck, SaefRefusal, SecurityContext, KeyFetchOutcome, KcRetriever, KpsaFetcher } from './saef.js'
