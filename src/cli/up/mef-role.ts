/**
 * The `mef` role of `m2msec up`: the M2M Enrolment Function (TS-0003 8.3) on the shared store,
 * with its development FQDN certificate, the development CA as trust anchor of Enrolment Target
 * certificates, and the Targets the other roles declare (role-registry.ts `mefTarget`).
 */
import { createMefService } from '../../services/mef/index.js'
import { describeServiceEvent } from './service-event.js'
import { roleCredential, type RoleContext, type RunningRole } from './role-registry.js'
import { httpsUrl } from './role-url.js'

/** Same defaults as `m2msec serve mef`. */
const MAX_KEY_LIFETIME_MS = 30 * 86_400_000

export async function startMefRole(context: RoleContext): Promise<RunningRole> {
  const service = await createMefService({
    store: context.store,
    auditLink: context.auditLink,
    config: { fqdn: context.fqdn, targetKeyMode: context.targetKeyMode, maxKeyLifetimeMs: MAX_KEY_LIFETIME_MS },
    credential: roleCredential(context),
    targets: context.mefTargets,
    targetTrustAnchors: context.mefTargets.length === 0 ? [] : [context.caPem],
    listen: { host: context.host, port: context.port },
    onEvent: (event) => context.onEvent(describeServiceEvent(event)),
  })
  return { name: 'mef', url: httpsUrl(service.host, service.port), host: service.host, port: service.port, fqdn: context.fqdn, close: () => service.close() }
}
