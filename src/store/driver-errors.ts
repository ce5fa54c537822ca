/**
 * Translates better-sqlite3 and pg errors into StoreError codes, so both backends fail the
 * same way (the contract suite checks that). The driver error stays as `cause` for logs; the
 * message names only the operation, since driver messages can quote bound values.
 */
import { M2mSecError } from '../core/index.js'
import { StoreError } from './errors.js'

function codeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code?: unknown }).code
    if (typeof code === 'string') return code
  }
  return ''
}

const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'ENOENT', 'EACCES'])

/** Which StoreError code a raw driver error maps to, or undefined when it is a programming error. */
export function classifyDriverError(error: unknown): 'M2MSEC_STORE_CONFLICT' | 'M2MSEC_STORE_NOT_FOUND' | 'M2MSEC_STORE_UNAVAILABLE' | undefined {
  const code = codeOf(error)
  // better-sqlite3 (extended result codes)
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'M2MSEC_STORE_CONFLICT'
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'M2MSEC_STORE_NOT_FOUND'
  if (/^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|NOMEM)/.test(code)) return 'M2MSEC_STORE_UNAVAILABLE'
  // pg (SQLSTATE)
  if (code === '23505') return 'M2MSEC_STORE_CONFLICT'
  if (code === '23503') return 'M2MSEC_STORE_NOT_FOUND'
  if (/^(08|53|57P0|40001|40P01)/.test(code)) return 'M2MSEC_STORE_UNAVAILABLE'
  if (UNAVAILABLE_NODE_CODES.has(code)) return 'M2MSEC_STORE_UNAVAILABLE'
  // better-sqlite3 reports a missing directory as a TypeError without a code.
  if (error instanceof Error && /Connection terminated|connection timeout|Client has encountered a connection error|Cannot open database/i.test(error.message)) {
    return 'M2MSEC_STORE_UNAVAILABLE'
  }
  return undefined
}

/**
 * Wraps `error` as a StoreError describing `operation` (e.g. "insert enrolment"). Our own
 * M2mSecErrors pass through untouched.
 */
export function translateDriverError(error: unknown, operation: string): M2mSecError {
  if (error instanceof M2mSecError) return error
  switch (classifyDriverError(error)) {
    case 'M2MSEC_STORE_CONFLICT':
      return new StoreError('M2MSEC_STORE_CONFLICT', 'conflict', `${operation}: identifier already exists`, { cause: error })
    case 'M2MSEC_STORE_NOT_FOUND':
      return new StoreError('M2MSEC_STORE_NOT_FOUND', 'not-found', `${operation}: referenced record does not exist`, { cause: error })
    case 'M2MSEC_STORE_UNAVAILABLE':
      return new StoreError('M2MSEC_STORE_UNAVAILABLE', 'unavailable', `${operation}: database unavailable`, { cause: error })
    default:
      return new StoreError('M2MSEC_STORE_QUERY_FAILED', 'internal', `${operation}: database error`, { cause: error })
  }
}
