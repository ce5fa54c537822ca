/**
 * `/v1/enrolee-imports` (admin-api.md): a bulk import of enrolees (CSV or JSON, the formats of
 * `m2msec enrolee import`) started in the background with its progress readable by id. The
 * content is parsed as a whole before the job starts, so a malformed file is a 400 and writes
 * nothing; bad rows are reported in `rejected` and never stop the others.
 */
import { AdminError, notFound } from '../errors.js'
import { importJobView } from '../import-jobs.js'
import { responses, stringParam, writeContext, type AdminRoute } from '../route.js'

/** The import content may be large (thousands of rows, PEM trust anchors). */
export const IMPORT_BODY_LIMIT = 16 * 1024 * 1024

const JOB_SCHEMA = {
  type: 'object', required: ['id', 'state', 'total', 'processed', 'added', 'rejected'], additionalProperties: true,
  properties: {
    id: { type: 'string' }, state: { type: 'string', enum: ['running', 'done', 'failed'] },
    total: { type: 'integer' }, processed: { type: 'integer' }, added: { type: 'integer' },
    rejected: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
} as const

export const ENROLEE_IMPORT_ROUTES: readonly AdminRoute[] = [
  {
    method: 'POST', url: '/v1/enrolee-imports', bodyLimit: IMPORT_BODY_LIMIT,
    schema: {
      summary: 'Start a bulk enrolee import', tags: ['enrolees'],
      body: {
        type: 'object', required: ['format', 'content'], additionalProperties: false,
        properties: { format: { type: 'string', enum: ['csv', 'json'] }, content: { type: 'string', minLength: 1 } },
      },
      response: responses({ 202: JOB_SCHEMA }),
    },
    async handle(request, deps) {
      const body = request.body as { readonly format: 'csv' | 'json'; readonly content: string }
      // Checked before the content is parsed: a second large file would hold the shared event loop again (D-156).
      if (deps.jobs.busy()) throw new AdminError('M2MSEC_ADMIN_IMPORT_BUSY', 'conflict', 'another enrolee import is still running here; poll it and try again when it is done')
      const context = writeContext(request, deps)
      const job = deps.jobs.start(deps.operations.prepareImport(body.format, body.content, context), context.now)
      return { status: 202, body: importJobView(job) }
    },
  },
  {
    method: 'GET', url: '/v1/enrolee-imports/:id',
    schema: { summary: 'Progress of an import', tags: ['enrolees'], params: stringParam('id', 64), response: responses({ 200: JOB_SCHEMA }) },
    async handle(request, deps) {
      const job = deps.jobs.get(request.params.id ?? '')
      if (job === undefined) throw notFound(`import ${request.params.id ?? ''}`)
      return { status: 200, body: importJobView(job) }
    },
  },
]
