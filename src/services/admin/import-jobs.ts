/**
 * Bulk enrolee imports run in the background (admin-api.md `POST /v1/enrolee-imports` → 202,
 * `GET /v1/enrolee-imports/{id}` for progress). The table lives in this process's memory: an
 * import is a request-scoped task, not state another instance needs (ARCHITECTURE.md §1), and
 * its result is in the audit chain. At most MAX_JOBS are kept; the oldest finished ones go first.
 */
import { randomBytes } from 'node:crypto'
import { M2mSecError } from '../../core/index.js'
import type { AdminRecord, PreparedImport } from './operations.js'

export type ImportState = 'running' | 'done' | 'failed'

export interface ImportJob {
  readonly id: string
  state: ImportState
  readonly total: number
  processed: number
  added: number
  rejected: readonly AdminRecord[]
  error?: { readonly code: string; readonly message: string }
  readonly startedAt: Date
  finishedAt?: Date
}

export interface ImportJobs {
  start(prepared: PreparedImport, now: Date): ImportJob
  /** Whether an import is running: one at a time, since parsing and validating a file holds the event loop every role of `up` shares. */
  busy(): boolean
  get(id: string): ImportJob | undefined
  /** Resolves when every running job has finished (shutdown waits for it, bounded by the caller). */
  settled(): Promise<void>
}

const MAX_JOBS = 100

export function importJobs(): ImportJobs {
  const jobs = new Map<string, ImportJob>()
  const running = new Set<Promise<void>>()
  const prune = (): void => {
    for (const [id, job] of jobs) {
      if (jobs.size <= MAX_JOBS) return
      if (job.state !== 'running') jobs.delete(id)
    }
  }
  return {
    busy: () => running.size > 0,
    start(prepared, now) {
      const job: ImportJob = { id: `imp${randomBytes(8).toString('hex').toUpperCase()}`, state: 'running', total: prepared.total, processed: 0, added: 0, rejected: [], startedAt: now }
      jobs.set(job.id, job)
      prune()
      const task = prepared.run((p) => {
        job.processed = p.done
        job.added = p.imported
      }).then((result) => {
        job.added = result.imported
        job.rejected = result.rejected
        job.processed = job.total
        job.state = 'done'
      }, (error: unknown) => {
        job.state = 'failed'
        job.error = error instanceof M2mSecError ? { code: error.code, message: error.message } : { code: 'M2MSEC_ADMIN_INTERNAL', message: 'the import failed' }
      }).finally(() => {
        job.finishedAt = new Date()
        running.delete(task)
      })
      running.add(task)
      return job
    },
    get: (id) => jobs.get(id),
    async settled() {
      await Promise.allSettled([...running])
    },
  }
}

/** The job as the API shows it. */
export function importJobView(job: ImportJob): AdminRecord {
  return {
    id: job.id, state: job.state, total: job.total, processed: job.processed, added: job.added, rejected: job.rejected,
    ...(job.error === undefined ? {} : { error: job.error }), startedAt: job.startedAt, ...(job.finishedAt === undefined ? {} : { finishedAt: job.finishedAt }),
  }
}
