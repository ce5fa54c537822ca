/**
 * `/v1/key-registrations` (admin-api.md): key registrations held by the MEF and the MAF
 * (frameworks.md §7.4.6–§7.4.9): metadata only — Key Identifier, SUID, source, targets, expiry.
 * The store's listing returns summaries and the key is never opened; views copy fields one by one.
 */
import type { KeyRegistrationSummary } from '../../../store/index.js'
import { invalidRequest, notFound } from '../errors.js'
import { PAGE_QUERY_PROPERTIES, PAGE_SCHEMA, pageBody, pageOf, pageQuery } from '../pagination.js'
import { NO_CONTENT, RECORD_SCHEMA, responses, writeContext, type AdminRoute } from '../route.js'
import type { AdminRecord } from '../operations.js'

export function keyRegistrationView(k: KeyRegistrationSummary): AdminRecord {
  return {
    keyIdentifier: k.keyIdentifier, issuer: k.issuer, issuerFqdn: k.issuerFqdn, relativeKeyId: k.relativeKeyId, suid: k.suid,
    sourceClientId: k.sourceClientId, ...(k.sourceRegId === undefined ? {} : { sourceRegId: k.sourceRegId }),
    targetIds: [...k.targetIds], labels: [...k.labels], adminFqdn: k.adminFqdn, expiresAt: k.expiresAt, createdAt: k.createdAt, updatedAt: k.updatedAt,
  }
}

const KEY_PARAMS = {
  type: 'object', required: ['issuerFqdn', 'relativeKeyId'], additionalProperties: false,
  properties: { issuerFqdn: { type: 'string', minLength: 1, maxLength: 253 }, relativeKeyId: { type: 'string', minLength: 1, maxLength: 256 } },
} as const

function afterOf(cursor: string): { issuerFqdn: string; relativeKeyId: string } {
  const space = cursor.indexOf(' ')
  if (space <= 0 || space === cursor.length - 1) throw invalidRequest('cursor', 'is not a cursor returned by a previous page')
  return { issuerFqdn: cursor.slice(0, space), relativeKeyId: cursor.slice(space + 1) }
}

export const KEY_REGISTRATION_ROUTES: readonly AdminRoute[] = [
  {
    method: 'GET', url: '/v1/key-registrations',
    schema: {
      summary: 'List key registrations (metadata, never key bytes)', tags: ['registrations'],
      querystring: { type: 'object', additionalProperties: false, properties: { ...PAGE_QUERY_PROPERTIES, issuer: { type: 'string', minLength: 1, maxLength: 253 } } },
      response: responses({ 200: PAGE_SCHEMA }),
    },
    async handle(request, deps) {
      const { limit, cursor } = pageQuery(request.query)
      const issuer = typeof request.query.issuer === 'string' ? { issuerFqdn: request.query.issuer } : {}
      const rows = await deps.store.transaction((tx) => tx.keyRegistrations.list({ ...issuer, limit: limit + 1, ...(cursor === undefined ? {} : { after: afterOf(cursor) }) }))
      const page = pageOf(rows, limit, (r) => `${r.issuerFqdn} ${r.relativeKeyId}`)
      return { status: 200, body: pageBody({ items: page.items.map(keyRegistrationView), ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }) }) }
    },
  },
  {
    method: 'GET', url: '/v1/key-registrations/:issuerFqdn/:relativeKeyId',
    schema: { summary: 'One key registration (metadata)', tags: ['registrations'], params: KEY_PARAMS, response: responses({ 200: RECORD_SCHEMA }) },
    async handle(request, deps) {
      const { issuerFqdn = '', relativeKeyId = '' } = request.params
      const found = await deps.store.transaction((tx) => tx.keyRegistrations.describe(issuerFqdn, relativeKeyId))
      if (found === undefined) throw notFound(`key registration ${relativeKeyId}@${issuerFqdn}`)
      return { status: 200, body: keyRegistrationView(found) }
    },
  },
  {
    method: 'DELETE', url: '/v1/key-registrations/:issuerFqdn/:relativeKeyId',
    schema: { summary: 'De-register a key', tags: ['registrations'], params: KEY_PARAMS, response: responses({ 204: NO_CONTENT }) },
    async handle(request, deps) {
      const { issuerFqdn = '', relativeKeyId = '' } = request.params
      const context = writeContext(request, deps)
      await deps.store.transaction(async (tx) => {
        const found = await tx.keyRegistrations.describe(issuerFqdn, relativeKeyId)
        if (found === undefined) throw notFound(`key registration ${relativeKeyId}@${issuerFqdn}`)
        await tx.keyRegistrations.delete(issuerFqdn, relativeKeyId)
        await tx.audit.append({ at: context.now, actor: context.actor, action: 'key-registration.delete', subject: { keyIdentifier: found.keyIdentifier }, outcome: 'success' }, context.auditLink)
      })
      return { status: 204 }
    },
  },
]
