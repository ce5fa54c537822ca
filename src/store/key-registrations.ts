/**
 * Key registrations held by an MEF or a MAF (frameworks.md §7.4.6–§7.4.9, §15.3; MAF/MEF row of
 * §18): the distributed key (Km, Kpsa/Kc, ESPrim, ESData keys) under its RelativeKeyID, unique
 * per issuer FQDN, with SUID, Source client id, authorised targets, labels, adminFQDN and
 * expiry. Key Identifier = `RelativeKeyID@FQDN` (10.3.5). The RelativeKeyID is reserved in the
 * issuer's identifier namespace, shared with RelativeKeIDs (OQ-35) and never reused.
 */
import type { SecretBytes } from '../core/index.js'
import type { RepoContext } from './context.js'
import { StoreError } from './errors.js'
import { guarded } from './guard.js'
import { identifierAllocator, normaliseKeyIdentifier, randomRelativeKeyId } from './identifiers.js'
import type { Issuer } from './client-registrations.js'
import { decodeList, decodeLiteral, encodeList, fromMs, toMs } from './row-codec.js'
import type { KeyRegistrationRow } from './schema.js'
import { openFrom, sealFor } from './sealing.js'

const ISSUERS: readonly Issuer[] = ['mef', 'maf']

export interface NewKeyRegistration {
  readonly issuer: Issuer
  readonly issuerFqdn: string
  /** hex(KcID) when the key came from the TLS exporter (OQ-12); absent → a fresh random id. */
  readonly relativeKeyId?: string
  readonly key: SecretBytes
  readonly suid: number
  readonly sourceClientId: string
  readonly sourceRegId?: string
  readonly targetIds: readonly string[]
  readonly labels: readonly string[]
  readonly adminFqdn: string
  readonly expiresAt: Date
}

export interface KeyRegistrationSummary {
  readonly keyIdentifier: string
  readonly issuer: Issuer
  readonly issuerFqdn: string
  readonly relativeKeyId: string
  readonly suid: number
  readonly sourceClientId: string
  readonly sourceRegId?: string
  readonly targetIds: readonly string[]
  readonly labels: readonly string[]
  readonly adminFqdn: string
  readonly expiresAt: Date
  readonly createdAt: Date
  readonly updatedAt: Date
}

export interface KeyRegistration extends KeyRegistrationSummary {
  readonly key: SecretBytes
}

export interface KeyRegistrationUpdate {
  readonly expiresAt?: Date
  readonly labels?: readonly string[]
  readonly targetIds?: readonly string[]
}

export interface KeyRegistrationListOptions {
  readonly issuerFqdn?: string
  /** The last (issuerFqdn, relativeKeyId) of the previous page. */
  readonly after?: { readonly issuerFqdn: string; readonly relativeKeyId: string }
  readonly limit?: number
}

export interface KeyRegistrationRepo {
  /** @throws StoreError M2MSEC_STORE_CONFLICT when a given RelativeKeyID was ever issued by this FQDN. */
  create(registration: NewKeyRegistration): Promise<KeyRegistrationSummary>
  /** Undefined when unknown or expired at `now`. */
  find(issuerFqdn: string, relativeKeyId: string, now: Date): Promise<KeyRegistration | undefined>
  listBySource(issuerFqdn: string, sourceClientId: string, now: Date): Promise<readonly KeyRegistrationSummary[]>
  /**
   * Every registration in (issuerFqdn, relativeKeyId) order, expired ones included (admin
   * listings): summaries, the key is never opened.
   */
  list(options?: KeyRegistrationListOptions): Promise<readonly KeyRegistrationSummary[]>
  /** Metadata of one registration, expired or not; undefined when unknown. */
  describe(issuerFqdn: string, relativeKeyId: string): Promise<KeyRegistrationSummary | undefined>
  /** @throws StoreError M2MSEC_STORE_NOT_FOUND (also when expired) */
  update(issuerFqdn: string, relativeKeyId: string, update: KeyRegistrationUpdate, now: Date): Promise<KeyRegistrationSummary>
  /** @throws StoreError M2MSEC_STORE_NOT_FOUND */
  delete(issuerFqdn: string, relativeKeyId: string): Promise<void>
  /** Removes a source client's keys (client de-registration). */
  deleteBySourceRegistration(sourceRegId: string): Promise<number>
  deleteExpired(now: Date): Promise<number>
}

export function keyRegistrationSealContext(keyIdentifier: string): { table: string; recordId: string; purpose: string } {
  return { table: 'key_registrations', recordId: keyIdentifier, purpose: 'key' }
}

function summary(row: KeyRegistrationRow): KeyRegistrationSummary {
  return {
    keyIdentifier: `${row.relative_key_id}@${row.issuer_fqdn}`,
    issuer: decodeLiteral(row.issuer, ISSUERS, 'key_registrations.issuer'),
    issuerFqdn: row.issuer_fqdn,
    relativeKeyId: row.relative_key_id,
    suid: Number(row.suid),
    sourceClientId: row.source_client_id,
    ...(row.source_reg_id === null ? {} : { sourceRegId: row.source_reg_id }),
    targetIds: decodeList(row.target_ids_json, 'key_registrations.target_ids_json'),
    labels: decodeList(row.labels_json, 'key_registrations.labels_json'),
    adminFqdn: row.admin_fqdn,
    expiresAt: fromMs(row.expires_at),
    createdAt: fromMs(row.created_at),
    updatedAt: fromMs(row.updated_at),
  }
}

function canonical(issuerFqdn: string, relativeKeyId: string): { fqdn: string; relative: string } {
  return normaliseKeyIdentifier(`${relativeKeyId}@${issuerFqdn}`)
}

