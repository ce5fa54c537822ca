/**
 * Joins the audit chain (chain.ts) to the store's audit rows (audit-events.ts): the linker the
 * store's `append` takes, the row → chained-event mapping, and a paged reader for
 * `m2msec audit verify` (issue 4 "audit log ... `m2msec audit verify` checks the chain").
 *
 * A row's `subject_json` is parsed and re-canonicalised rather than hashed as stored text, so
 * the hash does not depend on how a driver or a JSON column type orders keys.
 */
import type { AuditEventFields, AuditEventRecord, AuditLinker, AuditRepo } from '../audit-events.js'
import { decodeJsonObject } from '../row-codec.js'
import { auditEventHash, normaliseAuditHash, sha256AuditLink } from './chain.js'
import type { AuditChainHead, AuditEvent, AuditLink, ChainedAuditEvent } from './chain.js'

function eventOfFields(fields: AuditEventFields): AuditEvent {
  return {
    seq: fields.seq,
    time: fields.at.getTime(),
    actor: fields.actor,
    action: fields.action,
    subject: decodeJsonObject(fields.subjectJson, 'audit_events.subject_json'),
    outcome: fields.outcome,
  }
}

/** The AuditLinker the store's `audit.append` takes. @throws StoreError M2MSEC_STORE_CORRUPT */
export function auditLinker(link: AuditLink = sha256AuditLink): AuditLinker {
  return (prevHash, fields) => auditEventHash(prevHash, eventOfFields(fields), link)
}

/** A stored row as the chain sees it. */
export function toChainedAuditEvent(record: AuditEventRecord): ChainedAuditEvent {
  return {
    seq: record.seq,
    time: record.at.getTime(),
    actor: record.actor,
    action: record.action,
    subject: record.subject,
    outcome: record.outcome,
    prevHash: record.prevHash,
    hash: record.hash,
  }
}

/** Every stored event in seq order, read page by page (memory stays flat on a long log). */
export async function* readAuditChain(repo: Pick<AuditRepo, 'list'>, pageSize = 1000): AsyncGenerator<ChainedAuditEvent> {
  let afterSeq = 0
  for (;;) {
    const page = await repo.list({ afterSeq, limit: pageSize })
    for (const record of page) yield toChainedAuditEvent(record)
    const last = page.at(-1)
    if (last === undefined || page.length < pageSize) return
    afterSeq = last.seq
  }
}

/**
 * The store's head row as a chain anchor: a deleted tail event whose head row was left alone
 * shows as 'truncated'. `undefined` for an empty log.
 */
export async function storedAuditHead(repo: Pick<AuditRepo, 'head'>): Promise<AuditChainHead | undefined> {
  const head = await repo.head()
  return head.lastSeq === 0 ? undefined : { seq: head.lastSeq, hash: normaliseAuditHash(head.lastHash) }
}

/** What `m2msec audit verify` reads (structurally its AuditEventSource), built from a store's audit repo. */
export function auditEventSource(
  repo: Pick<AuditRepo, 'list' | 'head'>,
  options: { readonly link?: AuditLink; readonly close?: () => Promise<void> } = {},
): {
  listAuditEvents(): AsyncIterable<ChainedAuditEvent>
  storedHead(): Promise<AuditChainHead | undefined>
  readonly auditLink?: AuditLink
  close(): Promise<void>
} {
  return {
    listAuditEvents: () => readAuditChain(repo),
    storedHead: () => storedAuditHead(repo),
    ...(options.link === undefined ? {} : { auditLink: options.link }),
    close: options.close ?? (async () => undefined),
  }
}
