/**
 * The `maf` role of `m2msec up`: the M2M Authentication Function (TS-0003 8.8) on the shared
 * store, its MEF client pointed at the `mef` role over the network (fetchCredentials with the
 * MAF's FQDN certificate, 8.3.2.1 steps c–f): the same path as two hosts, never a function call.
 */
import { createMafService } from '../../services/maf/index.js'
import { describeServiceEvent } from './service-event.js'
import { roleCredential, type RoleContext, type RunningRole } from './role-registry.js'
import { httpsUrl } from './role-url.js'

/** Same defaults as `m2msec serve maf`. */
const KC_LIFETIME_MS = 24 * 3_600_000
const REGISTRATION_MAX_LIFETIME_MS = 365 * 86_400_000

export async function startMafRole(context: RoleContext): Promise<RunningRole> {
  const mef = context.running.get('mef')
  const service = await createMafService({
    store: context.store,
    auditLink: context.auditLink,
    config: {
      fqdn: context.fqdn, kcLifetimeMs: KC_LIFETIME_MS, registrationMaxLifetimeMs: REGISTRATION_MAX_LIFETIME_MS,
      ...(mef === undefined ? {} : { mef: { url: mef.url, fqdn: mef.fqdn, caPem: context.caPem, targetKeyMode: context.targetKeyMode } }),
    },
    credential: roleCredential(context),
    // The gateway reaches the MAF with its dev-CA certificate (MAF Key Retrieval for the MAF SAEF).
    clientTrustAnchors: [context.caPem],
    listen: { host: context.host, port: context.port },
    onEvent: (event) => context.onEvent(describeServiceEvent(event)),
  })
  return { name: 'maf', url: httpsUrl(service.host, service.port), host: service.host, port: service.port, fqdn: context.fqdn, close: () => service.close() }
}
