/**
 * The roles `m2msec up` runs in one process (ARCHITECTURE.md §1), in start order: the only file
 * that lists them. A role is one entry: its name, whether it needs an FQDN certificate of the
 * development CA, what it adds to the MEF's Enrolment Targets, and how it starts from what the
 * roles before it published (their URLs). Roles never import each other's services; they talk
 * over their protocols through the URLs in `RoleContext.running`, exactly as separate hosts would.
 * What depends on the configuration (the gateway's Registrar: the reference CSE or an outside one,
 * `gateway.upstream`) is a function of it here, never a test of a role's name elsewhere.
 */
import type { TargetKeyMode } from '../../core/index.js'
import type { MefTargetConfig } from '../../services/mef/index.js'
import type { AuditLinker, Store } from '../../store/index.js'
import { DEFAULT_UPSTREAM_TIMEOUT_MS } from '../config/config-keys.js'
import type { UpConfig } from '../config/load-config.js'
import { startAdminRole } from './admin-role.js'
import { startCseRole, UP_CSE, UP_CSE_ABSOLUTE_ID } from './cse-role.js'
import { DEV_DOMAIN, devFqdn } from './dev-domain.js'
import { startGatewayRole } from './gateway-role.js'
import { startMafRole } from './maf-role.js'
import { startMefRole } from './mef-role.js'

/** Every role name `up` knows, built or not. */
export const ROLE_NAMES = ['mef', 'maf', 'gateway', 'cse', 'admin'] as const
export type RoleName = (typeof ROLE_NAMES)[number]

// Where they always lived; kept importable from here.
export { DEV_DOMAIN, devFqdn }

/** What role definitions read of the configuration (src/cli/config/load-config.ts). */
export type RoleConfig = Pick<UpConfig, 'gateway'>

/** The configuration of a plain `up`: the gateway fronts the reference CSE. */
export const DEFAULT_ROLE_CONFIG: RoleConfig = { gateway: { upstreamTimeoutMs: DEFAULT_UPSTREAM_TIMEOUT_MS } }

/** A role the configuration replaces by something outside the process: the key that does, and what takes its part. */
export interface RoleReplacement {
  readonly key: string
  readonly why: string
}

/** A Registrar CSE: absolute CSE-ID and CSEBase resource name. */
export interface Registrar {
  readonly cseId: string
  readonly cseBaseName: string
}

/** The Registrar the gateway fronts: the outside CSE of `gateway.upstream`, else the reference `cse` role (D-144). */
export function gatewayRegistrar(config: RoleConfig): Registrar {
  const outside = config.gateway.upstream
  return outside === undefined ? { cseId: UP_CSE_ABSOLUTE_ID, cseBaseName: UP_CSE.cseBaseName } : { cseId: outside.cseId, cseBaseName: outside.cseBaseName }
}

/** A role that is listening. */
export interface RunningRole {
  readonly name: RoleName
  /** `https://host:port` to dial (`http://` when `plain`). */
  readonly url: string
  readonly host: string
  readonly port: number
  /** The FQDN of its certificate: SNI, Host, the `@` part of the identifiers it issues. */
  readonly fqdn: string
  /** Plain HTTP on loopback, no certificate (the reference CSE, D-121). */
  readonly plain?: true
  /** The Registrar CSE this role is or fronts: absolute CSE-ID and CSEBase resource name. */
  readonly registrar?: Registrar
  /** The gateway's: the base URL of the CSE it forwards to, when that CSE is outside this process. */
  readonly upstreamUrl?: string
  /** Stops accepting and cuts open connections after the listener's bound. */
  close(): Promise<void>
  /** The gateway's SA2 relay (plain HTTP for the upstream CSE, D-136). */
  readonly sa2Url?: string
  /** The gateway's: re-checks live sessions against the store now (D-190), after an operator revoked something. */
  recheckSessions?(credentialIds?: readonly string[]): Promise<{ readonly checked: number; readonly cut: number }>
}

/** Non-secret operator events; logged as one JSON line each and counted in the process metrics. */
export type RoleEventSink = (event: Record<string, unknown>) => void

/** The process metrics in the Prometheus text format (src/cli/observability/metrics.ts). */
export interface MetricsSource {
  render(): Promise<{ readonly contentType: string; readonly body: string }>
}

