/**
 * Unauthenticated routes (admin-api.md): `GET /health` — the store answers a query, else 503
 * "degraded" — and `GET /metrics`, the Prometheus text of the injected metrics source (counters
 * carry no identifiers), 404 when the process has none.
 */
import { notFound } from '../errors.js'
import { responses, type AdminRoute } from '../route.js'

const HEALTH_SCHEMA = {
  type: 'object', required: ['status', 'store'],
  properties: { status: { type: 'string', enum: ['ok', 'degraded'] }, store: { type: 'string', enum: ['ok', 'unavailable'] } },
} as const

export const SYSTEM_ROUTES: readonly AdminRoute[] = [
  {
    method: 'GET', url: '/health', public: true,
    schema: { summary: 'Liveness and store reachability', tags: ['system'], response: { 200: HEALTH_SCHEMA, 503: HEALTH_SCHEMA } },
    async handle(_request, deps) {
      try {
        await deps.store.transaction((tx) => tx.audit.head())
        return { status: 200, body: { status: 'ok', store: 'ok' } }
      } catch {
        return { status: 503, body: { status: 'degraded', store: 'unavailable' } }
      }
    },
  },
  {
    method: 'GET', url: '/metrics', public: true,
    schema: { summary: 'Prometheus metrics (text exposition format)', tags: ['system'], response: responses({ 200: { type: 'string' } }) },
    async handle(_request, deps) {
      if (deps.metrics === undefined) throw notFound('metrics source in this process')
      const rendered = await deps.metrics.render()
      return { status: 200, body: rendered.body, contentType: rendered.contentType }
    },
  },
]
