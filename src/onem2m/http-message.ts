/**
 * Plain HTTP messages as the binding sees them (TS-0009): no socket, no `node:http`, so the same
 * codec serves the server, the client, tests and a future proxy. Header names are matched
 * case-insensitively (TS-0009 §5.1); counts and sizes are bounded before anything is read.
 */
import { malformed, tooLarge } from './errors.js'
import type { OneM2mLimits } from './limits.js'

/** Node's IncomingHttpHeaders fits as is (undefined values are skipped). */
export type HttpHeaders = Readonly<Record<string, string | readonly string[] | undefined>>

export interface HttpRequestMessage {
  readonly method: string
  /** Request target in origin form: path plus optional `?query`. */
  readonly path: string
  readonly headers: HttpHeaders
  readonly body: Uint8Array
}

export interface HttpResponseMessage {
  readonly status: number
  readonly headers: HttpHeaders
  readonly body: Uint8Array
}

/** oneM2M header names (TS-0009 §6.4), lower case. */
export const HEADER = {
  origin: 'x-m2m-origin',
  requestId: 'x-m2m-ri',
  releaseVersion: 'x-m2m-rvi',
  statusCode: 'x-m2m-rsc',
  originatingTimestamp: 'x-m2m-ot',
  requestExpiration: 'x-m2m-ret',
  resultExpiration: 'x-m2m-rst',
  operationExecutionTime: 'x-m2m-oet',
  eventCategory: 'x-m2m-ec',
  groupRequestId: 'x-m2m-gid',
  notificationUris: 'x-m2m-rtu',
  vendorInformation: 'x-m2m-vsi',
  assignedTokenIds: 'x-m2m-ati',
  contentStatus: 'x-m2m-cts',
  contentOffset: 'x-m2m-cto',
  authorization: 'authorization',
  contentType: 'content-type',
  contentLocation: 'content-location',
  accept: 'accept',
  host: 'host',
} as const

/** Case-insensitive, single-valued view of a header set. */
export interface HeaderReader {
  /** The value of `name`, or undefined; a repeated oneM2M header is malformed. */
  get(name: string): string | undefined
}

/**
 * Indexes headers by lower-case name after checking the limits.
 * @throws M2MSEC_ONEM2M_TOO_LARGE for too many headers or an over-long value.
 */
export function readHeaders(headers: HttpHeaders, limits: OneM2mLimits): HeaderReader {
  const byName = new Map<string, string[]>()
  let count = 0
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    const values = typeof value === 'string' ? [value] : [...value]
    count += values.length
    if (count > limits.maxHeaderCount) throw tooLarge(`more than ${limits.maxHeaderCount} header fields`)
    for (const v of values) {
      if (v.length > limits.maxHeaderValueLength) throw tooLarge(`header ${name.toLowerCase()} is ${v.length} characters, limit is ${limits.maxHeaderValueLength}`)
    }
    const key = name.toLowerCase()
    byName.set(key, [...(byName.get(key) ?? []), ...values])
  }
  return {
    get(name: string): string | undefined {
      const values = byName.get(name)
      if (values === undefined || values.length === 0) return undefined
      if (values.length > 1) throw malformed(`header ${name} appears ${values.length} times`)
      return (values[0] as string).trim()
    },
  }
}
