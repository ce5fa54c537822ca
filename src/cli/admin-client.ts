/**
 * The CLI's client of the admin REST API (issue 8 "The CLI's operator commands work against it
 * too (`--server`)"): one HTTPS request with the admin token or the operator certificate, the
 * JSON answer parsed, an error answer turned back into a coded error carrying the server's code.
 *
 * Where the pieces come from, first match wins:
 * - URL: `--server <url>`, else env M2MSEC_ADMIN_URL;
 * - trust: `--ca <file>`, else the CA of `<data>/endpoints.json` (a local `m2msec up`), else the
 *   system store;
 * - name checked in the server certificate: `--server-fqdn`, else the admin FQDN of endpoints.json
 *   when its URL is the one asked for, else the URL's host;
 * - credential: env M2MSEC_ADMIN_TOKEN, else `--token-file`, else the operator certificate of the
 *   data directory (`pki/operator.pem`, issued by `up`) when present.
 * The token is read only to be sent; it never appears in an error or in output.
 */
import { readFileSync } from 'node:fs'
import { request } from 'node:https'
import { join } from 'node:path'
import { checkServerIdentity } from 'node:tls'
import type { Command } from 'commander'
import type { ErrorKind } from '../core/index.js'
import { CliError, CliRemoteError } from './errors.js'
import { UsageError } from './options.js'
import { ENDPOINTS_FILE } from './up/endpoints-file.js'

export const ADMIN_URL_ENV = 'M2MSEC_ADMIN_URL'
export const ADMIN_TOKEN_ENV = 'M2MSEC_ADMIN_TOKEN'
/** Answers are metadata pages; anything larger is not an admin API answer. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024
const REQUEST_TIMEOUT_MS = 30_000
const OPERATOR_CERT = join('pki', 'operator.pem')
const OPERATOR_KEY = join('pki', 'operator.key')

export interface AdminServer {
  readonly url: URL
  readonly fqdn: string
  readonly ca?: string
  readonly token?: string
  readonly certificate?: { readonly certPem: string; readonly keyPem: string }
}

/** The options every operator command accepts for `--server`. */
export interface RemoteOptions {
  readonly server?: string
  readonly serverFqdn?: string
  readonly ca?: string
  readonly tokenFile?: string
  readonly dataDir: string
}

/**
 * Adds `--server`, `--server-fqdn`, `--ca` and `--token-file` to an operator command; with none of
 * them (and no M2MSEC_ADMIN_URL) the command works on its local data directory.
 */
export function addServerOptions(command: Command): Command {
  return command
    .option('--server <url>', `admin API to work against instead of the local data directory (env ${ADMIN_URL_ENV})`)
    .option('--server-fqdn <name>', 'name the admin server certificate must carry (default: from endpoints.json, else the URL host)')
    .option('--ca <file>', 'CA certificate that issued the admin server certificate (default: the data directory\'s, from endpoints.json)')
    .option('--token-file <file>', `file holding the admin token (or env ${ADMIN_TOKEN_ENV}; default: the data directory's operator certificate)`)
}

/** A path segment: a selector or identifier as one segment, whatever characters it holds. */
export function segment(text: string): string {
  // `.` and `..` survive encodeURIComponent and URL resolution collapses them into another route.
  if (text === '' || text === '.' || text === '..') throw new UsageError(`'${text}' cannot name a resource`)
  return encodeURIComponent(text)
}

interface LocalAdminEndpoint {
  readonly url?: string
  readonly fqdn?: string
  readonly ca?: string
}

function localEndpoint(dataDir: string): LocalAdminEndpoint {
  try {
    const doc = JSON.parse(readFileSync(join(dataDir, ENDPOINTS_FILE), 'utf8')) as { caCertificate?: unknown; roles?: { admin?: { url?: unknown; fqdn?: unknown } } }
    const admin = doc.roles?.admin
    return {
      ...(typeof admin?.url === 'string' ? { url: admin.url } : {}),
      ...(typeof admin?.fqdn === 'string' ? { fqdn: admin.fqdn } : {}),
      ...(typeof doc.caCertificate === 'string' ? { ca: doc.caCertificate } : {}),
    }
  } catch {
    return {}
  }
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

function credentialOf(options: RemoteOptions, env: NodeJS.ProcessEnv): Pick<AdminServer, 'token' | 'certificate'> {
  const fromEnv = env[ADMIN_TOKEN_ENV]?.trim()
  if (fromEnv !== undefined && fromEnv !== '') return { token: fromEnv }
  if (options.tokenFile !== undefined) {
    const token = readOptional(options.tokenFile)?.trim()
    if (token === undefined || token === '') throw new CliError('M2MSEC_CLI_SERVER_CREDENTIAL_MISSING', 'bad-input', `--token-file ${options.tokenFile} is missing or empty`)
    return { token }
  }
  const certPem = readOptional(join(options.dataDir, OPERATOR_CERT))
  const keyPem = readOptional(join(options.dataDir, OPERATOR_KEY))
  if (certPem !== undefined && keyPem !== undefined) return { certificate: { certPem, keyPem } }
  throw new CliError('M2MSEC_CLI_SERVER_CREDENTIAL_MISSING', 'bad-input',
    `no admin credential: set ${ADMIN_TOKEN_ENV}, give --token-file, or use a data directory holding the operator certificate`)
}

/**
 * The admin server to talk to, or undefined when the command should run on the local data directory.
 * @throws CliError M2MSEC_CLI_SERVER_CREDENTIAL_MISSING; UsageError-like bad-input for a malformed URL.
 */
export function adminServerFrom(options: RemoteOptions, env: NodeJS.ProcessEnv = process.env): AdminServer | undefined {
  const text = options.server ?? env[ADMIN_URL_ENV]
  if (text === undefined || text === '') return undefined
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new CliError('M2MSEC_CLI_SERVER_UNREACHABLE', 'bad-input', `--server must be an https:// URL, got '${text}'`)
  }
  if (url.protocol !== 'https:') throw new CliError('M2MSEC_CLI_SERVER_UNREACHABLE', 'bad-input', `--server must be an https:// URL, got '${text}'`)
  const local = localEndpoint(options.dataDir)
  const sameAsLocal = local.url !== undefined && new URL(local.url).host === url.host
  const ca = options.ca !== undefined ? readFileSync(options.ca, 'utf8') : local.ca !== undefined ? readOptional(local.ca) : undefined
  const fqdn = options.serverFqdn ?? (sameAsLocal ? local.fqdn : undefined) ?? url.hostname
  return { url, fqdn, ...(ca === undefined ? {} : { ca }), ...credentialOf(options, env) }
}

