/** `GET /v1/enrolments` (admin-api.md): live enrolments (KeID, expiry, enrolee; frameworks.md §10.3) — never Ke. */
import { PAGE_QUERY_PROPERTIES, PAGE_SCHEMA, pageBody, pageQuery } from '../pagination.js'
import { responses, type AdminRoute } from '../route.js'

export const ENROLMENT_ROUTES: readonly AdminRoute[] = [
  {
    method: 'GET', url: '/v1/enrolments',
    schema: {
      summary: 'List live enrolments, of one enrolee or of all', tags: ['enrolees'],
      querystring: { type: 'object', additionalProperties: false, properties: { ...PAGE_QUERY_PROPERTIES, enrolee: { type: 'string', minLength: 1, maxLength: 1024 } } },
      response: responses({ 200: PAGE_SCHEMA }),
    },
    async handle(request, deps) {
      const enrolee = typeof request.query.enrolee === 'string' ? { enrolee: request.query.enrolee } : {}
      return { status: 200, body: pageBody(await deps.operations.listEnrolments({ ...pageQuery(request.query), ...enrolee })) }
    },
  },
]