export interface RoleContext {
  /** The one store of the process (D-51), shared by every role. */
  readonly store: Store
  /** One audit linker for the one audit chain the roles share. */
  readonly auditLink: AuditLinker
  readonly host: string
  /** Port to listen on; 0 for any. */
  readonly port: number
  readonly fqdn: string
  /** This role's FQDN certificate and key (PEM); absent for a `plain` role. */
  readonly credential?: { readonly certPem: string; readonly keyPem: string }
  /** The development CA certificate (PEM): the trust anchor of every role certificate. */
  readonly caPem: string
  /** Roles already listening (every role earlier in UP_ROLES). */
  readonly running: ReadonlyMap<RoleName, RunningRole>
  /** Every Enrolment Target the MEF must accept, gathered from the definitions being started. */
  readonly mefTargets: readonly MefTargetConfig[]
  /** How the MEF derives Target keys (OQ-6); every role that talks to the MEF must agree. */
  readonly targetKeyMode: TargetKeyMode
  readonly onEvent: RoleEventSink
  /** The data directory (the admin role reads the admin token hash there). */
  readonly dataDir?: string
  /** The process metrics, when the CLI keeps any: what the admin role serves at /metrics. */
  readonly metrics?: MetricsSource
  /** The gateway's SA2 relay port of the previous run, asked for again (endpoints-file.ts previousSa2Port). */
  readonly previousSa2Port?: number
  /** What the roles read of the configuration (the gateway: its upstream CSE and timeout). */
  readonly config: RoleConfig
}

/** The role's certificate, which every TLS role has (run-up.ts issues one unless the definition is `plain`). */
export function roleCredential(context: RoleContext): { readonly certPem: string; readonly keyPem: string } {
  if (context.credential === undefined) throw new Error(`role ${context.fqdn} has no development certificate`)
  return context.credential
}

export interface RoleDefinition {
  readonly name: RoleName
  /** Roles that must be running before this one starts (must come earlier in UP_ROLES). */
  readonly after: readonly RoleName[]
  /** Plain HTTP, no development certificate (the reference CSE). */
  readonly plain?: true
  /** What this role presents to the MEF as an Enrolment Target (fetchCredentials), if anything. */
  readonly mefTarget?: (fqdn: string, config: RoleConfig) => MefTargetConfig
  /** URI SANs its certificate carries besides its FQDN (the gateway's absolute CSE-ID: D-135). */
  readonly certificateUris?: (config: RoleConfig) => readonly string[]
  /**
   * When the configuration replaces this role by something outside the process: it is left out of
   * the default roles, listing it is refused, and the roles after it do not wait for it (D-178).
   */
  readonly replacedBy?: (config: RoleConfig) => RoleReplacement | undefined
  start(context: RoleContext): Promise<RunningRole>
}

/** The reference CSE stands down when the gateway fronts an outside one. */
function cseReplacement(config: RoleConfig): RoleReplacement | undefined {
  return config.gateway.upstream === undefined ? undefined : { key: 'gateway.upstream', why: 'the gateway forwards to that outside CSE instead' }
}

/** The roles that exist, in start order. */
export const UP_ROLES: readonly RoleDefinition[] = [
  { name: 'mef', after: [], start: startMefRole },
  // The MAF is an Enrolment Target (SUID 21): its certificate FQDN, and `fr` = its MAF-ID (D-88).
  { name: 'maf', after: ['mef'], mefTarget: (fqdn) => ({ fqdn, originatorIds: [fqdn] }), start: startMafRole },
  { name: 'cse', after: [], plain: true, replacedBy: cseReplacement, start: startCseRole },
  // The gateway is an Enrolment Target too (SUID 22, fetchCredentials for a KeID): its certificate
  // FQDN, and `fr` = the absolute CSE-ID of the Registrar it fronts (D-135), reference or outside.
  {
    name: 'gateway', after: ['mef', 'maf', 'cse'], certificateUris: (config) => [gatewayRegistrar(config).cseId],
    mefTarget: (fqdn, config) => ({ fqdn, originatorIds: [gatewayRegistrar(config).cseId] }), start: startGatewayRole,
  },
  // The operator API (admin-api.md): last, so it never answers for a store the other roles have not opened yet.
  { name: 'admin', after: [], start: startAdminRole },
]

/** Roles `up` will run once they are built; printed so nobody wonders where they are. */
export const PENDING_ROLES: readonly RoleName[] = []
