/**
 * Append-only audit log rows (issue 4 "Audit log"). The hash chain itself is custody's
 * (src/store/audit/): `append` takes the function that links an event to its predecessor, and
 * stores seq, prev_hash and hash beside the event. Appends are serialised by one UPDATE on the
 * single `audit_head` row: on PostgreSQL its row lock queues concurrent appenders, so sequence
 * numbers are gap-free and each event's prev_hash is the hash committed just before it. The
 * head also remembers the last hash, so a deleted tail event is detectable.
 */
import type { RepoContext } from './context.js'
import { StoreError } from './errors.js'
import { guarded } from './guard.js'
import { decodeJsonObject, encodeJson, fromMs, toMs } from './row-codec.js'
import type { JsonValue } from './row-codec.js'
import type { AuditEventRow } from './schema.js'

export interface AuditEventInput {
  readonly at?: Date
  readonly actor: string
  readonly action: string
  /** Identifiers the event is about (KeID, AE-ID, …); never key material. */
  readonly subject: { readonly [key: string]: JsonValue }
  readonly outcome: string
}

/** The fields that are hashed, exactly as stored (subject as its stored JSON text). */
export interface AuditEventFields {
  readonly seq: number
  readonly at: Date
  readonly actor: string
  readonly action: string
  readonly subjectJson: string
  readonly outcome: string
}

export interface AuditEventRecord extends AuditEventFields {
  readonly subject: { readonly [key: string]: JsonValue }
  readonly prevHash: string
  readonly hash: string
}

/** Computes the hash of `event` chained after `prevHash` ('' before the first event). */
export type AuditLinker = (prevHash: string, event: AuditEventFields) => string

export interface AuditHead {
  readonly lastSeq: number
  readonly lastHash: string
}

export interface AuditRepo {
  append(event: AuditEventInput, link: AuditLinker): Promise<AuditEventRecord>
  /** Events with seq > afterSeq, ascending. */
  list(options?: { readonly afterSeq?: number; readonly limit?: number }): Promise<readonly AuditEventRecord[]>
  head(): Promise<AuditHead>
}

function decode(row: AuditEventRow): AuditEventRecord {
  return {
    seq: Number(row.seq), at: fromMs(row.at), actor: row.actor, action: row.action,
    subjectJson: row.subject_json, subject: decodeJsonObject(row.subject_json, 'audit_events.subject_json'),
    outcome: row.outcome, prevHash: row.prev_hash, hash: row.hash,
  }
}

export function auditRepo(ctx: RepoContext): AuditRepo {
  const { db } = ctx
  return {
    append: (event, link) => guarded('append audit event', async () => {
      const head = await db.updateTable('audit_head').set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
        .where('id', '=', 1).returning(['last_seq', 'last_hash']).executeTakeFirst()
      if (head === undefined) throw new StoreError('M2MSEC_STORE_CORRUPT', 'internal', 'audit_head row is missing')
      // Millisecond precision, as stored: the hash must be recomputable from the row.
      const fields: AuditEventFields = {
        seq: Number(head.last_seq), at: fromMs(toMs(event.at ?? ctx.clock())), actor: event.actor,
        action: event.action, subjectJson: encodeJson(event.subject), outcome: event.outcome,
      }
      const hash = link(head.last_hash, fields)
      await db.insertInto('audit_events').values({
        seq: fields.seq, at: toMs(fields.at), actor: fields.actor, action: fields.action,
        subject_json: fields.subjectJson, outcome: fields.outcome, prev_hash: head.last_hash, hash,
      }).execute()
      await db.updateTable('audit_head').set({ last_hash: hash }).where('id', '=', 1).execute()
      return { ...fields, subject: event.subject, prevHash: head.last_hash, hash }
    }),
    list: (options = {}) => guarded('list audit events', async () => {
      const rows = await db.selectFrom('audit_events').selectAll().where('seq', '>', options.afterSeq ?? 0)
        .orderBy('seq').limit(options.limit ?? 1000).execute()
      return rows.map(decode)
    }),
    head: () => guarded('read audit head', async () => {
      const row = await db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirst()
      if (row === undefined) throw new StoreError('M2MSEC_STORE_CORRUPT', 'internal', 'audit_head row is missing')
      return { lastSeq: Number(row.last_seq), lastHash: row.last_hash }
    }),
  }
}
