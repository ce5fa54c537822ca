/**
 * The `cse` role of `m2msec up`: the reference Registrar CSE (TS-0004 over the TS-0009 HTTP
 * binding) on loopback, plain HTTP. It trusts the originator it is given (D-121), so it is
 * reachable only from this host and meant to be used through the `gateway` role, which
 * authenticates every peer and binds `fr` to it (TS-0003 7.2.1). Its resources live in memory:
 * a restart of `up` starts with an empty CSEBase (D-120).
 */
import { isIPv6 } from 'node:net'
import { createCseService } from '../../services/cse/index.js'
import { DEV_DOMAIN } from './dev-domain.js'
import type { RoleContext, RunningRole } from './role-registry.js'
import { httpUrl } from './role-url.js'
import { describeServiceEvent } from './service-event.js'

/** The Registrar of the development deployment: SP `//m2msec.localhost`, CSE-ID `/in-cse`, CSEBase `cse-in`. */
export const UP_CSE = {
  spId: `//${DEV_DOMAIN}`,
  cseId: '/in-cse',
  cseBaseName: 'cse-in',
} as const

/** Absolute CSE-ID of the Registrar: what the gateway presents as IdB and sends as `fr` to MEF and MAF. */
export const UP_CSE_ABSOLUTE_ID = `${UP_CSE.spId}${UP_CSE.cseId}`

export async function startCseRole(context: RoleContext): Promise<RunningRole> {
  // Loopback whatever `--host` says: only the gateway (same process) needs to reach it.
  const host = isIPv6(context.host) ? '::1' : '127.0.0.1'
  const service = await createCseService({
    cseId: UP_CSE.cseId, cseBaseName: UP_CSE.cseBaseName, spId: UP_CSE.spId, cseType: 1,
    listen: { host, port: context.port },
    onEvent: (event) => context.onEvent(describeServiceEvent(event)),
  })
  return {
    name: 'cse', url: httpUrl(service.host, service.port), host: service.host, port: service.port, fqdn: context.fqdn, plain: true,
    registrar: { cseId: UP_CSE_ABSOLUTE_ID, cseBaseName: UP_CSE.cseBaseName },
    close: () => service.close(),
  }
}
