/**
 * Credential-ID (TS-0003 §10.4, type table §12.3.2.1; frameworks.md §4.4): `typeID "-" value`.
 * The Registrar binds a security association to it and matches it, case-sensitively, against
 * `applicableCredIDs`; so every Credential-ID leaving this module is in normal form (OQ-2).
 *
 * Value grammar per type (our reading, see the report / docs/decisions.md):
 *   - 10 KpmID: `REL "@" FQDN` (normalised) or a bare REL (KpmIDs have no spec format);
 *   - 11 KmID, 12 KpsaID / Key Identifier: `REL "@" FQDN`, normalised (OQ-2); a B-TID arrives
 *     already rewritten to base64url (OQ-34), which is REL-compatible;
 *   - 30/41/51 raw public key: base64url (no padding) of the full SHA-256 of the SPKI (OQ-25);
 *   - 32/43/53 CSE-ID, 33/44/54 AE-ID: an SP-relative or absolute M2M ID. These contain "/",
 *     outside the §10.4 character list, but §12.2 types the value as xs:anyURI and the ids come
 *     straight from the certificate, so the ID grammar replaces the character list;
 *   - 34/45/55 Node-ID: the §10.4 characters plus ":" (URN-form M2M-Node-IDs, xs:anyURI);
 *   - 60 (project-private, OQ-24): ID_2 without its expiry, `FQDN "@" HEX`, normalised;
 *   - every other type: the §10.4 characters, kept as given.
 */
import { bTidCredentialValue, parseBTid } from './b-tid.js'
import { invalidId } from './id-error.js'
import { parseIbcId } from './ibc-id.js'
import type { KeId } from './ke-id.js'
import type { KeyIdentifier } from './key-identifier.js'
import type { KmId } from './km-id.js'
import type { KpsaId } from './kpsa-id.js'
import { parseAeId, parseCseId } from './m2m-id.js'
import { spkiSha256 } from './ni-name.js'
import { parseScopedId, REL_RE } from './scoped-id.js'
import { fqdnProblem } from './fqdn.js'
import { toBase64Url } from '../bytes.js'

export type CredentialId = string & { readonly __brand: 'CredentialId' }

/** sec:credIDTypeID (TS-0003 Table 12.3.2.1-1) plus the project-private IBC type 60. */
export const CRED_ID_TYPE = {
  KPM: 10,
  KM: 11,
  SAEF_SYMMETRIC: 12,
  ESPRIM_SYMMETRIC: 13,
  ESDATA_DIRECT_ENCRYPTION_SYMMETRIC: 14,
  ESDATA_KEY_WRAP_SYMMETRIC: 15,
  ESDATA_HMAC_SYMMETRIC: 16,
  TLS_RAW_PUBLIC_KEY: 30,
  TLS_DEVICE_CERTIFICATE: 31,
  TLS_CSE_ID_CERTIFICATE: 32,
  TLS_AE_ID_CERTIFICATE: 33,
  TLS_NODE_ID_CERTIFICATE: 34,
  ESDATA_KEY_MANAGEMENT_RAW_PUBLIC_KEY: 41,
  ESDATA_KEY_MANAGEMENT_DEVICE_CERTIFICATE: 42,
  ESDATA_KEY_MANAGEMENT_CSE_ID_CERTIFICATE: 43,
  ESDATA_KEY_MANAGEMENT_AE_ID_CERTIFICATE: 44,
  ESDATA_KEY_MANAGEMENT_NODE_ID_CERTIFICATE: 45,
  ESDATA_SIGNATURE_RAW_PUBLIC_KEY: 51,
  ESDATA_SIGNATURE_DEVICE_CERTIFICATE: 52,
  ESDATA_SIGNATURE_CSE_ID_CERTIFICATE: 53,
  ESDATA_SIGNATURE_AE_ID_CERTIFICATE: 54,
  ESDATA_SIGNATURE_NODE_ID_CERTIFICATE: 55,
  IBC_PRIVATE: 60,
} as const

export type CredIdTypeName = keyof typeof CRED_ID_TYPE
export type CredIdTypeId = (typeof CRED_ID_TYPE)[CredIdTypeName]

/** Certificate flavours of TS-0003 §8.1.2.1 that have a TLS Credential-ID type (31–34). */
export type CertificateFlavour = 'device' | 'cse-id' | 'ae-id' | 'node-id'

