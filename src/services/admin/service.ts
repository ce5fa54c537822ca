/**
 * The `admin` role (ARCHITECTURE.md §1; issue 8 admin REST API): app.ts over HTTPS with the
 * role's development certificate, asking for — not requiring — a client certificate, verified
 * against the development CA, so an operator certificate can stand in for the token. Closing
 * stops accepting, lets running requests finish, and waits (bounded) for running imports.
 */
import type { AddressInfo } from 'node:net'
import { AdminError } from './errors.js'
import { buildAdminApp, type AdminAppOptions } from './app.js'
import { importJobs, type ImportJobs } from './import-jobs.js'

const IMPORT_DRAIN_MS = 2000

export interface AdminServiceOptions extends Omit<AdminAppOptions, 'https' | 'jobs'> {
  readonly credential: { readonly certPem: string; readonly keyPem: string }
  /** CA certificate(s) an operator client certificate must chain to. */
  readonly clientCaPem: string
  readonly listen: { readonly host: string; readonly port: number }
  readonly jobs?: ImportJobs
}

export interface AdminService {
  readonly host: string
  readonly port: number
  close(): Promise<void>
}

/**
 * Starts the admin API.
 * @throws AdminError M2MSEC_ADMIN_CONFIG_INVALID when the certificate or key is missing; a listen error (EADDRINUSE) as is.
 */
export async function createAdminService(options: AdminServiceOptions): Promise<AdminService> {
  if (options.credential.certPem === '' || options.credential.keyPem === '' || options.clientCaPem === '') {
    throw new AdminError('M2MSEC_ADMIN_CONFIG_INVALID', 'bad-input', 'the admin role needs its certificate, key and the CA for operator certificates')
  }
  const jobs = options.jobs ?? importJobs()
  const app = await buildAdminApp({
    ...options,
    jobs,
    https: {
      cert: options.credential.certPem, key: options.credential.keyPem, ca: options.clientCaPem,
      // Asked, not required: a token works without a certificate; operator-auth.ts reads `authorized`.
      requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2',
    },
  })
  await app.listen({ host: options.listen.host, port: options.listen.port })
  const address = app.server.address() as AddressInfo
  return {
    host: options.listen.host,
    port: address.port,
    async close() {
      await app.close()
      let timer: NodeJS.Timeout | undefined
      await Promise.race([jobs.settled(), new Promise<void>((done) => (timer = setTimeout(done, IMPORT_DRAIN_MS)))])
      clearTimeout(timer)
    },
  }
}
