/**
 * Certificate information of an enrolee for the Certificate-Based RSPF (frameworks.md §11; §3.4:
 * a MEF verifying an Enrolee needs the trust anchor and the identifier expected in the SAN):
 * the trust anchor PEM and the expected identity, one of the flavours of §3.1.
 *
 * Text form (CLI option, CSV column, JSON field) — `<flavour>:<value>`:
 *   `ae-id://sp.example.com/Cae01`             absolute AE-ID, matched byte-exactly to a URI SAN;
 *   `cse-id://sp.example.com/CSE-B01`          absolute CSE-ID, matched to its default public domain
 *                                              name (TS-0001 §6.5.1.1, OQ-4) as dNSName;
 *   `cse-id:cse-b01.sp.example.com`            the CSE's public domain name given directly;
 *   `node-id:urn:dev:ops:acme-sensor-0042`     M2M-Node-ID, matched exactly to a URI SAN;
 *   `device:1.3.6.1.4.1.99999.1:0A1B2C`        RFC 4108 hardwareModuleName: hwType OID and serial hex.
 *
 * The store keys a certificate enrolee by one string (enrolees.credential_identity): the SAN
 * value the certificate must carry (AE-ID, lower-case public domain name, Node-ID) or
 * `hwmn:<oid>:<SERIALHEX>` for a device. `certificateLookupKeys` lists the keys a presented
 * certificate can match, so the MEF's resolver and this module agree by construction.
 */
import { X509Certificate } from 'node:crypto'
import { credentialIdForCertificate, cseIdPublicDomainName, parseAeId, parseCseId, parseFqdn } from '../../../core/index.js'
import type { ExpectedPeerIdentity, PeerIdentifiers } from '../../../pki/index.js'
import { causeText, invalidField, OperatorError } from './errors.js'

export interface ParsedExpectedIdentity {
  readonly expected: ExpectedPeerIdentity
  /** Canonical text form (module comment); stored and shown. */
  readonly text: string
  /** The store's lookup key (enrolees.credential_identity). */
  readonly key: string
  /** The absolute AE-ID / CSE-ID the certificate names, used as the default Enrolee-ID. */
  readonly entityId?: string
}

const OID_RE = /^[0-2](?:\.(?:0|[1-9][0-9]*))+$/
const SERIAL_RE = /^(?:[0-9A-Fa-f]{2})+$/
const FLAVOURS = ['ae-id', 'cse-id', 'node-id', 'device'] as const

function parseValue(flavour: (typeof FLAVOURS)[number], value: string, field: string): ParsedExpectedIdentity {
  switch (flavour) {
    case 'ae-id': {
      const ae = parseAeId(value)
      if (ae.form !== 'absolute') throw invalidField(field, 'an AE-ID certificate carries the absolute AE-ID (//fqdn/…)')
      return { expected: { flavour, absoluteAeId: ae.id }, text: `ae-id:${ae.id}`, key: ae.id, entityId: ae.id }
    }
    case 'cse-id': {
      if (value.startsWith('/')) {
        const cse = parseCseId(value)
        if (cse.form !== 'absolute') throw invalidField(field, 'give the absolute CSE-ID (//fqdn/CSE) or its public domain name')
        const name = cseIdPublicDomainName(cse.id)
        return { expected: { flavour, publicDomainName: name }, text: `cse-id:${cse.id}`, key: name, entityId: cse.id }
      }
      const name = parseFqdn(value)
      return { expected: { flavour, publicDomainName: name }, text: `cse-id:${name}`, key: name }
    }
    case 'node-id': {
      credentialIdForCertificate('node-id', value)
      return { expected: { flavour, nodeId: value }, text: `node-id:${value}`, key: value }
    }
    case 'device': {
      const colon = value.lastIndexOf(':')
      const hwType = value.slice(0, colon)
      const serialHex = value.slice(colon + 1).toUpperCase()
      if (colon < 0 || !OID_RE.test(hwType) || !SERIAL_RE.test(serialHex)) {
        throw invalidField(field, 'a device identity is device:<hwType OID>:<serial hex>')
      }
      return { expected: { flavour, hwType, serialHex }, text: `device:${hwType}:${serialHex}`, key: `hwmn:${hwType}:${serialHex}` }
    }
  }
}

