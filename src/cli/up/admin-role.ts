/**
 * The `admin` role of `m2msec up` (issue 8 admin REST API; admin-api.md): the operator API over
 * HTTPS with the role's development certificate, accepting the admin token of the data
 * directory (its hash, read per request so a rotation applies at once) or an operator client
 * certificate of the development CA. It reaches MEF and gateway policy through the port wired in
 * admin-operations.ts, the store for plain metadata reads, and serves the process metrics.
 */
import { createAdminService, readAdminTokenHash, type AdminEvent } from '../../services/admin/index.js'
import { readPackageVersion } from '../version.js'
import { adminOperations } from './admin-operations.js'
import { describeServiceEvent } from './service-event.js'
import { roleCredential, type RoleContext, type RunningRole } from './role-registry.js'
import { httpsUrl } from './role-url.js'

/** The fields of an admin event `up` logs: identifiers and outcomes only (service-event.ts keeps the error to code + message). */
export function describeAdminEvent(event: AdminEvent): Record<string, unknown> {
  if (event.type === 'request-failed') return { ...describeServiceEvent(event), requestId: event.requestId, status: event.status }
  return {
    event: event.type, requestId: event.requestId, method: event.method, route: event.route, status: event.status, durationMs: event.durationMs,
    ...(event.actor === undefined ? {} : { actor: event.actor }),
  }
}

function recheckGateway(context: RoleContext): void {
  const gateway = context.running.get('gateway')
  gateway?.recheckSessions?.().catch((error: unknown) => context.onEvent(describeServiceEvent({ type: 'recheck-failed', error })))
}

export async function startAdminRole(context: RoleContext): Promise<RunningRole> {
  const dataDir = context.dataDir
  if (dataDir === undefined) throw new Error('the admin role needs the data directory (admin token)')
  const service = await createAdminService({
    store: context.store,
    auditLink: context.auditLink,
    // A revocation through the API cuts the gateway's live sessions at once rather than at its next periodic recheck.
    operations: adminOperations(context.store, () => recheckGateway(context)),
    clock: () => new Date(),
    tokenHash: () => readAdminTokenHash(dataDir),
    ...(context.metrics === undefined ? {} : { metrics: context.metrics }),
    credential: roleCredential(context),
    clientCaPem: context.caPem,
    listen: { host: context.host, port: context.port },
    version: readPackageVersion(),
    onEvent: (event) => context.onEvent(describeAdminEvent(event)),
  })
  return { name: 'admin', url: httpsUrl(service.host, service.port), host: service.host, port: service.port, fqdn: context.fqdn, close: () => service.close() }
}
