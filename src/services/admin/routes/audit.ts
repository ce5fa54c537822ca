/**
 * `/v1/audit` (admin-api.md; issue 4 audit log): the hash-chained events in seq order (the cursor
 * is the last seq), and a verification of the whole chain with optional operator anchors — the
 * same check as `m2msec audit verify`, the store's head row included as an anchor.
 */
import { auditEventSource, parseAuditAnchor, verifyAuditChain, type AuditEventRecord } from '../../../store/index.js'
import { invalidRequest } from '../errors.js'
import type { AdminRecord } from '../operations.js'
import { PAGE_QUERY_PROPERTIES, PAGE_SCHEMA, pageBody, pageOf, pageQuery } from '../pagination.js'
import { RECORD_SCHEMA, responses, type AdminRoute } from '../route.js'

function eventView(e: AuditEventRecord): AdminRecord {
  return { seq: e.seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, outcome: e.outcome, prevHash: e.prevHash, hash: e.hash }
}

function afterSeqOf(query: Readonly<Record<string, unknown>>, cursor: string | undefined): number {
  if (cursor !== undefined) {
    if (!/^[0-9]{1,15}$/.test(cursor)) throw invalidRequest('cursor', 'is not a cursor returned by a previous page')
    return Number(cursor)
  }
  return typeof query.afterSeq === 'number' ? query.afterSeq : 0
}

export const AUDIT_ROUTES: readonly AdminRoute[] = [
  {
    method: 'GET', url: '/v1/audit',
    schema: {
      summary: 'Audit events in seq order', tags: ['audit'],
      querystring: { type: 'object', additionalProperties: false, properties: { ...PAGE_QUERY_PROPERTIES, afterSeq: { type: 'integer', minimum: 0 } } },
      response: responses({ 200: PAGE_SCHEMA }),
    },
    async handle(request, deps) {
      const { limit, cursor } = pageQuery(request.query)
      const afterSeq = afterSeqOf(request.query, cursor)
      const rows = await deps.store.transaction((tx) => tx.audit.list({ afterSeq, limit: limit + 1 }))
      const page = pageOf(rows, limit, (e) => String(e.seq))
      return { status: 200, body: pageBody({ items: page.items.map(eventView), ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }) }) }
    },
  },
  {
    method: 'POST', url: '/v1/audit/verify',
    schema: {
      summary: 'Verify the audit hash chain', tags: ['audit'],
      body: { type: 'object', additionalProperties: false, properties: { anchor: { type: 'string', maxLength: 100, description: 'SEQ:HASH as printed by a previous verify' } } },
      response: responses({ 200: RECORD_SCHEMA }),
    },
    async handle(request, deps) {
      const text = (request.body as { readonly anchor?: string } | undefined)?.anchor
      let anchors: { seq: number; hash: string }[] = []
      if (text !== undefined) {
        try {
          anchors = [parseAuditAnchor(text)]
        } catch {
          throw invalidRequest('anchor', 'must be SEQ:HASH')
        }
      }
      const source = auditEventSource({
        list: (o) => deps.store.transaction((tx) => tx.audit.list(o)),
        head: () => deps.store.transaction((tx) => tx.audit.head()),
      })
      const stored = await source.storedHead()
      const result = await verifyAuditChain(source.listAuditEvents(), {
        anchors: stored === undefined ? anchors : [...anchors, stored],
        ...(deps.auditChainLink === undefined ? {} : { link: deps.auditChainLink }),
      })
      return { status: 200, body: result.ok ? { ok: true, count: result.count, head: result.head ?? null } : result }
    },
  },
]
