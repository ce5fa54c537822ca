/**
 * Reading the admin API's answers back into the views the local operator functions return
 * (issue 8 "The CLI's operator commands work against it too"), so a command prints the same table
 * and the same JSON whichever backend answered. JSON carries dates as ISO text: the named date
 * fields become Date objects again. Anything that does not look like the API's answer is refused
 * as M2MSEC_CLI_SERVER_ANSWER_INVALID rather than printed half-understood.
 */
import { CliError } from '../errors.js'

type Json = { readonly [key: string]: unknown }

function invalid(what: string): CliError {
  return new CliError('M2MSEC_CLI_SERVER_ANSWER_INVALID', 'unavailable', `admin API answered an unexpected ${what}`)
}

/** The answer as a JSON object. @throws CliError M2MSEC_CLI_SERVER_ANSWER_INVALID */
export function objectOf(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(what)
  return value as Json
}

/**
 * `value` with each present field of `dates` turned from ISO text into a Date; the caller names
 * the view the API documents for this route.
 * @throws CliError M2MSEC_CLI_SERVER_ANSWER_INVALID for a non-object or an unreadable date.
 */
export function viewOf<T>(value: unknown, what: string, dates: readonly string[]): T {
  const o: Record<string, unknown> = { ...objectOf(value, what) }
  for (const field of dates) {
    const text = o[field]
    if (text === undefined || text === null) continue
    const date = typeof text === 'string' ? new Date(text) : undefined
    if (date === undefined || Number.isNaN(date.getTime())) throw invalid(`${what} (${field} is not a date)`)
    o[field] = date
  }
  return o as T
}

/** A `{ items, nextCursor }` page with each item converted; `nextCursor: null` becomes absent, as locally. */
export function pageFrom<T>(value: unknown, what: string, item: (value: unknown) => T): { readonly items: readonly T[]; readonly nextCursor?: string } {
  const page = objectOf(value, `${what} page`)
  if (!Array.isArray(page.items)) throw invalid(`${what} page`)
  const items = (page.items as unknown[]).map(item)
  return typeof page.nextCursor === 'string' ? { items, nextCursor: page.nextCursor } : { items }
}

/** `?limit=…&cursor=…` plus extra parameters, leaving out absent values. */
export function queryOf(params: { readonly [key: string]: string | number | undefined }): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value))
  const text = search.toString()
  return text === '' ? '' : `?${text}`
}
