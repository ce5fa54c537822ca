/**
 * How the MEF recognises an Enrolee by its certificate (Certificate-Based RSPF, TS-0003 8.3.2.2,
 * frameworks.md §11; verification order §3.5) and which Credential-ID (frameworks.md §4.4,
 * OQ-20) that handshake produces. The expected-identity forms and the store keys are the
 * operator module's (operator/certificate-identity.ts): the resolver searches with the same
 * `certificateLookupKeys` the operator stored under, so both agree by construction.
 *
 *   AE-ID certificate    → `33-<absolute AE-ID>`
 *   CSE-ID certificate   → `32-<Enrolee-ID>` (the name carries only the public domain name, from
 *                          which no CSE-ID can be recovered: the configured Enrolee-ID is used)
 *   Node-ID certificate  → `34-<Node-ID>`
 *   device certificate   → `31-<hwType OID>-<SERIAL HEX>` (OQ-26: our value form)
 */
import { credentialIdForCertificate } from '../../core/index.js'
import { peerIdentifiers, type ExpectedPeerIdentity, type SanEntry } from '../../pki/index.js'
import type { EnroleeRecord } from '../../store/index.js'
import { certificateLookupKeys } from './operator/certificate-identity.js'
import { expectedIdentityOf } from './operator/enrolee-view.js'

/** Store keys (enrolees.credential_identity) a certificate with these SAN entries may be enrolled under, in search order. */
export function candidateIdentities(sans: readonly SanEntry[]): string[] {
  return [...new Set(certificateLookupKeys(peerIdentifiers(sans)))]
}

/** The Credential-ID for an expected identity, or undefined when it cannot be formed. */
export function certificateCredentialId(expected: ExpectedPeerIdentity, enroleeId: string | undefined): string | undefined {
  try {
    switch (expected.flavour) {
      case 'ae-id': return credentialIdForCertificate('ae-id', expected.absoluteAeId)
      case 'node-id': return credentialIdForCertificate('node-id', expected.nodeId)
      case 'device': return credentialIdForCertificate('device', `${expected.hwType}-${expected.serialHex}`)
      case 'cse-id': return enroleeId === undefined ? undefined : credentialIdForCertificate('cse-id', enroleeId)
      case 'fqdn': return undefined
    }
  } catch {
    return undefined
  }
}

/** The Credential-ID of a certificate enrolee's record, or undefined (no expected identity, CSE without Enrolee-ID). */
export function enroleeCertificateCredentialId(record: EnroleeRecord): string | undefined {
  let expected: ExpectedPeerIdentity | undefined
  try {
    expected = expectedIdentityOf(record)
  } catch {
    return undefined
  }
  return expected === undefined ? undefined : certificateCredentialId(expected, record.enroleeId)
}
