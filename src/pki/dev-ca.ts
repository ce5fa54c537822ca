/**
 * The development CA of `m2msec up` (issue 8): a P-256 root that signs the FQDN certificates of
 * the roles running in one process (MEF, MAF, gateway, …), in the TS-0003 10.1.1 profile that
 * the services and their peers verify: ECDSA-P256 keys, ecdsa-with-SHA256 signatures, keyUsage
 * digitalSignature, the FQDN as SAN dNSName (mef-maf-interface.md §2.3: the MEF/MAF FQDN is what
 * a peer checks). Every role certificate carries serverAuth and clientAuth: the MAF presents the
 * same certificate as server and as Enrolment Target client towards the MEF (8.3.2.1 step c).
 *
 * Name constraints (RFC 5280 §4.2.1.10) are optional: with `permittedDnsDomains` the CA can only
 * vouch for names under those domains, so a development CA that ends up in a trust store cannot
 * impersonate anything real. This module makes and checks certificates; keeping them on disk is
 * dev-pki.ts.
 */
import 'reflect-metadata'
import { createHash, createPrivateKey, randomBytes, webcrypto, X509Certificate } from 'node:crypto'
import * as asn1js from 'asn1js'
import * as x509 from '@peculiar/x509'
import { toHex } from '../core/index.js'
import { PkiError } from './errors.js'

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const OID_NAME_CONSTRAINTS = '2.5.29.30'
const EKU_SERVER_AUTH = '1.3.6.1.5.5.7.3.1'
const EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2'
const DAY_MS = 86_400_000
/** Tolerates a peer clock a little behind ours. */
const BACKDATE_MS = 3_600_000

/** A certificate and its private key, both PEM (the form Node's TLS takes). */
export interface PemCredential {
  readonly certPem: string
  readonly keyPem: string
}

export interface DevCaOptions {
  readonly commonName: string
  /** DNS subtrees the CA may vouch for (name constraints); none: unconstrained. */
  readonly permittedDnsDomains?: readonly string[]
  readonly validityDays?: number
  readonly now?: Date
}

/** What a role certificate is for: server and client (every role today), or one of them. */
export type DevCertificateUsage = 'server-client' | 'server' | 'client'

export interface DevCertificateOptions {
  readonly fqdn: string
  /** URI SANs besides the FQDN, e.g. an absolute CSE-ID (frameworks.md §3.1). */
  readonly uris?: readonly string[]
  readonly usage?: DevCertificateUsage
  readonly validityDays?: number
  readonly now?: Date
}

/** Node's WebCrypto, as the provider type @peculiar/x509 declares (the DOM `Crypto`, absent from our lib). */
type X509Crypto = NonNullable<Parameters<typeof x509.X509CertificateGenerator.create>[1]>
const provider = webcrypto as unknown as X509Crypto
type CryptoKey = webcrypto.CryptoKey
/** A Node CryptoKey where @peculiar/x509 expects its DOM-typed one: the same object at run time. */
const asX509Key = (key: CryptoKey): never => key as never

