/**
 * Enrolments: the Enrolment Key Ke and its KeID produced by an RSPF (frameworks.md §10.3: KeID
 * = hexBinary(RelativeKeID)@MEF-FQDN, §12.4 for GBA: KeID = B-TID), with the Enrolment Expiry,
 * for the enrolee it authenticated. The MEF reads one by KeID to serve fetchCredentials
 * (§10.5 e i). The RelativeKeID is reserved in the MEF's identifier namespace (OQ-35), so it can
 * never equal a RelativeKeyID of a key registration, nor repeat after deletion.
 */
import type { SecretBytes } from '../core/index.js'
import type { RepoContext } from './context.js'
import { StoreError } from './errors.js'
import { guarded } from './guard.js'
import { identifierAllocator, normaliseKeyIdentifier } from './identifiers.js'
import { fromMs, toMs } from './row-codec.js'
import type { EnrolmentRow } from './schema.js'
import { openFrom, sealFor } from './sealing.js'

export interface NewEnrolment {
  /** The KeID as derived (`RelativeKeID@MEF-FQDN`); stored normalised (OQ-2). */
  readonly keId: string
  readonly enroleeRef: string
  readonly ke: SecretBytes
  readonly expiresAt: Date
}

export interface EnrolmentSummary {
  readonly keId: string
  readonly mefFqdn: string
  readonly relativeKeId: string
  readonly enroleeRef: string
  readonly expiresAt: Date
  readonly createdAt: Date
}

export interface EnrolmentRecord extends EnrolmentSummary {
  readonly ke: SecretBytes
}

export interface EnrolmentRepo {
  /**
   * @throws StoreError M2MSEC_STORE_CONFLICT when the RelativeKeID was ever issued by this MEF;
   * M2MSEC_STORE_NOT_FOUND when the enrolee does not exist.
   */
  create(enrolment: NewEnrolment): Promise<EnrolmentSummary>
  /** Undefined when unknown or expired at `now`. */
  find(keId: string, now: Date): Promise<EnrolmentRecord | undefined>
  listByEnrolee(enroleeRef: string, now: Date): Promise<readonly EnrolmentSummary[]>
  /** @throws StoreError M2MSEC_STORE_NOT_FOUND */
  delete(keId: string): Promise<void>
  deleteExpired(now: Date): Promise<number>
}

export function enrolmentSealContext(keId: string): { table: string; recordId: string; purpose: string } {
  return { table: 'enrolments', recordId: keId, purpose: 'ke' }
}

function summary(row: EnrolmentRow): EnrolmentSummary {
  return {
    keId: row.ke_id,
    mefFqdn: row.mef_fqdn,
    relativeKeId: row.relative_ke_id,
    enroleeRef: row.enrolee_ref,
    expiresAt: fromMs(row.expires_at),
    createdAt: fromMs(row.created_at),
  }
}

export function canonicalKeId(keId: string): { keId: string; relative: string; fqdn: string } {
  const { relative, fqdn } = normaliseKeyIdentifier(keId)
  return { keId: `${relative}@${fqdn}`, relative, fqdn }
}

export function enrolmentRepo(ctx: RepoContext): EnrolmentRepo {
  const { db } = ctx
  return {
    create: (e) => guarded('insert enrolment', async () => {
      const id = canonicalKeId(e.keId)
      const enrolee = await db.selectFrom('enrolees').select('enrolee_ref').where('enrolee_ref', '=', e.enroleeRef).executeTakeFirst()
      if (enrolee === undefined) throw new StoreError('M2MSEC_STORE_NOT_FOUND', 'not-found', `no enrolee ${e.enroleeRef}`)
      await identifierAllocator(ctx).reserve(id.fqdn, id.relative, 'relative-ke-id')
      const row: EnrolmentRow = {
        ke_id: id.keId,
        mef_fqdn: id.fqdn,
        relative_ke_id: id.relative,
        enrolee_ref: e.enroleeRef,
        ke_sealed: sealFor(ctx.sealer, e.ke, enrolmentSealContext(id.keId)),
        expires_at: toMs(e.expiresAt),
        created_at: toMs(ctx.clock()),
      }
      await db.insertInto('enrolments').values(row).execute()
      return summary(row)
    }),
    find: (keId, now) => guarded('read enrolment', async () => {
      const id = canonicalKeId(keId)
      const row = await db.selectFrom('enrolments').selectAll()
        .where('ke_id', '=', id.keId).where('expires_at', '>', toMs(now)).executeTakeFirst()
      if (row === undefined) return undefined
      return { ...summary(row), ke: openFrom(ctx.sealer, row.ke_sealed, enrolmentSealContext(row.ke_id)) }
    }),
    listByEnrolee: (ref, now) => guarded('list enrolments', async () => {
      const rows = await db.selectFrom('enrolments').selectAll()
        .where('enrolee_ref', '=', ref).where('expires_at', '>', toMs(now)).orderBy('created_at').orderBy('ke_id').execute()
      return rows.map(summary)
    }),
    delete: (keId) => guarded('delete enrolment', async () => {
      const result = await db.deleteFrom('enrolments').where('ke_id', '=', canonicalKeId(keId).keId).executeTakeFirst()
      if (Number(result.numDeletedRows) === 0) throw new StoreError('M2MSEC_STORE_NOT_FOUND', 'not-found', `no enrolment ${keId}`)
    }),
    deleteExpired: (now) => guarded('delete expired enrolments', async () => {
      const result = await db.deleteFrom('enrolments').where('expires_at', '<=', toMs(now)).executeTakeFirst()
      return Number(result.numDeletedRows)
    }),
  }
}
