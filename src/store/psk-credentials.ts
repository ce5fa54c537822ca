/**
 * PSK credentials resolved during a (D)TLS-PSK handshake, one table for every listener:
 * KpmID → Kpm at the MEF (frameworks.md §10.2, §15.2), KmID → Km at the MAF (§7.3), and at an
 * Entity B the PSK SAEF's KpsaID → Kpsa and keys fetched from a MAF/MEF (Kc, §7.2 step 4;
 * §10.5 g), each with the identity the key is bound to (§4.2). `usage` keeps the listeners
 * apart when several roles share one database: an MEF key never answers a gateway handshake.
 * One table keeps the handshake read a single primary-key lookup.
 */
import type { CompiledQuery } from 'kysely'
import type { SecretBytes } from '../core/index.js'
import type { RepoContext } from './context.js'
import { StoreError } from './errors.js'
import { guarded } from './guard.js'
import { decodeList, decodeLiteral, encodeList, fromMs, toMs } from './row-codec.js'
import type { PskCredentialRow } from './schema.js'
import { openFrom, sealFor } from './sealing.js'

/** Which handshake the PSK serves: MEF Handshake, MAF Handshake, or an SAEF at Entity B. */
export type PskUsage = 'mef' | 'maf' | 'saef'
export const PSK_USAGES: readonly PskUsage[] = ['mef', 'maf', 'saef']
/** Who owns the row; deleting or revoking the owner removes or revokes its PSKs. */
export type PskOwnerKind = 'enrolee' | 'client-registration' | 'configured' | 'retrieved'
const OWNER_KINDS: readonly PskOwnerKind[] = ['enrolee', 'client-registration', 'configured', 'retrieved']
export type EntityKind = 'cse' | 'ae'
const ENTITY_KINDS: readonly EntityKind[] = ['cse', 'ae']

export interface BoundEntity {
  readonly kind: EntityKind
  /** One Absolute CSE-ID, or one or more Absolute AE-IDs (frameworks.md §4.2). */
  readonly ids: readonly string[]
}

export interface NewPskCredential {
  readonly usage: PskUsage
  readonly identity: string
  readonly key: SecretBytes
  readonly owner: { readonly kind: PskOwnerKind; readonly ref: string }
  readonly boundEntity?: BoundEntity
  readonly credentialId?: string
  readonly suid?: number
  readonly expiresAt?: Date
}

export interface PskCredential extends NewPskCredential {
  readonly createdAt: Date
}

/** Listing metadata: never the key; with the revocation instant, if any. */
export interface PskCredentialInfo extends Omit<PskCredential, 'key'> {
  readonly revokedAt?: Date
}

export interface PskListOptions {
  /** Only this identity (a list of zero or one). */
  readonly identity?: string
  /** Identities after this one (the previous page's last). */
  readonly afterIdentity?: string
  readonly limit?: number
}

export type PskRefusal = 'unknown-identity' | 'expired' | 'revoked'
/** A handshake lookup: a refusal is a value with a reason for audit, not an exception (STYLE.md §4). */
export type PskLookup = { readonly ok: true; readonly credential: PskCredential } | { readonly ok: false; readonly refusal: PskRefusal }

export interface PskCredentialRepo {
  /** @throws StoreError M2MSEC_STORE_CONFLICT when (usage, identity) exists. */
  put(credential: NewPskCredential): Promise<void>
  /** Never returns the key of an expired or revoked credential. */
  find(usage: PskUsage, identity: string, now: Date): Promise<PskLookup>
  listByOwner(kind: PskOwnerKind, ref: string): Promise<readonly Omit<PskCredential, 'key'>[]>
  /** Every credential of `usage` in identity order, metadata only (admin listings); expired and revoked included. */
  list(usage: PskUsage, options?: PskListOptions): Promise<readonly PskCredentialInfo[]>
  revokeByOwner(kind: PskOwnerKind, ref: string, at: Date | null): Promise<number>
  deleteByOwner(kind: PskOwnerKind, ref: string): Promise<number>
  /** @throws StoreError M2MSEC_STORE_NOT_FOUND */
  delete(usage: PskUsage, identity: string): Promise<void>
  deleteExpired(now: Date): Promise<number>
}

export function pskSealContext(usage: string, identity: string): { table: string; recordId: string; purpose: string } {
  return { table: 'psk_credentials', recordId: `${usage}:${identity}`, purpose: 'psk' }
}

function describe(row: PskCredentialRow): Omit<PskCredential, 'key'> {
  const ids = decodeList(row.bound_entity_ids_json, 'psk_credentials.bound_entity_ids_json')
  return {
    usage: decodeLiteral(row.usage, PSK_USAGES, 'psk_credentials.usage'),
    identity: row.identity,
    owner: { kind: decodeLiteral(row.owner_kind, OWNER_KINDS, 'psk_credentials.owner_kind'), ref: row.owner_ref },
    ...(row.bound_entity_kind === null ? {} : { boundEntity: { kind: decodeLiteral(row.bound_entity_kind, ENTITY_KINDS, 'psk_credentials.bound_entity_kind'), ids } }),
    ...(row.credential_id === null ? {} : { credentialId: row.credential_id }),
    ...(row.suid === null ? {} : { suid: Number(row.suid) }),
    ...(row.expires_at === null ? {} : { expiresAt: fromMs(row.expires_at) }),
    createdAt: fromMs(row.created_at),
  }
}

