/**
 * The sealed device credential file: what an Enrolee keeps after enrolment (frameworks.md §10.5
 * "What each side stores": KpmID, Kpm, MEF URI, Ke, KeID, expiry, derived keys) plus its MEF
 * Client Registration and the MEF keys it registered or retrieved. JSON, mode 0600, written
 * atomically. Identifiers are in clear; every secret is sealed with AES-256-GCM under the device
 * KEK (device-kek.ts) with a random 96-bit nonce and an AAD naming the file format, the field and
 * the KeID — so a sealed value copied to another field or into another device's file does not
 * open. Blob = base64(nonce ‖ ciphertext ‖ tag).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { SecretBytes, TARGET_KEY_MODES, type TargetKeyMode } from '../core/index.js'
import type { MefClientRegistration } from './client-registration.js'
import { loadDeviceKek, type DeviceKek, type LoadDeviceKekOptions } from './device-kek.js'
import type { EnrolmentTarget } from './enrol.js'
import { ClientError } from './errors.js'
import { readPrivateFile, writePrivateFile } from './private-file.js'

export const CREDENTIAL_FILE_FORMAT = 'm2msec-device-credential'
export const CREDENTIAL_FILE_VERSION = 1
const MAX_FILE_BYTES = 1 << 20
const NONCE_LENGTH = 12
const TAG_LENGTH = 16

/** How the device authenticates to its MEF (no secret here: Kpm is sealed, a private key stays in its own file). */
export type DeviceHandshake =
  | { readonly kind: 'psk'; readonly kpmId: string }
  | { readonly kind: 'certificate'; readonly certFile: string; readonly keyFile: string; readonly mefCaFile: string }

/** A key from an MEF key procedure: registered by this device (source) or retrieved (target). */
export interface StoredMefKey {
  readonly keyIdentifier: string
  readonly role: 'source' | 'target'
  readonly suid: number
  readonly expiry: string
  readonly targetIds: readonly string[]
  readonly sourceClientId: string
  readonly key: SecretBytes
}

export interface DeviceCredential {
  readonly keId: string
  /** Enrolment Expiry (ISO 8601), when configured. */
  readonly keExpiry?: string
  readonly mefUrl: string
  readonly mefFqdn: string
  readonly mode: TargetKeyMode
  readonly target: EnrolmentTarget
  readonly suid: number
  readonly registration: MefClientRegistration
  readonly handshake: DeviceHandshake
  readonly ke: SecretBytes
  readonly targetKey: SecretBytes
  /** Kpm, kept when the device holds it only here. */
  readonly kpm?: SecretBytes
  readonly keys: readonly StoredMefKey[]
}

export interface WriteCredentialOptions extends LoadDeviceKekOptions {
  /** Replace an existing file; default false (M2MSEC_CLIENT_CREDENTIAL_EXISTS). */
  readonly overwrite?: boolean
}

function invalid(path: string, what: string): ClientError {
  return new ClientError('M2MSEC_CLIENT_CREDENTIAL_INVALID', 'bad-input', `credential file ${path}: ${what}`)
}

function sealInvalid(path: string, field: string, cause?: unknown): ClientError {
  return new ClientError('M2MSEC_CLIENT_CREDENTIAL_SEAL_INVALID', 'bad-input', `credential file ${path}: sealed ${field} does not open (altered, moved, or another KEK)`, cause === undefined ? undefined : { cause })
}

function aad(field: string, keId: string): Buffer {
  const parts = [`${CREDENTIAL_FILE_FORMAT}/${CREDENTIAL_FILE_VERSION}`, field, keId].map((part) => Buffer.from(part, 'utf8'))
  return Buffer.concat(parts.flatMap((part) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(part.length)
    return [length, part]
  }))
}

function seal(kek: DeviceKek, secret: SecretBytes, field: string, keId: string): string {
  const nonce = randomBytes(NONCE_LENGTH)
  const cipher = createCipheriv('aes-256-gcm', kek.key.reveal(), nonce, { authTagLength: TAG_LENGTH }).setAAD(aad(field, keId))
  const body = Buffer.concat([cipher.update(secret.reveal()), cipher.final()])
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64')
}

function open(path: string, kek: DeviceKek, blob: unknown, field: string, keId: string): SecretBytes {
  if (typeof blob !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) throw invalid(path, `sealed ${field} is not base64`)
  const bytes = Buffer.from(blob, 'base64')
  if (bytes.length < NONCE_LENGTH + TAG_LENGTH + 1) throw sealInvalid(path, field)
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek.key.reveal(), bytes.subarray(0, NONCE_LENGTH), { authTagLength: TAG_LENGTH })
    decipher.setAAD(aad(field, keId)).setAuthTag(bytes.subarray(bytes.length - TAG_LENGTH))
    return new SecretBytes(new Uint8Array(Buffer.concat([decipher.update(bytes.subarray(NONCE_LENGTH, bytes.length - TAG_LENGTH)), decipher.final()])))
  } catch (cause) {
    throw sealInvalid(path, field, cause)
  }
}

