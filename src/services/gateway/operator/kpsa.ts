/**
 * Locally provisioned Kpsa for the gateway's PSK SAEF (TS-0003 8.2.2.1 credential configuration
 * at Entity B; frameworks.md §5: KpsaID → Kpsa, the identity the association is bound to): the
 * parsing shared by `m2msec psk …` and `/v1/psk-credentials`, and add / revoke / remove / list
 * with one audit event per write. The key is stored sealed (usage 'saef') and never returned:
 * listings carry identity, binding, status and expiry only.
 */
import { SecretBytes, credentialIdForKpsaId, fromHex, parseAeId, parseCseId, parseKpsaId } from '../../../core/index.js'
import type { BoundEntity, PskCredentialInfo, Store } from '../../../store/index.js'
import { invalidField, notFound } from './errors.js'
import { actorOf, linkOf, operatorError, type GatewayOperatorOptions } from './operator-context.js'
import { checkPage, pageOf, type Page, type PageOptions } from './page.js'

export const KPSA_MIN_BYTES = 16
export const KPSA_MAX_BYTES = 64

/**
 * A Kpsa of 16–64 bytes from text: hex (optionally `hex:`) or `base64:`.
 * @throws GatewayOperatorError M2MSEC_GATEWAY_OPERATOR_INVALID (field `key`); the message never holds the text.
 */
export function parseKeyText(text: string, field = 'key'): SecretBytes {
  const t = text.trim()
  const bytes = t.startsWith('base64:') ? new Uint8Array(Buffer.from(t.slice(7), 'base64'))
    : /^(hex:)?([0-9A-Fa-f]{2})+$/.test(t) ? fromHex(t.replace(/^hex:/, '')) : undefined
  if (bytes === undefined || bytes.length < KPSA_MIN_BYTES || bytes.length > KPSA_MAX_BYTES) {
    bytes?.fill(0)
    throw invalidField(field, `must hold ${KPSA_MIN_BYTES}–${KPSA_MAX_BYTES} bytes as hex or base64:… (got ${t.length} characters)`)
  }
  return new SecretBytes(bytes)
}

function isAbsolute(parse: (text: string) => { form: string }, text: string): boolean {
  try {
    return parse(text).form === 'absolute'
  } catch {
    return false
  }
}

/**
 * The entity an association is bound to: an Absolute AE-ID (`//sp/Sx`, `//sp/cse/Cx`) or CSE-ID (`//sp/cse`).
 * @throws GatewayOperatorError M2MSEC_GATEWAY_OPERATOR_INVALID (field `bind`)
 */
export function parseBind(text: string, field = 'bind'): BoundEntity {
  if (isAbsolute(parseAeId, text)) return { kind: 'ae', ids: [text] }
  if (isAbsolute(parseCseId, text)) return { kind: 'cse', ids: [text] }
  throw invalidField(field, `must be an Absolute AE-ID or CSE-ID, got '${text.slice(0, 200)}'`)
}

/**
 * A KpsaID in normal form. The device sends its KpsaID byte for byte: refuse rather than rewrite (as D-85 for KpmIDs).
 * @throws GatewayOperatorError M2MSEC_GATEWAY_OPERATOR_INVALID (field `identity`)
 */
export function parseKpsaIdentity(text: string, field = 'identity'): string {
  let kpsaId: string
  try {
    kpsaId = parseKpsaId(text)
  } catch {
    throw invalidField(field, `is not a KpsaID (relative@issuer-fqdn), got '${text.slice(0, 200)}'`)
  }
  if (kpsaId !== text) throw invalidField(field, `must be in normal form (hex upper case, FQDN lower case): '${kpsaId}'`)
  return kpsaId
}

export interface KpsaInput {
  readonly identity: string
  /** Hex or `base64:` text, or bytes already read. */
  readonly key: string | SecretBytes
  readonly bind?: string
  readonly expiresAt?: Date
}

export interface KpsaView {
  readonly identity: string
  readonly credentialId?: string
  readonly boundEntity?: BoundEntity
  /** `configured` by an operator, `retrieved` from a MEF/MAF. */
  readonly source: string
  readonly status: 'active' | 'revoked' | 'expired'
  readonly expiresAt?: Date
  readonly revokedAt?: Date
  readonly createdAt: Date
}

export function kpsaView(info: PskCredentialInfo, now: Date): KpsaView {
  const revoked = info.revokedAt !== undefined && info.revokedAt.getTime() <= now.getTime()
  const expired = info.expiresAt !== undefined && info.expiresAt.getTime() <= now.getTime()
  return {
    identity: info.identity,
    ...(info.credentialId === undefined ? {} : { credentialId: info.credentialId }),
    ...(info.boundEntity === undefined ? {} : { boundEntity: { kind: info.boundEntity.kind, ids: [...info.boundEntity.ids] } }),
    source: info.owner.kind,
    status: revoked ? 'revoked' : expired ? 'expired' : 'active',
    ...(info.expiresAt === undefined ? {} : { expiresAt: info.expiresAt }),
    ...(info.revokedAt === undefined ? {} : { revokedAt: info.revokedAt }),
    createdAt: info.createdAt,
  }
}