// Stand-ins compiled into the handshake lookup once; `find` swaps in the real values (see below).
const USAGE_SLOT = '\u0000usage'
const IDENTITY_SLOT = '\u0000identity'

export function pskCredentialRepo(ctx: RepoContext): PskCredentialRepo {
  const { db } = ctx
  // The handshake lookup runs once per PSK handshake (issue 7): building and compiling the same
  // Kysely query each time cost about a third of the lookup. The shape is compiled once, by this
  // handle's dialect, and only its two parameters change. The slots are found by value, so
  // the result does not depend on the order the compiler emits parameters in.
  let lookup: CompiledQuery<PskCredentialRow> | undefined
  const lookupQuery = (usage: PskUsage, identity: string): CompiledQuery<PskCredentialRow> => {
    lookup ??= db.selectFrom('psk_credentials').selectAll()
      .where('usage', '=', USAGE_SLOT).where('identity', '=', IDENTITY_SLOT).compile()
    const parameters = lookup.parameters.map((p) => (p === USAGE_SLOT ? usage : p === IDENTITY_SLOT ? identity : p))
    return { ...lookup, parameters }
  }
  return {
    put: (c) => guarded('insert psk credential', async () => {
      await db.insertInto('psk_credentials').values({
        usage: c.usage,
        identity: c.identity,
        key_sealed: sealFor(ctx.sealer, c.key, pskSealContext(c.usage, c.identity)),
        owner_kind: c.owner.kind,
        owner_ref: c.owner.ref,
        bound_entity_kind: c.boundEntity?.kind ?? null,
        bound_entity_ids_json: encodeList(c.boundEntity?.ids ?? []),
        credential_id: c.credentialId ?? null,
        suid: c.suid ?? null,
        expires_at: c.expiresAt === undefined ? null : toMs(c.expiresAt),
        revoked_at: null,
        created_at: toMs(ctx.clock()),
      }).execute()
    }),
    find: (usage, identity, now) => guarded('read psk credential', async () => {
      const row = (await db.executeQuery(lookupQuery(usage, identity))).rows[0]
      if (row === undefined) return { ok: false, refusal: 'unknown-identity' } as const
      if (row.revoked_at !== null && Number(row.revoked_at) <= toMs(now)) return { ok: false, refusal: 'revoked' } as const
      // OQ-28: an expired key fails the handshake; at the expiry instant it is already expired.
      if (row.expires_at !== null && Number(row.expires_at) <= toMs(now)) return { ok: false, refusal: 'expired' } as const
      const key = openFrom(ctx.sealer, row.key_sealed, pskSealContext(row.usage, row.identity))
      return { ok: true, credential: { ...describe(row), key } } as const
    }),
    listByOwner: (kind, ref) => guarded('list psk credentials', async () => {
      const rows = await db.selectFrom('psk_credentials').selectAll()
        .where('owner_kind', '=', kind).where('owner_ref', '=', ref).orderBy('identity').execute()
      return rows.map(describe)
    }),
    list: (usage, options = {}) => guarded('list psk credentials', async () => {
      let query = db.selectFrom('psk_credentials').selectAll().where('usage', '=', usage).orderBy('identity').limit(options.limit ?? 100)
      if (options.identity !== undefined) query = query.where('identity', '=', options.identity)
      if (options.afterIdentity !== undefined) query = query.where('identity', '>', options.afterIdentity)
      const rows = await query.execute()
      return rows.map((row) => ({ ...describe(row), ...(row.revoked_at === null ? {} : { revokedAt: fromMs(row.revoked_at) }) }))
    }),
    revokeByOwner: (kind, ref, at) => guarded('revoke psk credentials', async () => {
      const result = await db.updateTable('psk_credentials').set({ revoked_at: at === null ? null : toMs(at) })
        .where('owner_kind', '=', kind).where('owner_ref', '=', ref).executeTakeFirst()
      return Number(result.numUpdatedRows)
    }),
    deleteByOwner: (kind, ref) => guarded('delete psk credentials', async () => {
      const result = await db.deleteFrom('psk_credentials').where('owner_kind', '=', kind).where('owner_ref', '=', ref).executeTakeFirst()
      return Number(result.numDeletedRows)
    }),
    delete: (usage, identity) => guarded('delete psk credential', async () => {
      const result = await db.deleteFrom('psk_credentials').where('usage', '=', usage).where('identity', '=', identity).executeTakeFirst()
      if (Number(result.numDeletedRows) === 0) {
        throw new StoreError('M2MSEC_STORE_NOT_FOUND', 'not-found', `no ${usage} psk credential ${identity}`)
      }
    }),
    deleteExpired: (now) => guarded('delete expired psk credentials', async () => {
      const result = await db.deleteFrom('psk_credentials').where('expires_at', '<=', toMs(now)).executeTakeFirst()
      return Number(result.numDeletedRows)
    }),
  }
}