function notFound(fqdn: string, relative: string): StoreError {
  return new StoreError('M2MSEC_STORE_NOT_FOUND', 'not-found', `no key registration ${relative}@${fqdn}`)
}

export function keyRegistrationRepo(ctx: RepoContext): KeyRegistrationRepo {
  const { db } = ctx
  const select = (fqdn: string, relative: string, now: Date) => db.selectFrom('key_registrations').selectAll()
    .where('issuer_fqdn', '=', fqdn).where('relative_key_id', '=', relative).where('expires_at', '>', toMs(now))

  return {
    create: (r) => guarded('insert key registration', async () => {
      const fqdn = r.issuerFqdn.toLowerCase()
      const ids = identifierAllocator(ctx)
      let relative: string
      if (r.relativeKeyId === undefined) {
        relative = await ids.allocate({ scope: fqdn, kind: 'relative-key-id', generate: randomRelativeKeyId })
      } else {
        relative = canonical(fqdn, r.relativeKeyId).relative
        await ids.reserve(fqdn, relative, 'relative-key-id')
      }
      const keyIdentifier = `${relative}@${fqdn}`
      const now = toMs(ctx.clock())
      const row: KeyRegistrationRow = {
        issuer_fqdn: fqdn, relative_key_id: relative, issuer: r.issuer,
        key_sealed: sealFor(ctx.sealer, r.key, keyRegistrationSealContext(keyIdentifier)),
        suid: r.suid, source_client_id: r.sourceClientId, source_reg_id: r.sourceRegId ?? null,
        target_ids_json: encodeList(r.targetIds), labels_json: encodeList(r.labels), admin_fqdn: r.adminFqdn,
        expires_at: toMs(r.expiresAt), created_at: now, updated_at: now,
      }
      await db.insertInto('key_registrations').values(row).execute()
      return summary(row)
    }),
    find: (issuerFqdn, relativeKeyId, now) => guarded('read key registration', async () => {
      const id = canonical(issuerFqdn, relativeKeyId)
      const row = await select(id.fqdn, id.relative, now).executeTakeFirst()
      if (row === undefined) return undefined
      const s = summary(row)
      return { ...s, key: openFrom(ctx.sealer, row.key_sealed, keyRegistrationSealContext(s.keyIdentifier)) }
    }),
    listBySource: (issuerFqdn, sourceClientId, now) => guarded('list key registrations', async () => {
      const rows = await db.selectFrom('key_registrations').selectAll()
        .where('issuer_fqdn', '=', issuerFqdn.toLowerCase()).where('source_client_id', '=', sourceClientId)
        .where('expires_at', '>', toMs(now)).orderBy('relative_key_id').execute()
      return rows.map(summary)
    }),
    list: (options = {}) => guarded('list key registrations', async () => {
      let query = db.selectFrom('key_registrations').selectAll().orderBy('issuer_fqdn').orderBy('relative_key_id').limit(options.limit ?? 100)
      if (options.issuerFqdn !== undefined) query = query.where('issuer_fqdn', '=', options.issuerFqdn.toLowerCase())
      const after = options.after
      if (after !== undefined) {
        query = query.where((eb) => eb.or([
          eb('issuer_fqdn', '>', after.issuerFqdn),
          eb.and([eb('issuer_fqdn', '=', after.issuerFqdn), eb('relative_key_id', '>', after.relativeKeyId)]),
        ]))
      }
      return (await query.execute()).map(summary)
    }),
    describe: (issuerFqdn, relativeKeyId) => guarded('read key registration', async () => {
      const id = canonical(issuerFqdn, relativeKeyId)
      const row = await select(id.fqdn, id.relative, new Date(0)).executeTakeFirst()
      return row === undefined ? undefined : summary(row)
    }),
    update: (issuerFqdn, relativeKeyId, u, now) => guarded('update key registration', async () => {
      const id = canonical(issuerFqdn, relativeKeyId)
      const result = await db.updateTable('key_registrations').set({
        updated_at: toMs(ctx.clock()),
        ...(u.expiresAt === undefined ? {} : { expires_at: toMs(u.expiresAt) }),
        ...(u.labels === undefined ? {} : { labels_json: encodeList(u.labels) }),
        ...(u.targetIds === undefined ? {} : { target_ids_json: encodeList(u.targetIds) }),
      }).where('issuer_fqdn', '=', id.fqdn).where('relative_key_id', '=', id.relative)
        .where('expires_at', '>', toMs(now)).executeTakeFirst()
      if (Number(result.numUpdatedRows) === 0) throw notFound(id.fqdn, id.relative)
      const row = await select(id.fqdn, id.relative, new Date(0)).executeTakeFirst()
      if (row === undefined) throw notFound(id.fqdn, id.relative)
      return summary(row)
    }),
    delete: (issuerFqdn, relativeKeyId) => guarded('delete key registration', async () => {
      const id = canonical(issuerFqdn, relativeKeyId)
      const result = await db.deleteFrom('key_registrations')
        .where('issuer_fqdn', '=', id.fqdn).where('relative_key_id', '=', id.relative).executeTakeFirst()
      if (Number(result.numDeletedRows) === 0) throw notFound(id.fqdn, id.relative)
    }),
    deleteBySourceRegistration: (sourceRegId) => guarded('delete key registrations', async () => {
      const result = await db.deleteFrom('key_registrations').where('source_reg_id', '=', sourceRegId).executeTakeFirst()
      return Number(result.numDeletedRows)
    }),
    deleteExpired: (now) => guarded('delete expired key registrations', async () => {
      const result = await db.deleteFrom('key_registrations').where('expires_at', '<=', toMs(now)).executeTakeFirst()
      return Number(result.numDeletedRows)
    }),
  }
}
