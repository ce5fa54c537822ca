/**
 * Splitting an RFC 5705 keying-material export into a key and its identifier (TS-0003 §10.3.1).
 *
 * The spec says the key is "the 32 least significant bytes" and the identifier "the 16 most
 * significant bytes" of the 48-byte export. The export is a byte string, so we read it
 * big-endian: bytes 0..15 are the identifier, bytes 16..47 the key (OQ-1, docs/decisions.md).
 * OpenSSL prints the export in the same order.
 */
import { assertLength } from '../bytes.js'
import { SecretBytes } from '../secret.js'

export const EXPORTER_LABEL_BOOTSTRAP = 'EXPORTER-oneM2M-Bootstrap'
export const EXPORTER_LABEL_CONNECTION = 'EXPORTER-oneM2M-Connection'
export const EXPORTER_LABEL_ESCERTKE = 'EXPORTER-oneM2M-ESCertKE'
/** Project label (OQ-23): seed 004's RootCredentialWrapKey, 32 bytes, the whole export is the KEK. */
export const EXPORTER_LABEL_ROOT_CREDENTIAL_WRAP = 'EXPORTER-oneM2M-RootCredentialWrap'

/** Length of every oneM2M key export (TS-0003 §10.3.1). No context value is ever passed. */
export const EXPORTER_LENGTH = 48
export const ROOT_CREDENTIAL_WRAP_EXPORT_LENGTH = 32

const ID_LENGTH = 16

export interface ExportedKey {
  /** The 16-byte identifier (RelativeKeID, KcID or pairwiseE2EKeyID). Not secret. */
  readonly keyId: Uint8Array
  /** The 32-byte key (Ke, Kc or pairwiseE2EKey). */
  readonly key: SecretBytes
}

/**
 * Splits a 48-byte export: bytes 0..15 → identifier, 16..47 → key. Copies, so wiping the
 * returned key does not touch the caller's buffer and vice versa.
 * @throws M2MSEC_INPUT_INVALID when the export is not 48 bytes.
 */
export function splitExport(material: Uint8Array): ExportedKey {
  assertLength(material, EXPORTER_LENGTH, 'keying-material export')
  return {
    keyId: material.slice(0, ID_LENGTH),
    key: new SecretBytes(material.slice(ID_LENGTH)),
  }
}

export interface EnrolmentKey {
  readonly relativeKeId: Uint8Array
  readonly ke: SecretBytes
}

/** Ke and RelativeKeID from an `EXPORTER-oneM2M-Bootstrap` export (PPSK and certificate RSPF). */
export function enrolmentKeyFromExport(material: Uint8Array): EnrolmentKey {
  const { keyId, key } = splitExport(material)
  return { relativeKeId: keyId, ke: key }
}

export interface ConnectionKey {
  readonly kcId: Uint8Array
  readonly kc: SecretBytes
}

/** Kc and KcID from an `EXPORTER-oneM2M-Connection` export (MAF and MEF Key Registration, OQ-11). */
export function connectionKeyFromExport(material: Uint8Array): ConnectionKey {
  const { keyId, key } = splitExport(material)
  return { kcId: keyId, kc: key }
}

export interface PairwiseE2EKey {
  readonly pairwiseE2EKeyId: Uint8Array
  readonly pairwiseE2EKey: SecretBytes
}

/** pairwiseE2EKey and its ID from an `EXPORTER-oneM2M-ESCertKE` export. */
export function pairwiseE2EKeyFromExport(material: Uint8Array): PairwiseE2EKey {
  const { keyId, key } = splitExport(material)
  return { pairwiseE2EKeyId: keyId, pairwiseE2EKey: key }
}

/**
 * The AES-256 key-wrapping key of seed 004's PKI-based bootstrap: the whole 32-byte export
 * under EXPORTER_LABEL_ROOT_CREDENTIAL_WRAP (OQ-23; Ke is never reused as a wrapping key).
 * @throws M2MSEC_INPUT_INVALID when the export is not 32 bytes.
 */
export function rootCredentialWrapKeyFromExport(material: Uint8Array): SecretBytes {
  assertLength(material, ROOT_CREDENTIAL_WRAP_EXPORT_LENGTH, 'root-credential-wrap export')
  return new SecretBytes(material.slice())
}
