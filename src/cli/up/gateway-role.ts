/**
 * The `gateway` role of `m2msec up`: Entity B (TS-0003 8.2) in front of the `cse` role — or of an
 * outside oneM2M CSE named by `gateway.upstream` (D-178), whose CSE-ID it then presents — on the
 * shared store, with its development FQDN certificate. Offered SAEFs:
 * - Provisioned Symmetric Key (8.2.2.1): Kpsa added with `m2msec psk add`, or a KeID of the `mef`
 *   role whose Kpsa it fetches (fetchCredentials, SUID 22) — the gateway is declared to the MEF as
 *   an Enrolment Target (role-registry.ts);
 * - MAF-based (8.2.2.3): psk_identity naming the `maf` role → MAF Key Retrieval.
 * The certificate SAEF stays off: `up` issues no device certificates (D-144).
 * Everything goes over the network through the URLs of the roles already running, as between
 * hosts; only the store is shared (D-51).
 */
import { createGatewayService, type KeyServerLink } from '../../services/gateway/index.js'
import { gatewayRegistrar, roleCredential, type Registrar, type RoleContext, type RunningRole } from './role-registry.js'
import { httpsUrl } from './role-url.js'
import { describeServiceEvent } from './service-event.js'

function linkTo(role: RunningRole | undefined, caPem: string): KeyServerLink | undefined {
  return role === undefined ? undefined : { url: role.url, fqdn: role.fqdn, caPem: [caPem] }
}

function isAddressInUse(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EADDRINUSE'
}

/**
 * Starts the gateway with its SA2 relay on the previous run's port (the CSE keeps the rewritten
 * pointOfAccess in its resources, D-136), or on any port when that one is taken now — the run's
 * relay URL is in endpoints.json either way. A taken main port is run-up.ts's to handle.
 */
export async function startGatewayRole(context: RoleContext): Promise<RunningRole> {
  if (context.previousSa2Port === undefined) return startGateway(context, 0)
  try {
    return await startGateway(context, context.previousSa2Port)
  } catch (error) {
    if (!isAddressInUse(error)) throw error
    return startGateway(context, 0)
  }
}

/** Where requests go and which Registrar that is: the outside CSE of the configuration, else the running `cse` role. */
function upstreamOf(context: RoleContext): { readonly url: string; readonly registrar: Registrar; readonly outside: boolean } {
  const outside = context.config.gateway.upstream
  if (outside !== undefined) return { url: outside.url, registrar: gatewayRegistrar(context.config), outside: true }
  const cse = context.running.get('cse')
  if (cse?.registrar === undefined) throw new Error('the gateway role needs the cse role running before it, or gateway.upstream')
  return { url: cse.url, registrar: cse.registrar, outside: false }
}

async function startGateway(context: RoleContext, sa2Port: number): Promise<RunningRole> {
  const upstream = upstreamOf(context)
  const mef = linkTo(context.running.get('mef'), context.caPem)
  const maf = linkTo(context.running.get('maf'), context.caPem)
  const service = await createGatewayService({
    store: context.store,
    config: {
      fqdn: context.fqdn, cseId: upstream.registrar.cseId, upstream: { url: upstream.url, timeoutMs: context.config.gateway.upstreamTimeoutMs },
      saefs: {
        psk: mef === undefined ? {} : { mefFqdn: mef.fqdn },
        ...(maf === undefined ? {} : { maf: { mafFqdns: [maf.fqdn] } }),
      },
      ...(mef === undefined ? {} : { mef }),
      ...(maf === undefined ? {} : { mafs: [maf] }),
      sa2: { listen: { host: context.host, port: sa2Port } },
    },
    credential: roleCredential(context),
    // Refusals and session cuts join the one audit chain of the `up` store (D-192).
    auditLink: context.auditLink,
    listen: { host: context.host, port: context.port },
    onEvent: (event) => context.onEvent(describeServiceEvent(event)),
  })
  return {
    name: 'gateway', url: httpsUrl(service.host, service.port), host: service.host, port: service.port, fqdn: context.fqdn,
    registrar: upstream.registrar, ...(upstream.outside ? { upstreamUrl: upstream.url } : {}), close: () => service.close(), recheckSessions: (ids) => service.recheckSessions(ids),
    ...(service.sa2Url === undefined ? {} : { sa2Url: service.sa2Url }),
  }
}
