/**
 * A keyring: the active KEK plus the previous ones still needed to open old blobs while a
 * rotation runs (issue 4 "KEK rotation re-seals everything online"). One entry point,
 * `loadKeyring`, turns the configured source into the keys a Sealer is built from.
 *
 * File format (JSON, mode 0600, written atomically):
 *   { "format": "m2msec-keyring", "version": 1, "active": "<KEK id>",
 *     "keks": [ { "id": "<KEK id>", "key": "<base64 of 32 bytes>" }, … ] }
 * Each id must equal the id derived from its key, so a hand-edited or corrupted entry is refused
 * instead of silently sealing under a mislabelled key.
 *
 * Rotation procedure (docs): 1. `addKek(ring, generateKek())` and write it (new key active, old
 * kept); every instance reloads. 2. `rotateKek` re-seals all rows. 3. when it reports nothing
 * left under old KEKs, `retireKek` the old id and write the ring again.
 */
import { StoreError } from '../errors.js'
import type { Kek } from './aes-gcm-sealer.js'
import { KEK_ENV_VARIABLE, loadKekFile, loadKekFromEnv, parseKekText } from './kek-source.js'
import { readPrivateFile, replacePrivateFile } from './private-file.js'

export interface Keyring {
  readonly activeKekId: string
  readonly keks: readonly Kek[]
}

/** Where the KEKs come from; chosen by configuration (data directory file by default). */
export type KekSource =
  /** A raw 32-byte KEK file, created on first start when `create` is true. */
  | { readonly kind: 'file'; readonly path: string; readonly create: boolean }
  /** A keyring file (format above). */
  | { readonly kind: 'keyring'; readonly path: string }
  /** `variable` (default M2MSEC_KEK) is active; `previousVariable` may list older KEKs, comma-separated. */
  | {
      readonly kind: 'env'
      readonly env: Readonly<Record<string, string | undefined>>
      readonly variable?: string
      readonly previousVariable?: string
    }

const FORMAT = 'm2msec-keyring'
const MAX_KEYRING_FILE = 64 * 1024

function kekInvalid(message: string): StoreError {
  return new StoreError('M2MSEC_STORE_KEK_INVALID', 'internal', message)
}

function checkKeyring(ring: Keyring, what: string): Keyring {
  const ids = new Set<string>()
  for (const kek of ring.keks) {
    if (ids.has(kek.id)) throw kekInvalid(`${what} lists KEK ${kek.id} twice`)
    ids.add(kek.id)
  }
  if (!ids.has(ring.activeKekId)) throw kekInvalid(`${what} names active KEK ${ring.activeKekId}, which it does not hold`)
  return ring
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Parses keyring file text.
 * @throws StoreError M2MSEC_STORE_KEK_INVALID on any structural error, a key that is not 32
 *   bytes, or an id that does not match its key. Messages never include key text.
 */
export function parseKeyring(text: string, what = 'keyring'): Keyring {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    throw kekInvalid(`${what} is not JSON`)
  }
  if (!isRecord(doc) || doc.format !== FORMAT || doc.version !== 1) throw kekInvalid(`${what} is not an ${FORMAT} version 1 document`)
  if (typeof doc.active !== 'string' || !Array.isArray(doc.keks)) throw kekInvalid(`${what} lacks "active" or "keks"`)
  const keks = doc.keks.map((entry: unknown, index: number): Kek => {
    if (!isRecord(entry) || typeof entry.id !== 'string' || typeof entry.key !== 'string') {
      throw kekInvalid(`${what} entry ${index} lacks "id" or "key"`)
    }
    const kek = parseKekText(entry.key, `${what} entry ${index}`)
    if (kek.id !== entry.id) throw kekInvalid(`${what} entry ${index} has id ${entry.id}, but its key's id is ${kek.id}`)
    return kek
  })
  return checkKeyring({ activeKekId: doc.active, keks }, what)
}

/** The keyring file text. The result holds key material: write it only with writeKeyringFile. */
export function serializeKeyring(ring: Keyring): string {
  checkKeyring(ring, 'keyring')
  const keks = ring.keks.map((k) => ({ id: k.id, key: Buffer.from(k.key.reveal()).toString('base64') }))
  return JSON.stringify({ format: FORMAT, version: 1, active: ring.activeKekId, keks }, null, 2) + '\n'
}

/** @throws StoreError M2MSEC_STORE_KEK_INSECURE / M2MSEC_STORE_KEK_INVALID as loadKekFile. */
export function readKeyringFile(path: string): Keyring {
  const bytes = readPrivateFile(path, MAX_KEYRING_FILE)
  if (bytes === undefined) throw kekInvalid(`keyring file ${path} does not exist`)
  return parseKeyring(Buffer.from(bytes).toString('utf8'), `keyring file ${path}`)
}

/** Writes the keyring atomically with mode 0600. */
export function writeKeyringFile(path: string, ring: Keyring): void {
  const bytes = new Uint8Array(Buffer.from(serializeKeyring(ring), 'utf8'))
  replacePrivateFile(path, bytes)
  bytes.fill(0)
}

/** A keyring holding `kek` too, made active when `activate` (the default). */
export function addKek(ring: Keyring, kek: Kek, activate = true): Keyring {
  const keks = ring.keks.some((k) => k.id === kek.id) ? ring.keks : [...ring.keks, kek]
  return checkKeyring({ activeKekId: activate ? kek.id : ring.activeKekId, keks }, 'keyring')
}

/** A keyring without `kekId`. @throws StoreError M2MSEC_STORE_KEK_INVALID when it is the active KEK. */
export function retireKek(ring: Keyring, kekId: string): Keyring {
  if (kekId === ring.activeKekId) throw kekInvalid(`KEK ${kekId} is active and cannot be retired`)
  return checkKeyring({ activeKekId: ring.activeKekId, keks: ring.keks.filter((k) => k.id !== kekId) }, 'keyring')
}

function loadFromEnv(source: Extract<KekSource, { kind: 'env' }>): Keyring {
  const variable = source.variable ?? KEK_ENV_VARIABLE
  const active = loadKekFromEnv(source.env, variable)
  const previousVariable = source.previousVariable ?? `${variable}_PREVIOUS`
  const previousText = source.env[previousVariable] ?? ''
  const previous = previousText
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part, index) => parseKekText(part, `environment variable ${previousVariable} item ${index}`))
    .filter((kek) => kek.id !== active.id)
  return checkKeyring({ activeKekId: active.id, keks: [active, ...previous] }, `environment variables ${variable}/${previousVariable}`)
}

/**
 * Loads the KEKs of `source`.
 * @throws StoreError M2MSEC_STORE_KEK_INVALID or M2MSEC_STORE_KEK_INSECURE (see the loaders).
 */
export function loadKeyring(source: KekSource): Keyring {
  switch (source.kind) {
    case 'file': {
      const { kek } = loadKekFile(source.path, { create: source.create })
      return { activeKekId: kek.id, keks: [kek] }
    }
    case 'keyring':
      return readKeyringFile(source.path)
    case 'env':
      return loadFromEnv(source)
  }
}

