/**
 * The seam behind `m2msec enrolee …` and `m2msec enrolments list`: the same operations on the local
 * data directory (the MEF operator functions on its store) or on a running admin API (`--server`,
 * issue 8), each answering the MEF operator's own views so the command prints one format either
 * way. A Kpm travels only inside the request body (`kpm`) and is never part of an answer.
 *
 * Remote import: the file's text is posted to /v1/enrolee-imports and the job is polled until it
 * is done, each poll reported as progress; a failed job becomes the error it names.
 */
import { setTimeout as delay } from 'node:timers/promises'
import {
  addEnrolee, deleteEnrolee, importEnrolees, listEnrolees, listEnrolments, parseImportFile, revokeEnrolee, showEnrolee, updateEnrolee,
} from '../../services/mef/operator/index.js'
import type {
  DeleteResult, EnroleeDetails, EnroleeInput, EnroleeUpdate, EnroleeView, EnrolmentView, ImportFormat, ImportProgress, ListEnrolmentsOptions, Page, PageOptions, RejectedRow, RevokeResult,
} from '../../services/mef/operator/index.js'
import { adminRequest, adminServerFrom, segment, type AdminServer, type RemoteOptions } from '../admin-client.js'
import { CliError, CliRemoteError } from '../errors.js'
import { nowOf, withStore, type OperatorCommandDeps } from './local-store.js'
import { objectOf, pageFrom, queryOf, viewOf } from './remote-answer.js'

/** What `enrolee add` sends: EnroleeInput with the Kpm as text (never bytes on this path). */
export type EnroleeAddInput = EnroleeInput & { readonly kpm?: string }

export interface ImportRequest {
  readonly content: string
  readonly format: ImportFormat
  readonly batchSize?: number
  readonly onProgress?: (progress: ImportProgress) => void
}

export interface ImportOutcome {
  readonly rows: number
  readonly imported: number
  readonly rejected: readonly RejectedRow[]
}

export interface EnroleeBackend {
  add(input: EnroleeAddInput): Promise<EnroleeView>
  import(request: ImportRequest): Promise<ImportOutcome>
  list(page: PageOptions): Promise<Page<EnroleeView>>
  show(selector: string): Promise<EnroleeDetails>
  update(selector: string, update: EnroleeUpdate): Promise<EnroleeView>
  remove(selector: string): Promise<DeleteResult>
  revoke(selector: string): Promise<RevokeResult>
  listEnrolments(options: ListEnrolmentsOptions): Promise<Page<EnrolmentView>>
}

/** The MEF operator functions on the data directory's store. */
export function localEnroleeBackend(deps: OperatorCommandDeps, dataDir: string): EnroleeBackend {
  return {
    add: (input) => withStore(deps, dataDir, true, (store) => addEnrolee(store, input, nowOf(deps))),
    import: async (request) => {
      const rows = parseImportFile(request.content, request.format)
      const result = await withStore(deps, dataDir, true, (store) => importEnrolees(store, rows, {
        now: nowOf(deps),
        ...(request.batchSize === undefined ? {} : { batchSize: request.batchSize }),
        ...(request.onProgress === undefined ? {} : { onProgress: request.onProgress }),
      }))
      return { rows: rows.length, ...result }
    },
    list: (page) => withStore(deps, dataDir, false, (store) => listEnrolees(store, page)),
    show: (selector) => withStore(deps, dataDir, false, (store) => showEnrolee(store, selector, nowOf(deps))),
    update: (selector, update) => withStore(deps, dataDir, false, (store) => updateEnrolee(store, selector, update, nowOf(deps))),
    remove: (selector) => withStore(deps, dataDir, false, (store) => deleteEnrolee(store, selector, nowOf(deps))),
    revoke: (selector) => withStore(deps, dataDir, false, (store) => revokeEnrolee(store, selector, nowOf(deps))),
    listEnrolments: (options) => withStore(deps, dataDir, false, (store) => listEnrolments(store, options, nowOf(deps))),
  }
}

const ENROLEE_DATES = ['createdAt', 'updatedAt']
const ENROLMENT_DATES = ['createdAt', 'expiresAt']

function enroleeOf(value: unknown): EnroleeView {
  return viewOf<EnroleeView>(value, 'enrolee', ENROLEE_DATES)
}

function enrolmentOf(value: unknown): EnrolmentView {
  return viewOf<EnrolmentView>(value, 'enrolment', ENROLMENT_DATES)
}

