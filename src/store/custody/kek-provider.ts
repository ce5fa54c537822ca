/**
 * The seam for a KEK that never leaves a token (issue 4: "keep an interface for a PKCS#11-held
 * KEK (SoftHSM)"). Envelope encryption: the token's key wraps the data-encryption keys (DEKs)
 * that the AES-GCM sealer uses; a keyring of wrapped DEKs is stored on disk and unwrapped once
 * at start. Per-row sealing then stays synchronous and fast (Sealer is synchronous), and the
 * token is asked for one operation per DEK, not per row.
 *
 * Why not seal rows on the token directly: every read of a key would cross into the token
 * (milliseconds on SoftHSM, far more on network HSMs), and PKCS#11 sessions are synchronous
 * C calls; the envelope keeps the database unusable without the token all the same.
 *
 * A PKCS#11 provider (pkcs11js/graphene-pk11 on SoftHSM) implements `wrapKey`/`unwrapKey` with
 * C_Encrypt/C_Decrypt under CKM_AES_GCM on a non-extractable CKK_AES token key found by label,
 * binding `label` as the GCM AAD exactly as the software provider below does.
 */
import type { SecretBytes } from '../../core/index.js'
import { StoreError } from '../errors.js'
import { createAesGcmSealer } from './aes-gcm-sealer.js'
import type { Kek } from './aes-gcm-sealer.js'
import { kekFromBytes } from './kek-source.js'
import type { Keyring } from './keyring.js'

export interface KekProvider {
  /** 'software' or 'pkcs11'; shown to operators. */
  readonly kind: string
  /** Identifier of the wrapping key (for a token: a label or a hash of CKA_ID), never key material. */
  readonly id: string
  /** Encrypts `key` under the provider's KEK, bound to `label` (the DEK's id). */
  wrapKey(key: SecretBytes, label: string): Promise<Uint8Array>
  /** @throws StoreError M2MSEC_STORE_SEAL_INVALID when `wrapped` does not open under `label`. */
  unwrapKey(wrapped: Uint8Array, label: string): Promise<SecretBytes>
  /** Releases the token session, if any. */
  close(): Promise<void>
}

/** A KekProvider over an in-memory KEK: the file/env case, and the reference for PKCS#11 ones. */
export function createSoftwareKekProvider(kek: Kek): KekProvider {
  const sealer = createAesGcmSealer([kek], kek.id)
  const context = (label: string) => ({ table: 'keyring', recordId: label, purpose: 'dek' })
  return {
    kind: 'software',
    id: kek.id,
    wrapKey: async (key, label) => sealer.seal(key, context(label)),
    unwrapKey: async (wrapped, label) => sealer.open(wrapped, context(label)),
    close: async () => undefined,
  }
}

/** A keyring whose keys are wrapped by a provider: safe to store anywhere the data lives. */
export interface WrappedKeyring {
  readonly format: 'm2msec-wrapped-keyring'
  readonly version: 1
  readonly provider: string
  readonly active: string
  readonly keks: readonly { readonly id: string; readonly wrapped: string }[]
}

/** Wraps every KEK of `ring` under `provider`. */
export async function wrapKeyring(provider: KekProvider, ring: Keyring): Promise<WrappedKeyring> {
  const keks = []
  for (const kek of ring.keks) {
    keks.push({ id: kek.id, wrapped: Buffer.from(await provider.wrapKey(kek.key, kek.id)).toString('base64') })
  }
  return { format: 'm2msec-wrapped-keyring', version: 1, provider: provider.id, active: ring.activeKekId, keks }
}

/**
 * Unwraps a wrapped keyring with `provider`.
 * @throws StoreError M2MSEC_STORE_KEK_INVALID when it names another provider or an entry is not
 *   a valid KEK; M2MSEC_STORE_SEAL_INVALID when an entry does not unwrap.
 */
export async function unwrapKeyring(provider: KekProvider, doc: WrappedKeyring): Promise<Keyring> {
  if (doc.format !== 'm2msec-wrapped-keyring' || doc.version !== 1 || doc.provider !== provider.id) {
    throw new StoreError('M2MSEC_STORE_KEK_INVALID', 'internal', `wrapped keyring is not for KEK provider ${provider.id}`)
  }
  const keks: Kek[] = []
  for (const entry of doc.keks) {
    const key = await provider.unwrapKey(new Uint8Array(Buffer.from(entry.wrapped, 'base64')), entry.id)
    const kek = kekFromBytes(key.reveal(), `wrapped keyring entry ${entry.id}`)
    if (kek.id !== entry.id) throw new StoreError('M2MSEC_STORE_KEK_INVALID', 'internal', `wrapped keyring entry ${entry.id} holds another key`)
    keks.push(kek)
  }
  if (!keks.some((k) => k.id === doc.active)) {
    throw new StoreError('M2MSEC_STORE_KEK_INVALID', 'internal', `wrapped keyring names active KEK ${doc.active}, which it does not hold`)
  }
  return { activeKekId: doc.active, keks }
}