/**
 * Validates and stores a Kpsa (sealed) under its KpsaID; the key given is wiped afterwards.
 * @throws GatewayOperatorError M2MSEC_GATEWAY_OPERATOR_INVALID (nothing written), M2MSEC_GATEWAY_OPERATOR_EXISTS.
 */
export async function addKpsa(store: Store, input: KpsaInput, options: GatewayOperatorOptions = {}): Promise<KpsaView> {
  const identity = parseKpsaIdentity(input.identity)
  const boundEntity = input.bind === undefined ? undefined : parseBind(input.bind)
  const now = options.now ?? new Date()
  if (input.expiresAt !== undefined && !(input.expiresAt.getTime() > now.getTime())) throw invalidField('expiresAt', 'must be in the future')
  const key = typeof input.key === 'string' ? parseKeyText(input.key) : input.key
  const credentialId = credentialIdForKpsaId(parseKpsaId(identity))
  try {
    return await store.transaction(async (tx) => {
      await tx.pskCredentials.put({
        usage: 'saef', identity, key, owner: { kind: 'configured', ref: identity }, credentialId,
        ...(boundEntity === undefined ? {} : { boundEntity }), ...(input.expiresAt === undefined ? {} : { expiresAt: input.expiresAt }),
      })
      await tx.audit.append({
        at: now, actor: actorOf(options), action: 'kpsa.add',
        subject: { identity, credentialId, ...(boundEntity === undefined ? {} : { bound: [...boundEntity.ids] }) }, outcome: 'success',
      }, linkOf(options))
      const [info] = await tx.pskCredentials.list('saef', { identity, limit: 1 })
      if (info === undefined) throw invalidField('identity', 'vanished while being added')
      return kpsaView(info, now)
    })
  } catch (error) {
    throw operatorError(error, `Kpsa ${identity}`)
  } finally {
    key.wipe()
  }
}

/**
 * Revokes an operator-provisioned Kpsa: the next handshake with it fails (a live session is cut
 * by the gateway's recheck). Revoking a revoked Kpsa is not an error.
 * @throws GatewayOperatorError M2MSEC_GATEWAY_OPERATOR_NOT_FOUND
 */
export async function revokeKpsa(store: Store, identity: string, options: GatewayOperatorOptions = {}): Promise<KpsaView> {
  const now = options.now ?? new Date()
  return store.transaction(async (tx) => {
    const [before] = await tx.pskCredentials.list('saef', { identity, limit: 1 })
    if (before === undefined || before.owner.kind !== 'configured') throw notFound(`configured Kpsa ${identity}`)
    const already = before.revokedAt !== undefined && before.revokedAt.getTime() <= now.getTime()
    if (!already) await tx.pskCredentials.revokeByOwner('configured', identity, now)
    await tx.audit.append({ at: now, actor: actorOf(options), action: 'kpsa.revoke', subject: { identity }, outcome: already ? 'already-revoked' : 'success' }, linkOf(options))
    const [after] = await tx.pskCredentials.list('saef', { identity, limit: 1 })
    return kpsaView(after ?? before, now)
  })
}

/** @throws GatewayOperatorError M2MSEC_GATEWAY_OPERATOR_NOT_FOUND */
export async function removeKpsa(store: Store, identity: string, options: GatewayOperatorOptions = {}): Promise<void> {
  try {
    await store.transaction(async (tx) => {
      await tx.pskCredentials.delete('saef', identity)
      await tx.audit.append({ ...(options.now === undefined ? {} : { at: options.now }), actor: actorOf(options), action: 'kpsa.remove', subject: { identity }, outcome: 'success' }, linkOf(options))
    })
  } catch (error) {
    throw operatorError(error, `Kpsa ${identity}`)
  }
}

/** One page of the gateway's Kpsa credentials (usage 'saef'), in KpsaID order, metadata only. */
export async function listKpsa(store: Store, options: PageOptions & { readonly now?: Date } = {}): Promise<Page<KpsaView>> {
  const { cursor, limit } = checkPage(options)
  const now = options.now ?? new Date()
  const rows = await store.transaction((tx) => tx.pskCredentials.list('saef', { limit: limit + 1, ...(cursor === undefined ? {} : { afterIdentity: cursor }) }))
  const page = pageOf(rows, limit, (r) => r.identity)
  return { ...page, items: page.items.map((r) => kpsaView(r, now)) }
}
