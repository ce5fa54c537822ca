/**
 * The admin API as a fastify application (issue 8; admin-api.md): the routes of routes/index.ts,
 * request validation by their JSON schemas (unknown fields refused, nothing coerced away),
 * `/openapi.json` generated from the same schemas by @fastify/swagger, authentication before the
 * body is read, one `x-request-id` per request, and one event per request through `onEvent`
 * (fastify's own logger is off: the CLI owns logging, STYLE.md §10). Built without listening so
 * tests can `inject`; service.ts adds HTTPS and the listener.
 */
import { randomUUID } from 'node:crypto'
import type { ServerOptions } from 'node:https'
import { fastify, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { fastifySwagger } from '@fastify/swagger'
import { AdminError, notFound, unauthenticated } from './errors.js'
import { errorReply, requestError } from './http-status.js'
import { authenticate, type AdminCredentials } from './operator-auth.js'
import type { AdminDeps, AdminRoute } from './route.js'
import { ADMIN_ROUTES } from './routes/index.js'

/** Default body limit; the bulk import route raises its own. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024

export type AdminEvent =
  | { readonly type: 'request'; readonly requestId: string; readonly method: string; readonly route: string; readonly status: number; readonly durationMs: number; readonly actor?: string }
  | { readonly type: 'request-failed'; readonly requestId: string; readonly status: number; readonly error: unknown }

export interface AdminAppOptions extends AdminDeps, AdminCredentials {
  readonly onEvent?: (event: AdminEvent) => void
  /** HTTPS with optional client certificates (service.ts); absent in tests that inject. */
  readonly https?: ServerOptions
  readonly version?: string
}

interface RequestState {
  readonly startedAt: bigint
  actor?: string
}

const OPENAPI_ROUTE = '/openapi.json'

function openApiOptions(version: string): object {
  return {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'm2msec admin API', version, description: 'Operator API of m2msec (oneM2M TS-0003 security frameworks): enrolees, registrations, gateway credentials and rules, audit.' },
      components: { securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' }, operatorCertificate: { type: 'mutualTLS' } } },
      security: [{ adminToken: [] }, { operatorCertificate: [] }],
    },
  }
}

function register(app: FastifyInstance, route: AdminRoute, deps: AdminDeps, state: WeakMap<FastifyRequest, RequestState>): void {
  app.route({
    method: route.method,
    url: route.url,
    ...(route.bodyLimit === undefined ? {} : { bodyLimit: route.bodyLimit }),
    schema: { ...route.schema, ...(route.public === true ? { security: [] } : {}) },
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const actor = state.get(request)?.actor
      const answer = await route.handle({
        params: (request.params ?? {}) as Record<string, string>,
        query: (request.query ?? {}) as Record<string, unknown>,
        body: request.body,
        ...(actor === undefined ? {} : { actor }),
      }, deps)
      reply.code(answer.status)
      if (answer.contentType !== undefined) reply.type(answer.contentType)
      return answer.body === undefined ? reply.send() : reply.send(answer.body)
    },
  })
}

function elapsedMs(startedAt: bigint): number {
  return Number((process.hrtime.bigint() - startedAt) / 1000n) / 1000
}

/** The application with every route registered; call `ready()` (or listen) before use. */
export async function buildAdminApp(options: AdminAppOptions): Promise<FastifyInstance> {
  const state = new WeakMap<FastifyRequest, RequestState>()
  const publicRoutes = new Set([`GET ${OPENAPI_ROUTE}`, ...ADMIN_ROUTES.filter((r) => r.public === true).map((r) => `${r.method} ${r.url}`)])
  const app = fastify({
    logger: false,
    bodyLimit: DEFAULT_BODY_LIMIT,
    genReqId: () => randomUUID(),
    // Validation must refuse, never repair: no property silently dropped, no type coerced except query strings.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false, allowUnionTypes: true } },
    ...(options.https === undefined ? {} : { https: options.https }),
  }) as unknown as FastifyInstance
  app.addHook('onRequest', async (request, reply) => {
    const entry: RequestState = { startedAt: process.hrtime.bigint() }
    state.set(request, entry)
    reply.header('x-request-id', request.id)
    if (publicRoutes.has(`${request.method} ${request.routeOptions.url ?? ''}`)) return
    let actor: string | undefined
    try {
      actor = authenticate(request.headers.authorization, request.raw.socket, options)
    } catch (error) {
      // An unusable token file fails closed; its detail (a server path) goes to the log, not to a caller who is not yet authenticated.
      options.onEvent?.({ type: 'request-failed', requestId: request.id, status: 503, error })
      const answer = errorReply(new AdminError('M2MSEC_ADMIN_INTERNAL', 'unavailable', 'admin credentials cannot be checked right now'), request.id)
      return reply.code(answer.status).type('application/json').send(answer.body)
    }
    if (actor === undefined) throw unauthenticated()
    entry.actor = actor
  })
  app.addHook('onResponse', async (request, reply) => {
    const entry = state.get(request)
    options.onEvent?.({
      type: 'request', requestId: request.id, method: request.method, route: request.routeOptions.url ?? 'unmatched',
      status: reply.statusCode, durationMs: entry === undefined ? 0 : elapsedMs(entry.startedAt), ...(entry?.actor === undefined ? {} : { actor: entry.actor }),
    })
  })
  app.setErrorHandler(async (error, request, reply) => {
    const answer = errorReply(requestError(error), request.id)
    if (answer.status >= 500) options.onEvent?.({ type: 'request-failed', requestId: request.id, status: answer.status, error })
    return reply.code(answer.status).type('application/json').send(answer.body)
  })
  app.setNotFoundHandler(async (request, reply) => {
    const answer = errorReply(notFound(`route ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}`), request.id)
    return reply.code(answer.status).type('application/json').send(answer.body)
  })
  await app.register(fastifySwagger, openApiOptions(options.version ?? '0.0.0'))
  app.route({
    method: 'GET', url: OPENAPI_ROUTE,
    schema: { summary: 'This OpenAPI document', tags: ['system'], security: [], response: { 200: { type: 'object', additionalProperties: true } } },
    handler: async () => app.swagger(),
  })
  for (const route of ADMIN_ROUTES) register(app, route, options, state)
  return app
}
