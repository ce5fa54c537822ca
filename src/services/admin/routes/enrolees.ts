/**
 * `/v1/enrolees` (admin-api.md): list, add, show, update, delete and revoke enrolees of the MEF
 * (frameworks.md §10.1 MEF instruction config, §11), through the MEF operator policy behind the
 * AdminOperations port. Bodies are checked twice: shape here (JSON schema, unknown fields
 * refused), values there (KpmID normal form, Kpm strength, durations, targets).
 */
import { NO_CONTENT, RECORD_SCHEMA, responses, stringParam, writeContext, type AdminRoute } from '../route.js'
import { PAGE_QUERY_PROPERTIES, PAGE_SCHEMA, pageBody, pageQuery } from '../pagination.js'
import type { EnroleePatch } from '../operations.js'

const TARGET_SCHEMA = {
  oneOf: [
    { type: 'string', minLength: 1, maxLength: 1024 },
    {
      type: 'object', required: ['targetId', 'suid'], additionalProperties: false,
      properties: {
        targetId: { type: 'string', minLength: 1, maxLength: 1024 }, suid: { type: ['integer', 'string'] },
        derivationId: { type: 'string', maxLength: 1024 }, keyLifetime: { type: 'string', maxLength: 64 },
      },
    },
  ],
} as const

const ENROLEE_INPUT_SCHEMA = {
  type: 'object', required: ['enrolmentExpiry'], additionalProperties: false,
  properties: {
    kpmId: { type: 'string', maxLength: 1024 },
    kpm: { type: 'string', maxLength: 1024, description: 'hex or base64: text; never returned' },
    trustAnchorPem: { type: 'string', maxLength: 65536 },
    expectedIdentity: { type: 'string', maxLength: 1024 },
    enroleeId: { type: 'string', maxLength: 1024 },
    enrolmentExpiry: { type: 'string', minLength: 1, maxLength: 64 },
    targets: { type: 'array', maxItems: 64, items: TARGET_SCHEMA },
  },
} as const

const PATCH_SCHEMA = {
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: {
    enrolmentExpiry: { type: 'string', minLength: 1, maxLength: 64 },
    targets: { type: 'array', maxItems: 64, items: TARGET_SCHEMA },
    enroleeId: { type: ['string', 'null'], maxLength: 1024 },
  },
} as const

const REF = stringParam('ref')

export const ENROLEE_ROUTES: readonly AdminRoute[] = [
  {
    method: 'GET', url: '/v1/enrolees',
    schema: { summary: 'List enrolees', tags: ['enrolees'], querystring: { type: 'object', additionalProperties: false, properties: PAGE_QUERY_PROPERTIES }, response: responses({ 200: PAGE_SCHEMA }) },
    async handle(request, deps) {
      return { status: 200, body: pageBody(await deps.operations.listEnrolees(pageQuery(request.query))) }
    },
  },
  {
    method: 'POST', url: '/v1/enrolees',
    schema: { summary: 'Add one enrolee', tags: ['enrolees'], body: ENROLEE_INPUT_SCHEMA, response: responses({ 201: RECORD_SCHEMA }) },
    async handle(request, deps) {
      return { status: 201, body: await deps.operations.addEnrolee(request.body, writeContext(request, deps)) }
    },
  },
  {
    method: 'GET', url: '/v1/enrolees/:ref',
    schema: { summary: 'Show an enrolee (by reference, KpmID or certificate identity) with its live enrolments', tags: ['enrolees'], params: REF, response: responses({ 200: RECORD_SCHEMA }) },
    async handle(request, deps) {
      return { status: 200, body: await deps.operations.showEnrolee(request.params.ref ?? '') }
    },
  },
  {
    method: 'PATCH', url: '/v1/enrolees/:ref',
    schema: { summary: 'Update enrolment expiry, targets or Enrolee-ID', tags: ['enrolees'], params: REF, body: PATCH_SCHEMA, response: responses({ 200: RECORD_SCHEMA }) },
    async handle(request, deps) {
      return { status: 200, body: await deps.operations.updateEnrolee(request.params.ref ?? '', request.body as EnroleePatch, writeContext(request, deps)) }
    },
  },
  {
    method: 'DELETE', url: '/v1/enrolees/:ref',
    schema: { summary: 'Delete an enrolee, its Kpm and its enrolments', tags: ['enrolees'], params: REF, response: responses({ 204: NO_CONTENT }) },
    async handle(request, deps) {
      await deps.operations.deleteEnrolee(request.params.ref ?? '', writeContext(request, deps))
      return { status: 204 }
    },
  },
  {
    method: 'POST', url: '/v1/enrolees/:ref/revoke',
    schema: { summary: 'Revoke an enrolee: its Kpm at once, its live enrolments deleted', tags: ['enrolees'], params: REF, response: responses({ 200: RECORD_SCHEMA }) },
    async handle(request, deps) {
      return { status: 200, body: await deps.operations.revokeEnrolee(request.params.ref ?? '', writeContext(request, deps)) }
    },
  },
]
