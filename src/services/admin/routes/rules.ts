/**
 * `/v1/rules` (admin-api.md): service subscription rules (`<serviceSubscribedAppRule>`, wire.md
 * §7.3–§7.4) through the gateway operator policy — the same validation as `m2msec rule add`.
 */
import type { RuleBody } from '../operations.js'
import { PAGE_QUERY_PROPERTIES, PAGE_SCHEMA, pageBody, pageQuery } from '../pagination.js'
import { NO_CONTENT, RECORD_SCHEMA, responses, stringParam, writeContext, type AdminRoute } from '../route.js'

const PATTERNS = { type: 'array', maxItems: 256, items: { type: 'string', minLength: 1, maxLength: 256 } } as const

const RULE_SCHEMA = {
  type: 'object', required: ['applicableCredIds', 'allowedAppIds', 'allowedAes'], additionalProperties: false,
  properties: { applicableCredIds: PATTERNS, allowedAppIds: PATTERNS, allowedAes: PATTERNS, allowedRoleIds: PATTERNS },
} as const

const RULE_ID = stringParam('ruleId', 64)

export const RULE_ROUTES: readonly AdminRoute[] = [
  {
    method: 'GET', url: '/v1/rules',
    schema: { summary: 'List service subscription rules', tags: ['gateway'], querystring: { type: 'object', additionalProperties: false, properties: PAGE_QUERY_PROPERTIES }, response: responses({ 200: PAGE_SCHEMA }) },
    async handle(request, deps) {
      return { status: 200, body: pageBody(await deps.operations.listRules(pageQuery(request.query))) }
    },
  },
  {
    method: 'PUT', url: '/v1/rules/:ruleId',
    schema: { summary: 'Create or replace a rule', tags: ['gateway'], params: RULE_ID, body: RULE_SCHEMA, response: responses({ 200: RECORD_SCHEMA, 201: RECORD_SCHEMA }) },
    async handle(request, deps) {
      const body = request.body as Partial<RuleBody> & Omit<RuleBody, 'allowedRoleIds'>
      const { rule, replaced } = await deps.operations.putRule(request.params.ruleId ?? '', { ...body, allowedRoleIds: body.allowedRoleIds ?? [] }, writeContext(request, deps))
      return { status: replaced ? 200 : 201, body: rule }
    },
  },
  {
    method: 'DELETE', url: '/v1/rules/:ruleId',
    schema: { summary: 'Delete a rule', tags: ['gateway'], params: RULE_ID, response: responses({ 204: NO_CONTENT }) },
    async handle(request, deps) {
      await deps.operations.deleteRule(request.params.ruleId ?? '', writeContext(request, deps))
      return { status: 204 }
    },
  },
]
