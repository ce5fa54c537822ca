/**
 * `/v1/client-registrations` (admin-api.md): MEF and MAF client registrations (frameworks.md
 * §7.4.2–§7.4.5, §15.3) read straight from the store — metadata, no service policy — and
 * de-registration. Views copy fields one by one: an assigned key is named by its id, never
 * carried (the store does not return it either).
 */
import type { ClientRegistration } from '../../../store/index.js'
import { notFound } from '../errors.js'
import { PAGE_QUERY_PROPERTIES, PAGE_SCHEMA, pageBody, pageOf, pageQuery } from '../pagination.js'
import { NO_CONTENT, RECORD_SCHEMA, responses, stringParam, writeContext, type AdminRoute } from '../route.js'
import type { AdminRecord } from '../operations.js'

export function clientRegistrationView(r: ClientRegistration): AdminRecord {
  return {
    regId: r.regId, issuer: r.issuer, serverFqdn: r.serverFqdn, clientId: r.clientId, credentialId: r.credentialId,
    adminFqdn: r.adminFqdn, labels: [...r.labels], ...(r.assignedKeyId === undefined ? {} : { assignedKeyId: r.assignedKeyId }),
    ...(r.command === undefined ? {} : { command: { cmdId: r.command.cmdId, status: r.command.status } }),
    expiresAt: r.expiresAt, createdAt: r.createdAt, updatedAt: r.updatedAt,
  }
}

const REG_ID = stringParam('regId', 64)

export const CLIENT_REGISTRATION_ROUTES: readonly AdminRoute[] = [
  {
    method: 'GET', url: '/v1/client-registrations',
    schema: {
      summary: 'List MEF/MAF client registrations (metadata)', tags: ['registrations'],
      querystring: { type: 'object', additionalProperties: false, properties: { ...PAGE_QUERY_PROPERTIES, issuer: { type: 'string', enum: ['mef', 'maf'] } } },
      response: responses({ 200: PAGE_SCHEMA }),
    },
    async handle(request, deps) {
      const { limit, cursor } = pageQuery(request.query)
      const issuer = request.query.issuer === 'mef' || request.query.issuer === 'maf' ? { issuer: request.query.issuer as 'mef' | 'maf' } : {}
      const rows = await deps.store.transaction((tx) => tx.clientRegistrations.list({ ...issuer, limit: limit + 1, ...(cursor === undefined ? {} : { afterRegId: cursor }) }))
      const page = pageOf(rows, limit, (r) => r.regId)
      return { status: 200, body: pageBody({ items: page.items.map(clientRegistrationView), ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }) }) }
    },
  },
  {
    method: 'GET', url: '/v1/client-registrations/:regId',
    schema: { summary: 'One client registration', tags: ['registrations'], params: REG_ID, response: responses({ 200: RECORD_SCHEMA }) },
    async handle(request, deps) {
      const regId = request.params.regId ?? ''
      const found = await deps.store.transaction((tx) => tx.clientRegistrations.get(regId, new Date(0)))
      if (found === undefined) throw notFound(`client registration ${regId}`)
      return { status: 200, body: clientRegistrationView(found) }
    },
  },
  {
    method: 'DELETE', url: '/v1/client-registrations/:regId',
    schema: { summary: 'De-register a client (its assigned key and its key registrations too)', tags: ['registrations'], params: REG_ID, response: responses({ 204: NO_CONTENT }) },
    async handle(request, deps) {
      const regId = request.params.regId ?? ''
      const context = writeContext(request, deps)
      await deps.store.transaction(async (tx) => {
        const found = await tx.clientRegistrations.get(regId, new Date(0))
        if (found === undefined) throw notFound(`client registration ${regId}`)
        // §7.4.5: de-registering a client ends the keys it registered.
        const keys = await tx.keyRegistrations.deleteBySourceRegistration(regId)
        await tx.clientRegistrations.delete(regId)
        await tx.audit.append({ at: context.now, actor: context.actor, action: 'client-registration.delete', subject: { regId, issuer: found.issuer, clientId: found.clientId, keyRegistrations: keys }, outcome: 'success' }, context.auditLink)
      })
      return { status: 204 }
    },
  },
]
