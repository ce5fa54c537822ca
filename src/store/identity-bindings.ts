/**
 * Credential-ID → CSE-ID / AE-ID(s) bindings an Entity B resolves after a handshake
 * (frameworks.md §4.3 step 2, §18 Entity B row): configured by the M2M SP, delivered by the
 * MEF with a fetched key (Enrolee-ID, §10.5 f) or by the MAF (Source MAF Client ID, §7.2 step
 * 5), or assigned by B itself. Credential-IDs are compared exactly (OQ-2 normalises them first).
 */
import type { RepoContext } from './context.js'
import { StoreError } from './errors.js'
import { guarded } from './guard.js'
import type { EntityKind } from './psk-credentials.js'
import { decodeList, decodeLiteral, encodeList, fromMs, toMs } from './row-codec.js'
import type { IdentityBindingRow } from './schema.js'

export type BindingSource = 'configured' | 'mef' | 'maf' | 'assigned'
const SOURCES: readonly BindingSource[] = ['configured', 'mef', 'maf', 'assigned']
const KINDS: readonly EntityKind[] = ['cse', 'ae']

export interface IdentityBinding {
  readonly credentialId: string
  readonly entityKind: EntityKind
  /** One Absolute CSE-ID, or the allowed Absolute AE-IDs (frameworks.md §4.2). */
  readonly entityIds: readonly string[]
  readonly source: BindingSource
  readonly expiresAt?: Date
}

export interface IdentityBindingRecord extends IdentityBinding {
  readonly createdAt: Date
}

export interface IdentityBindingRepo {
  /** Inserts or replaces the binding of `credentialId`. */
  put(binding: IdentityBinding): Promise<void>
  /** Undefined when unknown or expired at `now`. */
  find(credentialId: string, now: Date): Promise<IdentityBindingRecord | undefined>
  list(options?: { readonly afterCredentialId?: string; readonly limit?: number }): Promise<readonly IdentityBindingRecord[]>
  /** @throws StoreError M2MSEC_STORE_NOT_FOUND */
  delete(credentialId: string): Promise<void>
}

function decode(row: IdentityBindingRow): IdentityBindingRecord {
  return {
    credentialId: row.credential_id,
    entityKind: decodeLiteral(row.entity_kind, KINDS, 'identity_bindings.entity_kind'),
    entityIds: decodeList(row.entity_ids_json, 'identity_bindings.entity_ids_json'),
    source: decodeLiteral(row.source, SOURCES, 'identity_bindings.source'),
    ...(row.expires_at === null ? {} : { expiresAt: fromMs(row.expires_at) }),
    createdAt: fromMs(row.created_at),
  }
}

export function identityBindingRepo(ctx: RepoContext): IdentityBindingRepo {
  const { db } = ctx
  return {
    put: (b) => guarded('write identity binding', async () => {
      const values = {
        entity_kind: b.entityKind, entity_ids_json: encodeList(b.entityIds), source: b.source,
        expires_at: b.expiresAt === undefined ? null : toMs(b.expiresAt),
      }
      await db.insertInto('identity_bindings').values({ credential_id: b.credentialId, created_at: toMs(ctx.clock()), ...values })
        .onConflict((oc) => oc.column('credential_id').doUpdateSet(values)).execute()
    }),
    find: (credentialId, now) => guarded('read identity binding', async () => {
      const row = await db.selectFrom('identity_bindings').selectAll().where('credential_id', '=', credentialId)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', toMs(now))])).executeTakeFirst()
      return row === undefined ? undefined : decode(row)
    }),
    list: (options = {}) => guarded('list identity bindings', async () => {
      let query = db.selectFrom('identity_bindings').selectAll().orderBy('credential_id').limit(options.limit ?? 100)
      if (options.afterCredentialId !== undefined) query = query.where('credential_id', '>', options.afterCredentialId)
      return (await query.execute()).map(decode)
    }),
    delete: (credentialId) => guarded('delete identity binding', async () => {
      const result = await db.deleteFrom('identity_bindings').where('credential_id', '=', credentialId).executeTakeFirst()
      if (Number(result.numDeletedRows) === 0) throw new StoreError('M2MSEC_STORE_NOT_FOUND', 'not-found', `no identity binding ${credentialId}`)
    }),
  }
}