const keyField = (keyIdentifier: string): string => `keys/${keyIdentifier}`

/**
 * Writes `credential` to `path` (0600, atomic), sealing its secrets under the device KEK, which
 * is created beside the file when neither M2MSEC_DEVICE_KEK nor the KEK file exists.
 * @throws M2MSEC_CLIENT_CREDENTIAL_EXISTS, M2MSEC_CLIENT_KEK_INVALID, M2MSEC_CLIENT_FILE_INSECURE, M2MSEC_CLIENT_FILE_IO
 */
export function writeCredentialFile(path: string, credential: DeviceCredential, options: WriteCredentialOptions = {}): void {
  const kek = loadDeviceKek(path, { ...options, create: options.create ?? true })
  const keId = credential.keId
  const document = {
    format: CREDENTIAL_FILE_FORMAT,
    version: CREDENTIAL_FILE_VERSION,
    kekId: kek.id,
    keId,
    keExpiry: credential.keExpiry ?? null,
    mefUrl: credential.mefUrl,
    mefFqdn: credential.mefFqdn,
    mode: credential.mode,
    target: credential.target,
    suid: credential.suid,
    targetKeyId: keId,
    registration: credential.registration,
    handshake: credential.handshake,
    sealed: {
      ke: seal(kek, credential.ke, 'ke', keId),
      targetKey: seal(kek, credential.targetKey, 'targetKey', keId),
      ...(credential.kpm === undefined ? {} : { kpm: seal(kek, credential.kpm, 'kpm', keId) }),
    },
    keys: credential.keys.map(({ key, ...rest }) => ({ ...rest, sealedKey: seal(kek, key, keyField(rest.keyIdentifier), keId) })),
  }
  checkReadable(path, document)
  writePrivateFile(path, 'credential file', Buffer.from(`${JSON.stringify(document, null, 2)}\n`, 'utf8'), options.overwrite === true)
}

/**
 * Refuses to write what readCredentialFile would refuse to read (a caller without type checks
 * could pass a registration without its resourceName), so a device never saves a credential it
 * cannot load again. Runs the reader's own field parsers; secrets are checked when sealed.
 */
function checkReadable(path: string, document: Json): void {
  text(path, document, 'keId')
  text(path, document, 'mefUrl')
  text(path, document, 'mefFqdn')
  integer(path, document, 'suid')
  if (typeof document.mode !== 'string' || !(TARGET_KEY_MODES as readonly string[]).includes(document.mode)) throw invalid(path, 'mode is not a target key mode')
  parseTarget(path, document.target)
  parseRegistration(path, document.registration)
  parseHandshake(path, document.handshake)
}

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function text(path: string, object: Json, name: string): string {
  const value = object[name]
  if (typeof value !== 'string' || value.length === 0) throw invalid(path, `${name} must be a non-empty string`)
  return value
}

function texts(path: string, object: Json, name: string): readonly string[] {
  const value = object[name]
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) throw invalid(path, `${name} must be a list of strings`)
  return value
}

function integer(path: string, object: Json, name: string): number {
  const value = object[name]
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid(path, `${name} must be an integer`)
  return value
}

function parseTarget(path: string, value: unknown): EnrolmentTarget {
  if (!isObject(value)) throw invalid(path, 'target must be an object')
  if (typeof value.mafId === 'string') return { mafId: value.mafId }
  if (typeof value.enroleeBId === 'string') {
    return { enroleeBId: value.enroleeBId, ...(typeof value.derivationId === 'string' ? { derivationId: value.derivationId } : {}) }
  }
  throw invalid(path, 'target needs mafId or enroleeBId')
}

function parseHandshake(path: string, value: unknown): DeviceHandshake {
  if (!isObject(value)) throw invalid(path, 'handshake must be an object')
  if (value.kind === 'psk') return { kind: 'psk', kpmId: text(path, value, 'kpmId') }
  if (value.kind === 'certificate') {
    return { kind: 'certificate', certFile: text(path, value, 'certFile'), keyFile: text(path, value, 'keyFile'), mefCaFile: text(path, value, 'mefCaFile') }
  }
  throw invalid(path, 'handshake.kind must be psk or certificate')
}

