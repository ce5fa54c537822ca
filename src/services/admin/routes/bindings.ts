/** `/v1/bindings` (admin-api.md): security-context bindings Credential-ID → AE-ID/CSE-ID (frameworks.md §4.3) through the gateway operator policy. */
import { PAGE_QUERY_PROPERTIES, PAGE_SCHEMA, pageBody, pageQuery } from '../pagination.js'
import { NO_CONTENT, responses, stringParam, writeContext, type AdminRoute } from '../route.js'

export const BINDING_ROUTES: readonly AdminRoute[] = [
  {
    method: 'GET', url: '/v1/bindings',
    schema: { summary: 'List Credential-ID bindings', tags: ['gateway'], querystring: { type: 'object', additionalProperties: false, properties: PAGE_QUERY_PROPERTIES }, response: responses({ 200: PAGE_SCHEMA }) },
    async handle(request, deps) {
      return { status: 200, body: pageBody(await deps.operations.listBindings(pageQuery(request.query))) }
    },
  },
  {
    method: 'DELETE', url: '/v1/bindings/:credentialId',
    schema: { summary: 'Forget a binding', tags: ['gateway'], params: stringParam('credentialId'), response: responses({ 204: NO_CONTENT }) },
    async handle(request, deps) {
      await deps.operations.deleteBinding(request.params.credentialId ?? '', writeContext(request, deps))
      return { status: 204 }
    },
  },
]
