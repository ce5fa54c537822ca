/**
 * Enrolees known to an MEF (frameworks.md §10.1 "MEF instruction config", §11, §12.2, §18 MEF
 * row): how the enrolee authenticates (pre-provisioned KpmID/Kpm, certificate information, or a
 * GBA IMPI), the Enrolee-ID (CSE-ID/AE-ID) handed to Enrolment Targets with a key, which
 * Targets may fetch keys for it with which SUID (§10.5 e ii), the Enrolment Expiry policy, and
 * active/revoked status. A PPSK Kpm lives in psk_credentials (usage 'mef') so the MEF Handshake
 * reads one table; creating, revoking and deleting an enrolee keep both in step.
 */
import type { SecretBytes } from '../core/index.js'
import type { RepoContext } from './context.js'
import { StoreError } from './errors.js'
import { guarded } from './guard.js'
import { identifierAllocator, randomPrefixedId } from './identifiers.js'
import { pskCredentialRepo } from './psk-credentials.js'
import { decodeJsonObject, decodeLiteral, encodeJson, fromMs, toMs } from './row-codec.js'
import type { JsonValue } from './row-codec.js'
import type { EnroleeRow, EnroleeTargetRow } from './schema.js'

export type EnroleeCredential =
  | { readonly kind: 'psk'; readonly kpmId: string; readonly kpm: SecretBytes }
  | { readonly kind: 'certificate'; readonly trustAnchorPem: string; readonly expectedIdentity: string }
  | { readonly kind: 'gba'; readonly impi: string }
export type EnroleeCredentialKind = EnroleeCredential['kind']
const CREDENTIAL_KINDS: readonly EnroleeCredentialKind[] = ['psk', 'certificate', 'gba']
export type EnroleeStatus = 'active' | 'revoked'
const STATUSES: readonly EnroleeStatus[] = ['active', 'revoked']

export interface EnrolmentTarget {
  /** Enrolment Target identity: CSE-ID, AE-ID or MAF-ID (FQDN). */
  readonly targetId: string
  readonly suid: number
  /** Lifetime of keys fetched by this Target (§10.5 e v); absent = the enrolment's expiry. */
  readonly keyLifetimeMs?: number
}

export interface NewEnrolee {
  readonly credential: EnroleeCredential
  /** The Enrolee-ID (Absolute CSE-ID/AE-ID) given to Targets with the key. */
  readonly enroleeId?: string
  /** Enrolment Expiry: lifetime of Ke from enrolment (frameworks.md §10.1, OQ-28). */
  readonly enrolmentLifetimeMs: number
  readonly targets: readonly EnrolmentTarget[]
  /** Per-enrolee preferences for the Enrolment Exchange (§10.4 step 2), free-form JSON. */
  readonly config?: { readonly [key: string]: JsonValue }
}

export interface EnroleeRecord {
  readonly enroleeRef: string
  readonly credentialKind: EnroleeCredentialKind
  /** KpmID, the certificate's expected identity, or the IMPI. */
  readonly credentialIdentity: string
  readonly trustAnchorPem?: string
  readonly enroleeId?: string
  readonly enrolmentLifetimeMs: number
  readonly targets: readonly EnrolmentTarget[]
  readonly config: { readonly [key: string]: JsonValue }
  readonly status: EnroleeStatus
  readonly createdAt: Date
  readonly updatedAt: Date
}

export interface EnroleeUpdate {
  readonly enroleeId?: string | null
  readonly enrolmentLifetimeMs?: number
  readonly targets?: readonly EnrolmentTarget[]
  readonly config?: { readonly [key: string]: JsonValue }
}

export interface EnroleeRepo {
  /** @throws StoreError M2MSEC_STORE_CONFLICT when the credential identity (KpmID, …) is taken. */
  create(enrolee: NewEnrolee): Promise<EnroleeRecord>
  get(enroleeRef: string): Promise<EnroleeRecord | undefined>
  findByCredential(kind: EnroleeCredentialKind, identity: string): Promise<EnroleeRecord | undefined>
  list(options?: { readonly afterRef?: string; readonly limit?: number }): Promise<readonly EnroleeRecord[]>
  /** @throws StoreError M2MSEC_STORE_NOT_FOUND */
  update(enroleeRef: string, update: EnroleeUpdate): Promise<EnroleeRecord>
  /** Revoking also revokes the enrolee's Kpm at once. @throws StoreError M2MSEC_STORE_NOT_FOUND */
  setStatus(enroleeRef: string, status: EnroleeStatus): Promise<void>
  /** Deletes the enrolee, its Kpm and its enrolments. @throws StoreError M2MSEC_STORE_NOT_FOUND */
  delete(enroleeRef: string): Promise<void>
}

function credentialIdentity(c: EnroleeCredential): string {
  switch (c.kind) {
    case 'psk': return c.kpmId
    case 'certificate': return c.expectedIdentity
    case 'gba': return c.impi
  }
}

function notFound(ref: string): StoreError {
  return new StoreError('M2MSEC_STORE_NOT_FOUND', 'not-found', `no enrolee ${ref}`)
}

function decode(row: EnroleeRow, targets: readonly EnroleeTargetRow[]): EnroleeRecord {
  return {
    enroleeRef: row.enrolee_ref,
    credentialKind: decodeLiteral(row.credential_kind, CREDENTIAL_KINDS, 'enrolees.credential_kind'),
    credentialIdentity: row.credential_identity,
    ...(row.trust_anchor_pem === null ? {} : { trustAnchorPem: row.trust_anchor_pem }),
    ...(row.enrolee_id === null ? {} : { enroleeId: row.enrolee_id }),
    enrolmentLifetimeMs: Number(row.enrolment_lifetime_ms),
    targets: targets.map((t) => ({
      targetId: t.target_id,
      suid: Number(t.suid),
      ...(t.key_lifetime_ms === null ? {} : { keyLifetimeMs: Number(t.key_lifetime_ms) }),
    })),
    config: decodeJsonObject(row.config_json, 'enrolees.config_json'),
    status: decodeLiteral(row.status, STATUSES, 'enrolees.status'),
    createdAt: fromMs(row.created_at),
    updatedAt: fromMs(row.updated_at),
  }
}

