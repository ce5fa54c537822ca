/**
 * One admin API route as data: method, path, JSON schemas (which validate the request and feed
 * the OpenAPI document, so the document matches the routes by construction) and a handler that
 * sees only parsed input and the service's dependencies — no fastify type — so each resource
 * file is small and testable alone. app.ts registers the list.
 */
import type { AuditLink, AuditLinker, Store } from '../../store/index.js'
import type { ImportJobs } from './import-jobs.js'
import type { AdminOperations, AdminWriteContext } from './operations.js'

export interface AdminRequest {
  readonly params: Readonly<Record<string, string>>
  readonly query: Readonly<Record<string, unknown>>
  readonly body: unknown
  /** Set on every route that is not public (authentication ran first). */
  readonly actor?: string
}

export interface AdminReply {
  readonly status: number
  readonly body?: unknown
  /** Default JSON. */
  readonly contentType?: string
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RouteSchema {
  readonly summary: string
  readonly tags: readonly string[]
  readonly params?: object
  readonly querystring?: object
  readonly body?: object
  readonly response: { readonly [status: string]: object }
}

/** Prometheus text from the process's metrics registry (helper of the CLI, injected). */
export interface MetricsSource {
  render(): Promise<{ readonly contentType: string; readonly body: string }>
}

export interface AdminDeps {
  readonly store: Store
  readonly operations: AdminOperations
  readonly auditLink: AuditLinker
  /** How `POST /v1/audit/verify` recomputes links; default SHA-256 (the chain `up` writes). */
  readonly auditChainLink?: AuditLink
  readonly jobs: ImportJobs
  readonly metrics?: MetricsSource
  readonly clock: () => Date
}

export interface AdminRoute {
  readonly method: HttpMethod
  /** fastify form: `/v1/enrolees/:ref`. */
  readonly url: string
  /** Reachable without credentials (health, metrics, the OpenAPI document). */
  readonly public?: true
  readonly bodyLimit?: number
  readonly schema: RouteSchema
  handle(request: AdminRequest, deps: AdminDeps): Promise<AdminReply>
}

/** The write context of an authenticated request. */
export function writeContext(request: AdminRequest, deps: AdminDeps): AdminWriteContext {
  return { actor: request.actor ?? 'admin:unknown', auditLink: deps.auditLink, now: deps.clock() }
}

export const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
    },
  },
} as const

/** A record whose fields the operation decides (metadata only; never key bytes). */
export const RECORD_SCHEMA = { type: 'object', additionalProperties: true } as const

export const NO_CONTENT = { type: 'null', description: 'No content' } as const

/** Responses of a route: the success one(s) and every error as ERROR_SCHEMA. */
export function responses(success: { readonly [status: string]: object }): { readonly [status: string]: object } {
  return { ...success, '4xx': ERROR_SCHEMA, '5xx': ERROR_SCHEMA }
}

export function stringParam(name: string, maxLength = 1024): object {
  return { type: 'object', required: [name], additionalProperties: false, properties: { [name]: { type: 'string', minLength: 1, maxLength } } }
}