/** `GET /v1/enrolees/{ref}` answers the enrolee with its enrolments beside its fields. */
function detailsOf(value: unknown): EnroleeDetails {
  const { enrolments, ...enrolee } = objectOf(value, 'enrolee')
  return { enrolee: enroleeOf(enrolee), enrolments: (Array.isArray(enrolments) ? enrolments as unknown[] : []).map(enrolmentOf) }
}

interface ImportJob {
  readonly id: string
  readonly state: string
  readonly total: number
  readonly processed: number
  readonly added: number
  readonly rejected: readonly RejectedRow[]
  readonly error?: { readonly code: string; readonly message: string }
}

function jobOf(value: unknown): ImportJob {
  const job = viewOf<ImportJob>(value, 'import job', [])
  if (typeof job.id !== 'string' || typeof job.state !== 'string' || typeof job.total !== 'number' || typeof job.processed !== 'number' || !Array.isArray(job.rejected)) {
    throw new CliError('M2MSEC_CLI_SERVER_ANSWER_INVALID', 'unavailable', 'admin API answered an import job without id, state or counts')
  }
  return job
}

function progressOf(job: ImportJob): ImportProgress {
  return { done: job.processed, total: job.total, imported: job.added, rejected: job.rejected.length }
}

async function remoteImport(server: AdminServer, request: ImportRequest, pollMs: number): Promise<ImportOutcome> {
  let job = jobOf(await adminRequest(server, 'POST', '/v1/enrolee-imports', { format: request.format, content: request.content }))
  request.onProgress?.(progressOf(job))
  while (job.state === 'running') {
    await delay(pollMs)
    job = jobOf(await adminRequest(server, 'GET', `/v1/enrolee-imports/${segment(job.id)}`))
    request.onProgress?.(progressOf(job))
  }
  if (job.state !== 'done') {
    const code = job.error?.code !== undefined && /^M2MSEC_[A-Z0-9_]{1,64}$/.test(job.error.code) ? job.error.code : 'M2MSEC_CLI_SERVER_ANSWER_INVALID'
    throw new CliRemoteError(code, 'internal', `the import ${job.id} failed on the server: ${job.error?.message ?? 'no reason given'}`, 200)
  }
  return { rows: job.total, imported: job.added, rejected: job.rejected }
}

/** The same operations through the admin API at `server`. */
export function remoteEnroleeBackend(server: AdminServer, pollMs = 250): EnroleeBackend {
  const path = (selector: string): string => `/v1/enrolees/${segment(selector)}`
  return {
    add: async (input) => enroleeOf(await adminRequest(server, 'POST', '/v1/enrolees', input)),
    import: (request) => remoteImport(server, request, pollMs),
    list: async (page) => pageFrom(await adminRequest(server, 'GET', `/v1/enrolees${queryOf({ limit: page.limit, cursor: page.cursor })}`), 'enrolee', enroleeOf),
    show: async (selector) => detailsOf(await adminRequest(server, 'GET', path(selector))),
    update: async (selector, update) => enroleeOf(await adminRequest(server, 'PATCH', path(selector), update)),
    remove: async (selector) => {
      // DELETE answers 204: read the enrolee first so the command can say what went.
      const { enrolee, enrolments } = detailsOf(await adminRequest(server, 'GET', path(selector)))
      await adminRequest(server, 'DELETE', path(enrolee.enroleeRef))
      return { enrolee, deletedKeIds: enrolments.map((e) => e.keId) }
    },
    revoke: async (selector) => {
      const result = objectOf(await adminRequest(server, 'POST', `${path(selector)}/revoke`), 'revocation')
      return { ...result, enrolee: enroleeOf(result.enrolee) } as RevokeResult
    },
    listEnrolments: async (options) => pageFrom(await adminRequest(server, 'GET', `/v1/enrolments${queryOf({ limit: options.limit, cursor: options.cursor, enrolee: options.enrolee })}`), 'enrolment', enrolmentOf),
  }
}

/** The admin API when `--server` (or M2MSEC_ADMIN_URL) names one, else the local data directory. */
export function enroleeBackend(deps: OperatorCommandDeps, options: RemoteOptions): EnroleeBackend {
  const server = adminServerFrom(options)
  return server === undefined ? localEnroleeBackend(deps, options.dataDir) : remoteEnroleeBackend(server, deps.pollMs)
}
