/**
 * Reads the subjectAltName of a certificate (RFC 5280 §4.2.1.6) as raw strings with their
 * kind, the way TS-0003 10.1.1 profiles carry identities: AE-ID as a scheme-less URI
 * (`//fqdn/…`, which RFC 5280 would not allow but we must accept, frameworks.md §3.5), CSE
 * public domain names and MEF/MAF FQDNs as dNSName, Node-IDs as URIs (often `urn:`), device
 * hardware identifiers as otherName (RFC 4108 hardwareModuleName or another type-id, OQ-26).
 * Mapping strings to typed identifiers is left to the caller (core/ids).
 */
import { createHash } from 'node:crypto'
import * as asn1js from 'asn1js'
import { Certificate } from 'pkijs'
import { toHex } from '../core/index.js'
import { PkiError } from './errors.js'

/** id-on-hardwareModuleName (RFC 4108 §5). */
export const OID_HARDWARE_MODULE_NAME = '1.3.6.1.5.5.7.8.4'
const OID_SUBJECT_ALT_NAME = '2.5.29.17'

export type SanEntry =
  | { readonly kind: 'dns'; readonly value: string }
  | { readonly kind: 'uri'; readonly value: string }
  | { readonly kind: 'email'; readonly value: string }
  | { readonly kind: 'ip'; readonly value: string }
  /** RFC 4108: hwType OID and hwSerialNum (upper-case hex). */
  | { readonly kind: 'hardware-module'; readonly hwType: string; readonly serialHex: string }
  /** Any other otherName: type-id OID and the DER of its value (upper-case hex), compared exactly (OQ-26). */
  | { readonly kind: 'other-name'; readonly typeId: string; readonly valueHex: string }
  | { readonly kind: 'directory' | 'registered-id' | 'unsupported'; readonly value: string }

function malformed(what: string, cause?: unknown): PkiError {
  return new PkiError('M2MSEC_PKI_CERT_MALFORMED', 'bad-input', what, cause === undefined ? undefined : { cause })
}

function ia5(node: asn1js.AsnType): string {
  const view = (node as asn1js.Primitive).valueBlock.valueHexView
  return Buffer.from(view).toString('latin1')
}

function ipText(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.')
  if (bytes.length === 16) return (Buffer.from(bytes).toString('hex').match(/.{4}/g) ?? []).join(':')
  return toHex(bytes)
}

function otherName(node: asn1js.Constructed): SanEntry {
  const [typeNode, wrapped] = node.valueBlock.value
  if (!(typeNode instanceof asn1js.ObjectIdentifier) || !(wrapped instanceof asn1js.Constructed)) {
    throw malformed('otherName is not (type-id, [0] value)')
  }
  const typeId = typeNode.valueBlock.toString()
  const inner = wrapped.valueBlock.value[0]
  if (inner === undefined) throw malformed('otherName has no value')
  if (typeId === OID_HARDWARE_MODULE_NAME) {
    const parts = inner instanceof asn1js.Sequence ? inner.valueBlock.value : []
    const [hwType, serial] = parts
    if (!(hwType instanceof asn1js.ObjectIdentifier) || !(serial instanceof asn1js.OctetString)) {
      throw malformed('hardwareModuleName is not (hwType, hwSerialNum)')
    }
    return { kind: 'hardware-module', hwType: hwType.valueBlock.toString(), serialHex: toHex(serial.valueBlock.valueHexView) }
  }
  return { kind: 'other-name', typeId, valueHex: toHex(new Uint8Array(inner.toBER())) }
}

function generalName(node: asn1js.AsnType): SanEntry {
  const tag = node.idBlock
  if (tag.tagClass !== 3) return { kind: 'unsupported', value: `universal tag ${tag.tagNumber}` }
  switch (tag.tagNumber) {
    case 0:
      return otherName(node as asn1js.Constructed)
    case 1:
      return { kind: 'email', value: ia5(node) }
    case 2:
      return { kind: 'dns', value: ia5(node) }
    case 6:
      return { kind: 'uri', value: ia5(node) }
    case 7:
      return { kind: 'ip', value: ipText((node as asn1js.Primitive).valueBlock.valueHexView) }
    case 4:
      return { kind: 'directory', value: toHex(new Uint8Array(node.toBER())) }
    case 8:
      return { kind: 'registered-id', value: toHex((node as asn1js.Primitive).valueBlock.valueHexView) }
    default:
      return { kind: 'unsupported', value: `context tag ${tag.tagNumber}` }
  }
}

/**
 * Parsed SANs by SHA-256 of the certificate DER. A TLS listener reads the same few client
 * certificates on every handshake, and the pkijs/asn1js parse costs far more than the
 * handshake's own JavaScript; the result is a pure function of the DER, so a digest key is
 * exact. Bounded, least recently used out first; failures are never cached.
 */
const SAN_CACHE_ENTRIES = 1024
const sanCache = new Map<string, readonly SanEntry[]>()

/**
 * Every subjectAltName entry of a DER certificate, in certificate order (empty when absent).
 * Each call returns a new array (of frozen entries), so a caller cannot alter what the next one sees.
 * @throws M2MSEC_PKI_CERT_MALFORMED when the certificate or its extension does not parse.
 */
export function subjectAltNames(der: Uint8Array): SanEntry[] {
  const key = createHash('sha256').update(der).digest('base64')
  let entries = sanCache.get(key)
  if (entries === undefined) {
    entries = Object.freeze(parseSubjectAltNames(der).map((entry) => Object.freeze(entry)))
    if (sanCache.size >= SAN_CACHE_ENTRIES) sanCache.delete(sanCache.keys().next().value!)
  } else {
    sanCache.delete(key) // re-inserted below: Map order is the recency order
  }
  sanCache.set(key, entries)
  return [...entries]
}

function parseSubjectAltNames(der: Uint8Array): SanEntry[] {
  let certificate: Certificate
  try {
    certificate = Certificate.fromBER(der)
  } catch (error) {
    throw malformed(`certificate does not parse (${der.length} bytes)`, error)
  }
  const extension = certificate.extensions?.find((e) => e.extnID === OID_SUBJECT_ALT_NAME)
  if (extension === undefined) return []
  const parsed = asn1js.fromBER(extension.extnValue.valueBlock.valueHexView)
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) {
    throw malformed('subjectAltName is not a SEQUENCE of GeneralName')
  }
  return parsed.result.valueBlock.value.map(generalName)
}