function parseRegistration(path: string, value: unknown): MefClientRegistration {
  if (!isObject(value)) throw invalid(path, 'registration must be an object')
  const optional = (name: string): string | undefined => (value[name] === undefined ? undefined : text(path, value, name))
  const assigned = optional('assignedSymmKeyId')
  const command = optional('commandPath')
  return {
    regId: text(path, value, 'regId'), resourceName: text(path, value, 'resourceName'), clientId: text(path, value, 'clientId'),
    expiry: text(path, value, 'expiry'), adminFqdn: text(path, value, 'adminFqdn'),
    ...(value.labels === undefined ? {} : { labels: texts(path, value, 'labels') }),
    ...(assigned === undefined ? {} : { assignedSymmKeyId: assigned }),
    ...(command === undefined ? {} : { commandPath: command }),
  }
}

function parseKeys(path: string, kek: DeviceKek, value: unknown, keId: string): StoredMefKey[] {
  if (!Array.isArray(value)) throw invalid(path, 'keys must be a list')
  return value.map((item: unknown) => {
    if (!isObject(item)) throw invalid(path, 'keys entries must be objects')
    const keyIdentifier = text(path, item, 'keyIdentifier')
    if (item.role !== 'source' && item.role !== 'target') throw invalid(path, 'keys[].role must be source or target')
    return {
      keyIdentifier, role: item.role, suid: integer(path, item, 'suid'), expiry: text(path, item, 'expiry'),
      targetIds: texts(path, item, 'targetIds'), sourceClientId: text(path, item, 'sourceClientId'),
      key: open(path, kek, item.sealedKey, keyField(keyIdentifier), keId),
    }
  })
}

function parseDocument(path: string, bytes: Uint8Array): Json {
  let document: unknown
  try {
    document = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    throw invalid(path, 'not UTF-8 JSON')
  }
  if (!isObject(document) || document.format !== CREDENTIAL_FILE_FORMAT) throw invalid(path, `not a ${CREDENTIAL_FILE_FORMAT} file`)
  if (document.version !== CREDENTIAL_FILE_VERSION) throw invalid(path, `version ${String(document.version)} is not supported (this build reads ${CREDENTIAL_FILE_VERSION})`)
  return document
}

/**
 * Reads and unseals the credential file at `path`.
 * @throws M2MSEC_CLIENT_CREDENTIAL_NOT_FOUND, M2MSEC_CLIENT_CREDENTIAL_INVALID, M2MSEC_CLIENT_CREDENTIAL_SEAL_INVALID,
 *   M2MSEC_CLIENT_KEK_INVALID, M2MSEC_CLIENT_FILE_INSECURE, M2MSEC_CLIENT_FILE_IO
 */
export function readCredentialFile(path: string, options: LoadDeviceKekOptions = {}): DeviceCredential {
  const bytes = readPrivateFile(path, 'credential file', MAX_FILE_BYTES)
  if (bytes === undefined) throw new ClientError('M2MSEC_CLIENT_CREDENTIAL_NOT_FOUND', 'not-found', `credential file ${path} does not exist`)
  const doc = parseDocument(path, bytes)
  const kek = loadDeviceKek(path, { ...options, create: false })
  const keId = text(path, doc, 'keId')
  if (doc.kekId !== kek.id) {
    throw new ClientError('M2MSEC_CLIENT_CREDENTIAL_SEAL_INVALID', 'bad-input', `credential file ${path} was sealed under KEK ${String(doc.kekId)}, not under the loaded KEK ${kek.id} (${kek.source})`)
  }
  const mode = doc.mode
  if (typeof mode !== 'string' || !(TARGET_KEY_MODES as readonly string[]).includes(mode)) throw invalid(path, 'mode is not a target key mode')
  if (doc.keExpiry !== null && typeof doc.keExpiry !== 'string') throw invalid(path, 'keExpiry must be a string or null')
  const sealed = doc.sealed
  if (!isObject(sealed)) throw invalid(path, 'sealed must be an object')
  return {
    keId, mefUrl: text(path, doc, 'mefUrl'), mefFqdn: text(path, doc, 'mefFqdn'), mode: mode as TargetKeyMode,
    target: parseTarget(path, doc.target), suid: integer(path, doc, 'suid'), registration: parseRegistration(path, doc.registration),
    handshake: parseHandshake(path, doc.handshake),
    ...(typeof doc.keExpiry === 'string' ? { keExpiry: doc.keExpiry } : {}),
    ke: open(path, kek, sealed.ke, 'ke', keId),
    targetKey: open(path, kek, sealed.targetKey, 'targetKey', keId),
    ...(sealed.kpm === undefined ? {} : { kpm: open(path, kek, sealed.kpm, 'kpm', keId) }),
    keys: parseKeys(path, kek, doc.keys ?? [], keId),
  }
}