const KINDS: readonly ErrorKind[] = ['bad-input', 'unauthenticated', 'forbidden', 'not-found', 'conflict', 'unavailable', 'internal']

function kindOfStatus(status: number): ErrorKind {
  if (status === 400 || status === 413 || status === 422) return 'bad-input'
  if (status === 401) return 'unauthenticated'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'not-found'
  if (status === 409) return 'conflict'
  if (status === 503) return 'unavailable'
  return 'internal'
}

function remoteError(status: number, body: unknown): CliRemoteError {
  const error = typeof body === 'object' && body !== null && 'error' in body ? (body as { error: unknown }).error : undefined
  const fields = typeof error === 'object' && error !== null ? (error as { code?: unknown; message?: unknown; kind?: unknown }) : {}
  const code = typeof fields.code === 'string' && /^M2MSEC_[A-Z0-9_]{1,64}$/.test(fields.code) ? fields.code : 'M2MSEC_CLI_SERVER_ANSWER_INVALID'
  const kind = KINDS.find((k) => k === fields.kind) ?? kindOfStatus(status)
  const message = typeof fields.message === 'string' ? fields.message.slice(0, 1000) : `admin API answered HTTP ${status}`
  return new CliRemoteError(code, kind, message, status)
}

function parseAnswer(status: number, text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw new CliError('M2MSEC_CLI_SERVER_ANSWER_INVALID', 'unavailable', `admin API answered HTTP ${status} with a body that is not JSON`)
  }
}

/**
 * One admin API call; resolves with the parsed JSON answer (undefined for 204).
 * @throws CliRemoteError with the server's code for a 4xx/5xx answer; CliError M2MSEC_CLI_SERVER_UNREACHABLE or M2MSEC_CLI_SERVER_ANSWER_INVALID.
 */
export function adminRequest(server: AdminServer, method: string, path: string, body?: unknown): Promise<unknown> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8')
  const target = new URL(path, server.url)
  return new Promise((resolve, reject) => {
    const req = request(target, {
      method,
      servername: server.fqdn,
      checkServerIdentity: (_host, cert) => checkServerIdentity(server.fqdn, cert),
      ...(server.ca === undefined ? {} : { ca: server.ca }),
      ...(server.certificate === undefined ? {} : { cert: server.certificate.certPem, key: server.certificate.keyPem }),
      headers: {
        accept: 'application/json',
        ...(server.token === undefined ? {} : { authorization: `Bearer ${server.token}` }),
        ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(payload.length) }),
      },
      timeout: REQUEST_TIMEOUT_MS,
    }, (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > MAX_ANSWER_BYTES) req.destroy(new CliError('M2MSEC_CLI_SERVER_ANSWER_INVALID', 'unavailable', 'admin API answer is too large'))
        else chunks.push(chunk)
      })
      res.on('end', () => {
        const status = res.statusCode ?? 0
        try {
          const parsed = parseAnswer(status, Buffer.concat(chunks).toString('utf8'))
          if (status >= 200 && status < 300) resolve(parsed)
          else reject(remoteError(status, parsed))
        } catch (error) {
          reject(error)
        }
      })
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new CliError('M2MSEC_CLI_SERVER_UNREACHABLE', 'unavailable', `admin API at ${server.url.origin} did not answer within ${REQUEST_TIMEOUT_MS} ms`)))
    req.on('error', (error) => {
      if (error instanceof CliError) reject(error)
      else reject(new CliError('M2MSEC_CLI_SERVER_UNREACHABLE', 'unavailable', `cannot reach the admin API at ${server.url.origin}: ${error.message}`, { cause: error }))
    })
    req.end(payload)
  })
}

/** Follows `nextCursor` until the server says there is no more, up to `limit` items overall. */
export async function adminListAll(server: AdminServer, path: string, limit: number): Promise<unknown[]> {
  const items: unknown[] = []
  let cursor: string | null = null
  do {
    const url = new URL(path, 'https://placeholder')
    url.searchParams.set('limit', String(Math.min(1000, limit - items.length)))
    if (cursor !== null) url.searchParams.set('cursor', cursor)
    const page = await adminRequest(server, 'GET', `${url.pathname}${url.search}`) as { items?: unknown; nextCursor?: unknown }
    if (!Array.isArray(page.items)) throw new CliError('M2MSEC_CLI_SERVER_ANSWER_INVALID', 'unavailable', `admin API list ${path} answered without items`)
    items.push(...(page.items as unknown[]))
    cursor = typeof page.nextCursor === 'string' ? page.nextCursor : null
  } while (cursor !== null && items.length < limit)
  return items
}
