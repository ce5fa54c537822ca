/**
 * Peer certificate checks of TS-0003 8.1.2.5 in the order frameworks.md §3.5 prescribes:
 * (1) a certificate was received; (2) raw public keys (RFC 7250) cannot be negotiated by Node's
 * OpenSSL 3.0 bindings, so that branch does not exist here; (3.1) exact match of the configured
 * identifier against a SAN entry; (3.2) RFC 5280 path validation to the configured trust
 * anchors, whose result OpenSSL computed during the handshake (it honours name constraints);
 * (3.3) status checking is the caller's (CRL/OCSP are not wired yet). Refusals are returned
 * with a reason for audit; on the wire every refusal looks the same.
 */
import type { SanEntry } from './subject-alt-name.js'

/** The identifier a verifier is configured with (8.1.2.4), by certificate flavour. */
export type ExpectedPeerIdentity =
  /** CSE public domain name, compared to dNSName case-insensitively. */
  | { readonly flavour: 'cse-id'; readonly publicDomainName: string }
  /** Absolute AE-ID (`//fqdn/…`), compared byte-exactly to a URI. */
  | { readonly flavour: 'ae-id'; readonly absoluteAeId: string }
  /** M2M-Node-ID, compared exactly to a URI. */
  | { readonly flavour: 'node-id'; readonly nodeId: string }
  /** MEF/MAF FQDN: URI, FQDN or dNSName, case-insensitively. */
  | { readonly flavour: 'fqdn'; readonly fqdn: string }
  /** Device hardware id as RFC 4108 hardwareModuleName (OQ-26: OID and serial compared exactly). */
  | { readonly flavour: 'device'; readonly hwType: string; readonly serialHex: string }

export type PeerRefusal = 'no-certificate' | 'wildcard-name' | 'identifier-mismatch' | 'untrusted-chain'
export type PeerVerdict = { readonly ok: true } | { readonly ok: false; readonly refusal: PeerRefusal; readonly detail: string }

export interface PeerCertificateInput {
  /** SAN entries of the leaf, or undefined when the peer sent no certificate. */
  readonly sans: readonly SanEntry[] | undefined
  /** OpenSSL's path-validation result code (e.g. 'UNABLE_TO_GET_ISSUER_CERT'), null when the chain validated. */
  readonly chainError: string | null
  /** Configured identifier; absent when the verifier learns the identity (Entity B, 8.1.2.4). */
  readonly expected?: ExpectedPeerIdentity
}

const sameDns = (a: string, b: string): boolean => a.length === b.length && a.toLowerCase() === b.toLowerCase()

/** True when a SAN entry equals the configured identifier under the flavour's comparison rule (§3.5 step 3.1). */
export function sanMatches(entry: SanEntry, expected: ExpectedPeerIdentity): boolean {
  switch (expected.flavour) {
    case 'cse-id':
      return entry.kind === 'dns' && sameDns(entry.value, expected.publicDomainName)
    case 'ae-id':
      return entry.kind === 'uri' && entry.value === expected.absoluteAeId
    case 'node-id':
      return entry.kind === 'uri' && entry.value === expected.nodeId
    case 'fqdn':
      return (entry.kind === 'dns' || entry.kind === 'uri') && sameDns(entry.value, expected.fqdn)
    case 'device':
      return entry.kind === 'hardware-module' && entry.hwType === expected.hwType && entry.serialHex === expected.serialHex.toUpperCase()
  }
}

/** 10.1.1: AE-ID, CSE-ID, Node-ID and FQDN certificates carry no wildcards. */
function wildcardEntry(sans: readonly SanEntry[]): SanEntry | undefined {
  return sans.find((e) => (e.kind === 'dns' || e.kind === 'uri') && e.value.includes('*'))
}

/** Applies §3.5 in order and says why it refused, if it did. */
export function verifyPeerCertificate(input: PeerCertificateInput): PeerVerdict {
  if (input.sans === undefined) return { ok: false, refusal: 'no-certificate', detail: 'peer sent no certificate' }
  const wildcard = wildcardEntry(input.sans)
  if (wildcard !== undefined) return { ok: false, refusal: 'wildcard-name', detail: `SAN ${wildcard.kind} holds a wildcard` }
  const expected = input.expected
  if (expected !== undefined && !input.sans.some((entry) => sanMatches(entry, expected))) {
    return { ok: false, refusal: 'identifier-mismatch', detail: `no SAN entry equals the configured ${expected.flavour}` }
  }
  if (input.chainError !== null) return { ok: false, refusal: 'untrusted-chain', detail: `path validation failed: ${input.chainError}` }
  return { ok: true }
}

/** The SAN entries sorted by what they can identify; strings stay raw for core/ids to parse. */
export interface PeerIdentifiers {
  /** Scheme-less `//…` URIs: Absolute AE-IDs (or SP-relative forms a parser will refuse). */
  readonly aeIds: readonly string[]
  /** Other URIs, e.g. `urn:` Node-IDs or an `https://` MEF/MAF URI. */
  readonly uris: readonly string[]
  /** dNSName entries: CSE public domain names, MEF/MAF FQDNs. */
  readonly dnsNames: readonly string[]
  readonly hardwareModules: readonly { readonly hwType: string; readonly serialHex: string }[]
}

export function peerIdentifiers(sans: readonly SanEntry[]): PeerIdentifiers {
  const aeIds: string[] = []
  const uris: string[] = []
  const dnsNames: string[] = []
  const hardwareModules: { hwType: string; serialHex: string }[] = []
  for (const entry of sans) {
    if (entry.kind === 'uri') (entry.value.startsWith('//') ? aeIds : uris).push(entry.value)
    else if (entry.kind === 'dns') dnsNames.push(entry.value)
    else if (entry.kind === 'hardware-module') hardwareModules.push({ hwType: entry.hwType, serialHex: entry.serialHex })
  }
  return { aeIds, uris, dnsNames, hardwareModules }
}
