/**
 * `/v1/psk-credentials` (admin-api.md): the gateway's Kpsa credentials for the PSK SAEF
 * (TS-0003 8.2.2.1; frameworks.md §5) through the gateway operator policy: list (identity, bound
 * entity, status, expiry — never the key), add, revoke, remove.
 */
import { invalidRequest } from '../errors.js'
import type { KpsaBody } from '../operations.js'
import { PAGE_QUERY_PROPERTIES, PAGE_SCHEMA, pageBody, pageQuery } from '../pagination.js'
import { NO_CONTENT, RECORD_SCHEMA, responses, stringParam, writeContext, type AdminRoute } from '../route.js'

const ADD_SCHEMA = {
  type: 'object', required: ['identity', 'key'], additionalProperties: false,
  properties: {
    identity: { type: 'string', minLength: 1, maxLength: 1024, description: 'KpsaID in normal form' },
    key: { type: 'string', minLength: 1, maxLength: 512, description: 'Kpsa as hex or base64: text; never returned' },
    bind: {
      type: 'object', required: ['kind', 'id'], additionalProperties: false,
      properties: { kind: { type: 'string', enum: ['ae', 'cse'] }, id: { type: 'string', minLength: 1, maxLength: 1024 } },
    },
    expiresAt: { type: 'string', format: 'date-time' },
  },
} as const

interface AddBody {
  readonly identity: string
  readonly key: string
  readonly bind?: { readonly kind: 'ae' | 'cse'; readonly id: string }
  readonly expiresAt?: string
}

function kpsaBody(body: AddBody): KpsaBody {
  const expiresAt = body.expiresAt === undefined ? undefined : new Date(body.expiresAt)
  if (expiresAt !== undefined && Number.isNaN(expiresAt.getTime())) throw invalidRequest('expiresAt', 'is not a date-time')
  return { identity: body.identity, key: body.key, ...(body.bind === undefined ? {} : { bind: body.bind }), ...(expiresAt === undefined ? {} : { expiresAt }) }
}

const IDENTITY = stringParam('identity')

export const PSK_CREDENTIAL_ROUTES: readonly AdminRoute[] = [
  {
    method: 'GET', url: '/v1/psk-credentials',
    schema: { summary: 'List the gateway Kpsa credentials (metadata)', tags: ['gateway'], querystring: { type: 'object', additionalProperties: false, properties: PAGE_QUERY_PROPERTIES }, response: responses({ 200: PAGE_SCHEMA }) },
    async handle(request, deps) {
      return { status: 200, body: pageBody(await deps.operations.listKpsa(pageQuery(request.query))) }
    },
  },
  {
    method: 'POST', url: '/v1/psk-credentials',
    schema: { summary: 'Provision a Kpsa (stored sealed)', tags: ['gateway'], body: ADD_SCHEMA, response: responses({ 201: RECORD_SCHEMA }) },
    async handle(request, deps) {
      return { status: 201, body: await deps.operations.addKpsa(kpsaBody(request.body as AddBody), writeContext(request, deps)) }
    },
  },
  {
    method: 'POST', url: '/v1/psk-credentials/:identity/revoke',
    schema: { summary: 'Revoke a Kpsa: the next handshake with it fails', tags: ['gateway'], params: IDENTITY, response: responses({ 200: RECORD_SCHEMA }) },
    async handle(request, deps) {
      return { status: 200, body: await deps.operations.revokeKpsa(request.params.identity ?? '', writeContext(request, deps)) }
    },
  },
  {
    method: 'DELETE', url: '/v1/psk-credentials/:identity',
    schema: { summary: 'Remove a Kpsa', tags: ['gateway'], params: IDENTITY, response: responses({ 204: NO_CONTENT }) },
    async handle(request, deps) {
      await deps.operations.removeKpsa(request.params.identity ?? '', writeContext(request, deps))
      return { status: 204 }
    },
  },
]