export interface ParsedCredentialId {
  readonly id: CredentialId
  readonly typeId: CredIdTypeId
  readonly value: string
}

const TYPE_NAMES = new Map<number, CredIdTypeName>(
  (Object.entries(CRED_ID_TYPE) as [CredIdTypeName, CredIdTypeId][]).map(([name, id]) => [id, name]),
)
const VALUE_RE = /^[A-Za-z0-9._@-]+$/
const NODE_ID_VALUE_RE = /^[A-Za-z0-9._@:-]+$/
const SHA256_B64URL_RE = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/
const TYPE_PREFIX_RE = /^([1-9][0-9]{0,8})-/

/** The constant name of a type ID (`12` → `SAEF_SYMMETRIC`), or undefined for an unknown one. */
export function credIdTypeName(typeId: number): CredIdTypeName | undefined {
  return TYPE_NAMES.get(typeId)
}

/** True when `text` starts like a Credential-ID (`^[0-9]+-`): how OQ-20 readers tell a Client ID's two forms apart. */
export function hasCredentialIdForm(text: string): boolean {
  return TYPE_PREFIX_RE.test(text)
}

function normaliseScoped(value: string, typeId: number, allowBare: boolean, whole: string): string {
  if (allowBare && !value.includes('@')) {
    if (!REL_RE.test(value)) throw invalidId('Credential-ID', `type ${typeId} value has characters other than letters, digits, ".", "_" and "-"`, whole)
    return value
  }
  return parseScopedId(value, `Credential-ID type ${typeId} value`, ['hex', 'rel']).text
}

function normaliseIbcValue(value: string, whole: string): string {
  const at = value.indexOf('@')
  const fqdn = value.slice(0, at)
  const hex = value.slice(at + 1)
  if (at < 0 || fqdnProblem(fqdn) !== undefined || !/^(?:[0-9A-Fa-f]{2})+$/.test(hex)) {
    throw invalidId('Credential-ID', 'type 60 value is not "FQDN@HEX"', whole)
  }
  return `${fqdn.toLowerCase()}@${hex.toUpperCase()}`
}

function isM2mId(value: string, parse: (text: string) => { form: string }): boolean {
  try {
    return parse(value).form !== 'cse-relative'
  } catch {
    return false
  }
}

/** Checks `value` against the grammar of `typeId` and returns its normal form. */
function normaliseValue(typeId: CredIdTypeId, value: string, whole: string): string {
  if (value.length === 0) throw invalidId('Credential-ID', 'has an empty value', whole)
  switch (typeId) {
    case 10: return normaliseScoped(value, typeId, true, whole)
    case 11: case 12: return normaliseScoped(value, typeId, false, whole)
    case 30: case 41: case 51:
      if (!SHA256_B64URL_RE.test(value)) throw invalidId('Credential-ID', `type ${typeId} value is not the base64url of a SHA-256 digest`, whole)
      return value
    case 32: case 43: case 53:
      if (!isM2mId(value, parseCseId)) throw invalidId('Credential-ID', `type ${typeId} value is not an SP-relative or absolute CSE-ID`, whole)
      return value
    case 33: case 44: case 54:
      if (!isM2mId(value, parseAeId)) throw invalidId('Credential-ID', `type ${typeId} value is not an SP-relative or absolute AE-ID`, whole)
      return value
    case 34: case 45: case 55:
      if (!NODE_ID_VALUE_RE.test(value)) throw invalidId('Credential-ID', `type ${typeId} value has characters outside the Node-ID set`, whole)
      return value
    case 60: return normaliseIbcValue(value, whole)
    default:
      if (!VALUE_RE.test(value)) throw invalidId('Credential-ID', 'value has characters other than letters, digits, ".", "_", "-" and "@"', whole)
      return value
  }
}

/**
 * Parses a Credential-ID and returns it in normal form (OQ-2 for types 10–12 and 60).
 * @throws M2MSEC_ID_INVALID for a missing dash, a non-numeric or unknown type, or a bad value.
 */
export function parseCredentialId(text: string): ParsedCredentialId {
  if (text.length === 0) throw invalidId('Credential-ID', 'is empty', text)
  const m = TYPE_PREFIX_RE.exec(text)
  if (m === null) throw invalidId('Credential-ID', 'does not start with a decimal type ID and "-"', text)
  const typeId = Number(m[1]) as CredIdTypeId
  if (credIdTypeName(typeId) === undefined) throw invalidId('Credential-ID', `has unknown type ID ${typeId}`, text)
  const value = normaliseValue(typeId, text.slice(m[0].length), text)
  return { id: `${typeId}-${value}` as CredentialId, typeId, value }
}

