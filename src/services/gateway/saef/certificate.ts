/**
 * Certificate-Based SAEF (TS-0003 8.2.2.2; frameworks.md §3.5, §4.3 step 1, §6): the listener has
 * already verified the chain to the configured trust anchors (§3.5 step 3.2, D-33); this plug-in
 * reads who the certificate names, in this order:
 *   AE-ID certificate  SAN URI = Absolute AE-ID         → bound to that AE-ID,  `33-<AE-ID>`
 *   CSE-ID certificate SAN dNSName = CSE public domain   → bound to the CSE-ID,  `32-<CSE-ID>`
 *   Node-ID certificate SAN URI (not `//…`)              → Credential-ID only,   `34-<Node-ID>`
 *   device certificate  hardwareModuleName (RFC 4108)    → Credential-ID only,   `31-<OID>-<SERIAL>`
 * A CSE public domain name loses the case of the CSE-ID and may differ from it (TS-0001
 * 6.5.1.1), so it is mapped through the configured CSE-IDs: the default public domain name, else
 * the first DNS label compared case-insensitively (frameworks.md §4.3 [I]); no match refuses.
 * Raw public keys cannot be negotiated by Node (D-30). The context ends at the chain's earliest
 * notAfter, so a live association is cut when a certificate it rests on expires (D-190).
 */
import { X509Certificate } from 'node:crypto'
import { M2mSecError, credentialIdForCertificate, cseIdPublicDomainName, parseCseId } from '../../../core/index.js'
import { peerIdentifiers } from '../../../pki/index.js'
import { boundEntityOf } from '../entity-binding.js'
import { configInvalid } from '../errors.js'
import type { PeerCredential, Saef, SaefFactory, SaefOutcome } from './saef.js'

export interface CertificateSaefConfig {
  /** Absolute CSE-IDs of the CSEs that may connect with a CSE-ID certificate. */
  readonly cseIds?: readonly string[]
}

function tryId<T>(parse: () => T): T | undefined {
  try {
    return parse()
  } catch (error) {
    if (error instanceof M2mSecError && error.code === 'M2MSEC_ID_INVALID') return undefined
    throw error
  }
}

function readConfig(config: unknown): readonly string[] {
  const cseIds = (config as { cseIds?: unknown } | undefined)?.cseIds ?? []
  if (!Array.isArray(cseIds)) throw configInvalid('certificate.cseIds must be a list of absolute CSE-IDs')
  return cseIds.map((id: unknown) => {
    const parsed = typeof id === 'string' ? tryId(() => parseCseId(id)) : undefined
    if (parsed === undefined || parsed.form !== 'absolute') throw configInvalid('certificate.cseIds holds something that is not an absolute CSE-ID')
    return parsed.id
  })
}

/** The configured CSE-ID a dNSName names, if any. */
export function cseIdForDnsName(dnsName: string, cseIds: readonly string[]): string | undefined {
  const name = dnsName.toLowerCase()
  const byDefault = cseIds.find((id) => tryId(() => cseIdPublicDomainName(id)) === name)
  if (byDefault !== undefined) return byDefault
  const label = name.split('.')[0]
  return cseIds.find((id) => parseCseId(id).cseId.toLowerCase() === label)
}

/**
 * The earliest notAfter of the chain the peer sent: the association may not outlive any
 * certificate it was authenticated with (live-sessions.ts cuts it then). Undefined when no
 * certificate can be read (the listener has verified the chain already).
 */
export function chainNotAfter(chain: readonly Uint8Array[]): Date | undefined {
  let earliest: number | undefined
  for (const der of chain) {
    let validTo: number
    try {
      validTo = new Date(new X509Certificate(der).validTo).getTime()
    } catch {
      continue
    }
    if (Number.isFinite(validTo) && (earliest === undefined || validTo < earliest)) earliest = validTo
  }
  return earliest === undefined ? undefined : new Date(earliest)
}

function withNotAfter(outcome: SaefOutcome, chain: readonly Uint8Array[]): SaefOutcome {
  const expiresAt = outcome.ok ? chainNotAfter(chain) : undefined
  return outcome.ok && expiresAt !== undefined ? { ...outcome, context: { ...outcome.context, expiresAt } } : outcome
}

function fromSans(credential: Extract<PeerCredential, { kind: 'certificate' }>, cseIds: readonly string[]): SaefOutcome {
  const ids = peerIdentifiers(credential.sans)
  for (const uri of ids.aeIds) {
    const bound = boundEntityOf(uri)
    if (bound?.kind === 'ae') return { ok: true, context: { saef: 'certificate', credentialId: credentialIdForCertificate('ae-id', uri), boundTo: bound } }
  }
  for (const dns of ids.dnsNames) {
    const cseId = cseIdForDnsName(dns, cseIds)
    if (cseId !== undefined) return { ok: true, context: { saef: 'certificate', credentialId: credentialIdForCertificate('cse-id', cseId), boundTo: { kind: 'cse', ids: [cseId] } } }
  }
  for (const nodeId of ids.uris) {
    const credentialId = tryId(() => credentialIdForCertificate('node-id', nodeId))
    if (credentialId !== undefined) return { ok: true, context: { saef: 'certificate', credentialId } }
  }
  for (const hw of ids.hardwareModules) {
    // OQ-26: the hardware instance id as `<hwType OID>-<SERIAL HEX>`, as the MEF names it (D-88).
    const credentialId = tryId(() => credentialIdForCertificate('device', `${hw.hwType}-${hw.serialHex.toUpperCase()}`))
    if (credentialId !== undefined) return { ok: true, context: { saef: 'certificate', credentialId } }
  }
  return { ok: false, refusal: 'not-allowed', detail: { sanEntries: credential.sans.length } }
}

export const createCertificateSaef: SaefFactory = (_deps, rawConfig): Saef => {
  const cseIds = readConfig(rawConfig)
  return {
    name: 'certificate',
    accepts: (credential: PeerCredential) => credential.kind === 'certificate',
    resolve: async (credential) => (credential.kind === 'certificate' ? withNotAfter(fromSans(credential, cseIds), credential.chain) : { ok: false, refusal: 'not-allowed' }),
  }
}
