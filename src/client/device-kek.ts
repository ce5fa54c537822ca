/**
 * The device key-encryption key that seals the secrets of a credential file (ARCHITECTURE.md §3
 * "Secrets at rest are sealed", on the device): 32 bytes from the environment variable
 * M2MSEC_DEVICE_KEK (64 hex digits or base64), else from a file beside the credential file
 * (`<credential file>.kek`, raw 32 bytes, mode 0600), created on first use when asked.
 *
 * Its id is derived, never chosen — the first 8 bytes of SHA-256("m2msec-device-kek-id" ‖ 0x00 ‖
 * KEK) in hex — so a credential file can say which KEK sealed it without revealing anything
 * usable, and "wrong KEK" is told apart from "altered file".
 */
import { createHash, randomBytes } from 'node:crypto'
import { SecretBytes, toHex } from '../core/index.js'
import { ClientError } from './errors.js'
import { readPrivateFile, writePrivateFile } from './private-file.js'

export const DEVICE_KEK_ENV = 'M2MSEC_DEVICE_KEK'
export const DEVICE_KEK_FILE_SUFFIX = '.kek'
export const DEVICE_KEK_LENGTH = 32

const KEK_ID_LABEL = 'm2msec-device-kek-id'
const HEX_RE = /^[0-9A-Fa-f]{64}$/
const BASE64_RE = /^[A-Za-z0-9+/]{43}=$/

export interface DeviceKek {
  readonly id: string
  readonly key: SecretBytes
  /** Where it came from, for messages: the variable name or the file path. */
  readonly source: string
}

export interface LoadDeviceKekOptions {
  /** Environment to read M2MSEC_DEVICE_KEK from; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Create the KEK file when neither the variable nor the file exists (enrolment); default false. */
  readonly create?: boolean
}

function kekInvalid(message: string): ClientError {
  return new ClientError('M2MSEC_CLIENT_KEK_INVALID', 'bad-input', message)
}

export function deviceKekId(key: SecretBytes): string {
  return toHex(createHash('sha256').update(KEK_ID_LABEL).update(Uint8Array.of(0)).update(key.reveal()).digest().subarray(0, 8))
}

function kekFrom(bytes: Uint8Array, source: string): DeviceKek {
  if (bytes.length !== DEVICE_KEK_LENGTH) throw kekInvalid(`device KEK from ${source} must be ${DEVICE_KEK_LENGTH} bytes (got ${bytes.length})`)
  const key = new SecretBytes(bytes)
  return { id: deviceKekId(key), key, source }
}

function parseEnv(text: string): DeviceKek {
  const trimmed = text.trim()
  if (HEX_RE.test(trimmed)) return kekFrom(new Uint8Array(Buffer.from(trimmed, 'hex')), DEVICE_KEK_ENV)
  if (BASE64_RE.test(trimmed)) return kekFrom(new Uint8Array(Buffer.from(trimmed, 'base64')), DEVICE_KEK_ENV)
  throw kekInvalid(`${DEVICE_KEK_ENV} is neither 64 hex digits nor base64 of 32 bytes (length ${trimmed.length})`)
}

export function deviceKekPath(credentialPath: string): string {
  return `${credentialPath}${DEVICE_KEK_FILE_SUFFIX}`
}

/**
 * The device KEK for the credential file at `credentialPath`.
 * @throws M2MSEC_CLIENT_KEK_INVALID (absent and not created, wrong length, malformed variable),
 *   M2MSEC_CLIENT_FILE_INSECURE, M2MSEC_CLIENT_FILE_IO
 */
export function loadDeviceKek(credentialPath: string, options: LoadDeviceKekOptions = {}): DeviceKek {
  const env = options.env ?? process.env
  const fromEnv = env[DEVICE_KEK_ENV]
  if (fromEnv !== undefined && fromEnv.trim() !== '') return parseEnv(fromEnv)
  const path = deviceKekPath(credentialPath)
  const existing = readPrivateFile(path, 'device KEK file', 1024)
  if (existing !== undefined) return kekFrom(existing, path)
  if (options.create !== true) throw kekInvalid(`no device KEK: set ${DEVICE_KEK_ENV} or provide ${path}`)
  const fresh = new Uint8Array(randomBytes(DEVICE_KEK_LENGTH))
  try {
    writePrivateFile(path, 'device KEK file', fresh, false)
    return kekFrom(fresh, path)
  } catch (error) {
    fresh.fill(0)
    // Another process created it between our read and our link: use theirs.
    if (error instanceof ClientError && error.code === 'M2MSEC_CLIENT_CREDENTIAL_EXISTS') return loadDeviceKek(credentialPath, options)
    throw error
  }
}