export function enroleeRepo(ctx: RepoContext): EnroleeRepo {
  const { db } = ctx
  const psks = pskCredentialRepo(ctx)

  const load = async (rows: readonly EnroleeRow[]): Promise<EnroleeRecord[]> => {
    if (rows.length === 0) return []
    const targets = await db.selectFrom('enrolee_targets').selectAll()
      .where('enrolee_ref', 'in', rows.map((r) => r.enrolee_ref))
      .orderBy('enrolee_ref').orderBy('target_id').orderBy('suid').execute()
    return rows.map((r) => decode(r, targets.filter((t) => t.enrolee_ref === r.enrolee_ref)))
  }
  const get = async (ref: string): Promise<EnroleeRecord | undefined> => {
    const row = await db.selectFrom('enrolees').selectAll().where('enrolee_ref', '=', ref).executeTakeFirst()
    return row === undefined ? undefined : (await load([row]))[0]
  }
  const writeTargets = async (ref: string, targets: readonly EnrolmentTarget[]): Promise<void> => {
    await db.deleteFrom('enrolee_targets').where('enrolee_ref', '=', ref).execute()
    if (targets.length === 0) return
    await db.insertInto('enrolee_targets').values(targets.map((t) => ({
      enrolee_ref: ref, target_id: t.targetId, suid: t.suid, key_lifetime_ms: t.keyLifetimeMs ?? null,
    }))).execute()
  }

  return {
    create: (e) => guarded('insert enrolee', async () => {
      const ref = await identifierAllocator(ctx).allocate({ scope: 'enrolee', kind: 'enrolee', generate: () => randomPrefixedId('enr') })
      const now = toMs(ctx.clock())
      await db.insertInto('enrolees').values({
        enrolee_ref: ref,
        credential_kind: e.credential.kind,
        credential_identity: credentialIdentity(e.credential),
        trust_anchor_pem: e.credential.kind === 'certificate' ? e.credential.trustAnchorPem : null,
        enrolee_id: e.enroleeId ?? null,
        enrolment_lifetime_ms: e.enrolmentLifetimeMs,
        config_json: encodeJson(e.config ?? {}),
        status: 'active',
        created_at: now,
        updated_at: now,
      }).execute()
      await writeTargets(ref, e.targets)
      if (e.credential.kind === 'psk') {
        await psks.put({ usage: 'mef', identity: e.credential.kpmId, key: e.credential.kpm, owner: { kind: 'enrolee', ref }, credentialId: `10-${e.credential.kpmId}` })
      }
      const record = await get(ref)
      if (record === undefined) throw notFound(ref)
      return record
    }),
    get: (ref) => guarded('read enrolee', () => get(ref)),
    findByCredential: (kind, identity) => guarded('read enrolee', async () => {
      const row = await db.selectFrom('enrolees').selectAll()
        .where('credential_kind', '=', kind).where('credential_identity', '=', identity).executeTakeFirst()
      return row === undefined ? undefined : (await load([row]))[0]
    }),
    list: (options = {}) => guarded('list enrolees', async () => {
      let query = db.selectFrom('enrolees').selectAll().orderBy('enrolee_ref').limit(options.limit ?? 100)
      if (options.afterRef !== undefined) query = query.where('enrolee_ref', '>', options.afterRef)
      return load(await query.execute())
    }),
    update: (ref, u) => guarded('update enrolee', async () => {
      const result = await db.updateTable('enrolees').set({
        updated_at: toMs(ctx.clock()),
        ...(u.enroleeId === undefined ? {} : { enrolee_id: u.enroleeId }),
        ...(u.enrolmentLifetimeMs === undefined ? {} : { enrolment_lifetime_ms: u.enrolmentLifetimeMs }),
        ...(u.config === undefined ? {} : { config_json: encodeJson(u.config) }),
      }).where('enrolee_ref', '=', ref).executeTakeFirst()
      if (Number(result.numUpdatedRows) === 0) throw notFound(ref)
      if (u.targets !== undefined) await writeTargets(ref, u.targets)
      const record = await get(ref)
      if (record === undefined) throw notFound(ref)
      return record
    }),
    setStatus: (ref, status) => guarded('update enrolee status', async () => {
      const now = ctx.clock()
      const result = await db.updateTable('enrolees').set({ status, updated_at: toMs(now) }).where('enrolee_ref', '=', ref).executeTakeFirst()
      if (Number(result.numUpdatedRows) === 0) throw notFound(ref)
      await psks.revokeByOwner('enrolee', ref, status === 'revoked' ? now : null)
    }),
    delete: (ref) => guarded('delete enrolee', async () => {
      await psks.deleteByOwner('enrolee', ref)
      // Explicit child deletes (not only ON DELETE CASCADE) so the result is the same whatever
      // the engine's foreign-key setting.
      await db.deleteFrom('enrolments').where('enrolee_ref', '=', ref).execute()
      await db.deleteFrom('enrolee_targets').where('enrolee_ref', '=', ref).execute()
      const result = await db.deleteFrom('enrolees').where('enrolee_ref', '=', ref).executeTakeFirst()
      if (Number(result.numDeletedRows) === 0) throw notFound(ref)
    }),
  }
}