/**
 * Parses `<flavour>:<value>` (module comment).
 * @throws OperatorError M2MSEC_ENROLEE_INVALID naming `field`.
 */
export function parseExpectedIdentity(text: string, field = 'expectedIdentity'): ParsedExpectedIdentity {
  const colon = text.indexOf(':')
  const flavour = FLAVOURS.find((f) => f === text.slice(0, colon))
  if (colon < 0 || flavour === undefined) throw invalidField(field, `must start with one of ${FLAVOURS.map((f) => `${f}:`).join(', ')}`)
  try {
    return parseValue(flavour, text.slice(colon + 1), field)
  } catch (error) {
    if (error instanceof OperatorError) throw error
    throw invalidField(field, causeText(error), error)
  }
}

/**
 * Store keys a certificate with these SAN identifiers can be enrolled under, in the order the
 * MEF should try them (AE-ID, CSE public domain name, Node-ID, device).
 */
export function certificateLookupKeys(ids: PeerIdentifiers): readonly string[] {
  return [
    ...ids.aeIds,
    ...ids.dnsNames.map((name) => name.toLowerCase()),
    ...ids.uris,
    ...ids.hardwareModules.map((hw) => `hwmn:${hw.hwType}:${hw.serialHex.toUpperCase()}`),
  ]
}

export interface TrustAnchorSummary {
  /** Normalised PEM: each certificate re-encoded from its DER, joined by newlines. */
  readonly pem: string
  readonly certificates: readonly { readonly subject: string; readonly fingerprint256: string; readonly notAfter: string }[]
}

const PEM_BLOCK_RE = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g
export const TRUST_ANCHOR_MAX_CHARS = 65_536
const TRUST_ANCHOR_MAX_CERTS = 8

/**
 * Checks a trust anchor PEM (one or more CA certificates, §3.4) and normalises it.
 * @throws OperatorError M2MSEC_ENROLEE_INVALID (field `trustAnchorPem`): no certificate, not
 *   DER X.509, not a CA certificate, or expired at `now`.
 */
export function parseTrustAnchorPem(pem: string, now: Date, field = 'trustAnchorPem'): TrustAnchorSummary {
  if (pem.length > TRUST_ANCHOR_MAX_CHARS) throw invalidField(field, `is longer than ${TRUST_ANCHOR_MAX_CHARS} characters`)
  const blocks = [...pem.matchAll(PEM_BLOCK_RE)].map((m) => (m[1] ?? '').replace(/\s+/g, ''))
  if (blocks.length === 0) throw invalidField(field, 'holds no PEM CERTIFICATE block')
  if (blocks.length > TRUST_ANCHOR_MAX_CERTS) throw invalidField(field, `holds more than ${TRUST_ANCHOR_MAX_CERTS} certificates`)
  const certificates = blocks.map((b64, i) => {
    let cert: X509Certificate
    try {
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new Error('not base64')
      cert = new X509Certificate(Buffer.from(b64, 'base64'))
    } catch (error) {
      throw invalidField(field, `certificate ${i + 1} is not a DER X.509 certificate`, error)
    }
    if (!cert.ca) throw invalidField(field, `certificate ${i + 1} (${cert.subject.replace(/\n/g, ', ')}) is not a CA certificate`)
    if (new Date(cert.validTo).getTime() <= now.getTime()) throw invalidField(field, `certificate ${i + 1} expired on ${new Date(cert.validTo).toISOString()}`)
    return cert
  })
  return {
    pem: certificates.map((c) => c.toString().trim()).join('\n') + '\n',
    certificates: certificates.map((c) => ({
      subject: c.subject.replace(/\n/g, ', '),
      fingerprint256: c.fingerprint256,
      notAfter: new Date(c.validTo).toISOString(),
    })),
  }
}