/**
 * Forms `typeId-value` after checking and normalising the value for that type.
 * @throws M2MSEC_ID_INVALID for an unknown type or a bad value.
 */
export function formatCredentialId(typeId: CredIdTypeId, value: string): CredentialId {
  return parseCredentialId(`${typeId}-${value}`).id
}

/** `value` for a scoped key id, with a B-TID rewritten to base64url (OQ-34). */
function scopedValue(id: string): string {
  const at = id.indexOf('@')
  return at > 0 && id[at - 1] === '=' ? bTidCredentialValue(parseBTid(id)) : id
}

/**
 * `10-<KpmID>` (frameworks.md OQ-20: how a MEF names a client it knows only by its Kpm).
 * @throws M2MSEC_ID_INVALID when the KpmID does not fit the type-10 grammar.
 */
export function credentialIdForKpmId(kpmId: string): CredentialId {
  return formatCredentialId(CRED_ID_TYPE.KPM, kpmId)
}

/** `11-<KmID>` (MAF SAEF, OQ-33); a B-TID KmID is rewritten to base64url (OQ-34). */
export function credentialIdForKmId(kmId: KmId): CredentialId {
  return formatCredentialId(CRED_ID_TYPE.KM, scopedValue(kmId))
}

/**
 * `12-<KpsaID>` (PSK SAEF, frameworks.md §4.4). A KeID presented as psk_identity on the
 * fetchCredentials path names the PSK the same way; a B-TID is rewritten to base64url (OQ-34):
 * `I1U8vpY3qJ0hiuZNrke/NQ==@bsf.example.com` → `12-I1U8vpY3qJ0hiuZNrke_NQ@bsf.example.com`.
 */
export function credentialIdForKpsaId(kpsaId: KpsaId | KeId): CredentialId {
  return formatCredentialId(CRED_ID_TYPE.SAEF_SYMMETRIC, scopedValue(kpsaId))
}

/** `12-<Key Identifier>`: the KcID-based alternative for a MAF-distributed key (OQ-33). */
export function credentialIdForKeyIdentifier(keyIdentifier: KeyIdentifier): CredentialId {
  return formatCredentialId(CRED_ID_TYPE.SAEF_SYMMETRIC, keyIdentifier)
}

/**
 * `30-` + base64url (no padding) of the full SHA-256 of the DER SubjectPublicKeyInfo (OQ-25):
 * the text after `ni:///sha-256;`, whatever truncation a configured ni name uses.
 */
export function credentialIdForRawPublicKey(spkiDer: Uint8Array): CredentialId {
  return `${CRED_ID_TYPE.TLS_RAW_PUBLIC_KEY}-${toBase64Url(spkiSha256(spkiDer))}` as CredentialId
}

const CERTIFICATE_TYPES = {
  'device': CRED_ID_TYPE.TLS_DEVICE_CERTIFICATE,
  'cse-id': CRED_ID_TYPE.TLS_CSE_ID_CERTIFICATE,
  'ae-id': CRED_ID_TYPE.TLS_AE_ID_CERTIFICATE,
  'node-id': CRED_ID_TYPE.TLS_NODE_ID_CERTIFICATE,
} as const satisfies Record<CertificateFlavour, CredIdTypeId>

/**
 * `31-`…`34-` for a certificate used in TLS: the hardware instance id (a dotted OID string, OQ-26),
 * CSE-ID, AE-ID or Node-ID taken from the certificate.
 * @throws M2MSEC_ID_INVALID when the id does not fit that type's grammar.
 */
export function credentialIdForCertificate(flavour: CertificateFlavour, id: string): CredentialId {
  return formatCredentialId(CERTIFICATE_TYPES[flavour], id)
}

/**
 * `60-<ID_2 without @expirationTime>` for an IBC credential (project-private type, OQ-24).
 * @throws M2MSEC_ID_INVALID when `ibcId` is not an ID_2.
 */
export function credentialIdForIbcId(ibcId: string): CredentialId {
  return formatCredentialId(CRED_ID_TYPE.IBC_PRIVATE, parseIbcId(ibcId).withoutExpiry)
}