function toPem(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`
}

/** 128 random bits, positive and without a leading zero octet (RFC 5280 §4.1.2.2: at most 20 octets). */
function randomSerial(): string {
  const bytes = randomBytes(16)
  bytes[0] = (bytes[0]! & 0x7f) | 0x40
  return bytes.toString('hex')
}

/** NameConstraints with permitted dNSName subtrees only; built by hand because @peculiar/x509 has no class for it. */
function nameConstraintsExtension(domains: readonly string[]): x509.Extension {
  const subtrees = domains.map((domain) => new asn1js.Sequence({
    value: [new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 }, valueHex: Buffer.from(domain, 'latin1') })],
  }))
  const permitted = new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: subtrees })
  // RFC 5280 §4.2.1.10: conforming CAs MUST mark this extension critical.
  return new x509.Extension(OID_NAME_CONSTRAINTS, true, new asn1js.Sequence({ value: [permitted] }).toBER())
}

function validity(now: Date, days: number): { notBefore: Date; notAfter: Date } {
  if (!(days > 0)) throw new RangeError('validityDays must be positive')
  return { notBefore: new Date(now.getTime() - BACKDATE_MS), notAfter: new Date(now.getTime() + days * DAY_MS) }
}

async function exportKey(key: CryptoKey): Promise<string> {
  return toPem(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY')
}

function malformed(what: string, cause?: unknown): PkiError {
  return new PkiError('M2MSEC_PKI_CERT_MALFORMED', 'bad-input', what, cause === undefined ? undefined : { cause })
}

async function importSigningKey(keyPem: string): Promise<CryptoKey> {
  let der: Buffer
  try {
    der = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' })
  } catch (cause) {
    throw malformed('the development CA key is not a PEM private key', cause)
  }
  try {
    return await webcrypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign'])
  } finally {
    der.fill(0)
  }
}

/** A fresh self-signed development CA (10 years unless told otherwise). */
export async function createDevCa(options: DevCaOptions): Promise<PemCredential> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])
  const domains = options.permittedDnsDomains ?? []
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [options.commonName] }],
    ...validity(options.now ?? new Date(), options.validityDays ?? 3650),
    keys: { publicKey: asX509Key(keys.publicKey), privateKey: asX509Key(keys.privateKey) },
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(asX509Key(keys.publicKey), false, provider),
      ...(domains.length === 0 ? [] : [nameConstraintsExtension(domains)]),
    ],
  }, provider)
  return { certPem: cert.toString('pem') + '\n', keyPem: await exportKey(keys.privateKey) }
}

function ekuOf(usage: DevCertificateUsage): string[] {
  if (usage === 'server') return [EKU_SERVER_AUTH]
  if (usage === 'client') return [EKU_CLIENT_AUTH]
  return [EKU_SERVER_AUTH, EKU_CLIENT_AUTH]
}

/**
 * A fresh key pair and an FQDN certificate for it, signed by `ca` (1 year unless told otherwise).
 * @throws PkiError M2MSEC_PKI_CERT_MALFORMED when the CA certificate or key cannot be read.
 */
export async function issueDevCertificate(ca: PemCredential, options: DevCertificateOptions): Promise<PemCredential> {
  let caCert: x509.X509Certificate
  try {
    caCert = new x509.X509Certificate(ca.certPem)
  } catch (cause) {
    throw malformed('the development CA certificate is not a PEM certificate', cause)
  }
  const signingKey = await importSigningKey(ca.keyPem)
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: [{ CN: [options.fqdn] }],
    issuer: caCert.subject,
    ...validity(options.now ?? new Date(), options.validityDays ?? 365),
    publicKey: asX509Key(keys.publicKey),
    signingKey: asX509Key(signingKey),
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(ekuOf(options.usage ?? 'server-client')),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: options.fqdn }, ...(options.uris ?? []).map((value) => ({ type: 'url' as const, value }))]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey, false, provider),
      await x509.SubjectKeyIdentifierExtension.create(asX509Key(keys.publicKey), false, provider),
    ],
  }, provider)
  return { certPem: cert.toString('pem') + '\n', keyPem: await exportKey(keys.privateKey) }
}

/** Upper-case hex SHA-256 of the DER certificate (what `openssl x509 -fingerprint -sha256` prints, without colons). */
export function certificateFingerprint(certPem: string): string {
  try {
    return toHex(createHash('sha256').update(new X509Certificate(certPem).raw).digest())
  } catch (cause) {
    throw malformed('not a PEM certificate', cause)
  }
}

/** Why a stored credential cannot be reused as it is. */
export type DevCredentialProblem =
  | 'unreadable' | 'key-mismatch' | 'not-a-ca' | 'not-issued-by-ca' | 'wrong-name' | 'expiring'

/** Checks a stored CA: readable, a CA, its key, valid beyond `renewBefore` from `now`. */
export function checkDevCa(ca: PemCredential, now: Date, renewBeforeMs: number): DevCredentialProblem | undefined {
  let cert: X509Certificate
  try {
    cert = new X509Certificate(ca.certPem)
    if (!cert.checkPrivateKey(createPrivateKey(ca.keyPem))) return 'key-mismatch'
  } catch {
    return 'unreadable'
  }
  if (!cert.ca || !cert.verify(cert.publicKey)) return 'not-a-ca'
  return Date.parse(cert.validTo) - now.getTime() < renewBeforeMs ? 'expiring' : undefined
}

/** Checks a stored role credential against its CA and FQDN; undefined when it can be reused. */
export function checkDevCertificate(
  leaf: PemCredential, caCertPem: string, fqdn: string, now: Date, renewBeforeMs: number, uris: readonly string[] = [],
): DevCredentialProblem | undefined {
  let cert: X509Certificate
  let caCert: X509Certificate
  try {
    cert = new X509Certificate(leaf.certPem)
    caCert = new X509Certificate(caCertPem)
    if (!cert.checkPrivateKey(createPrivateKey(leaf.keyPem))) return 'key-mismatch'
  } catch {
    return 'unreadable'
  }
  if (!cert.checkIssued(caCert) || !cert.verify(caCert.publicKey)) return 'not-issued-by-ca'
  // subject: 'never': only the SAN dNSName counts, as for every peer that verifies it.
  if (cert.checkHost(fqdn, { subject: 'never', wildcards: false }) === undefined) return 'wrong-name'
  const sans = (cert.subjectAltName ?? '').split(', ')
  if (!uris.every((uri) => sans.includes(`URI:${uri}`))) return 'wrong-name'
  return Date.parse(cert.validTo) - now.getTime() < renewBeforeMs ? 'expiring' : undefined
}
