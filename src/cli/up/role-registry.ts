/**
 * The roles `m2msec up` runs in one process (ARCHITECTURE.md §1), in start order: the only file
 * that lists them. A role is one entry: its name, whether it needs an FQDN certificate of the
 * development CA, what it adds to the MEF's Enrolment Targets, and how it starts from what the
 * roles before it published (their URLs). Roles never import each other's services; they talk
 * over their protocols through the URLs in `RoleContext.running`, exactly as separate hosts would.
 */
import type { TargetKeyMode } from '../../core/index.js'
import type { MefTargetConfig } from '../../services/mef/index.js'
import type { AuditLinker, Store } from '../../store/index.js'
import { startMafRole } from './maf-role.js'
import { startMefRole } from './mef-role.js'

/** Every role name `up` knows, built or not. */
export const ROLE_NAMES = ['mef', 'maf', 'gateway', 'cse', 'admin'] as const
export type RoleName = (typeof ROLE_NAMES)[number]

/**
 * RFC 6761 reserves `.localhost` for loopback: these names can never collide with a real host.
 * They do not necessarily resolve (glibc without nss-myhostname does not), so clients dial the
 * printed address and name the FQDN for SNI, Host and identifiers (`--mef-fqdn`, `--maf-fqdn`).
 */
export const DEV_DOMAIN = 'm2msec.localhost'

export function devFqdn(role: RoleName): string {
  return `${role}.${DEV_DOMAIN}`
}

/** A role that is listening. */
export interface RunningRole {
  readonly name: RoleName
  /** `https://host:port` to dial. */
  readonly url: string
  readonly host: string
  readonly port: number
  /** The FQDN of its certificate: SNI, Host, the `@` part of the identifiers it issues. */
  readonly fqdn: string
  /** Stops accepting and cuts open connections after the listener's bound. */
  close(): Promise<void>
}

/** Non-secret operator events; printed as one JSON line each. */
export type RoleEventSink = (event: Record<string, unknown>) => void

export interface RoleContext {
  /** The one store of the process (D-51), shared by every role. */
  readonly store: Store
  /** One audit linker for the one audit chain the roles share. */
  readonly auditLink: AuditLinker
  readonly host: string
  /** Port to listen on; 0 for any. */
  readonly port: number
  readonly fqdn: string
  /** This role's FQDN certificate and key (PEM), when the definition asked for one. */
  readonly credential: { readonly certPem: string; readonly keyPem: string }
  /** The development CA certificate (PEM): the trust anchor of every role certificate. */
  readonly caPem: string
  /** Roles already listening (every role earlier in UP_ROLES). */
  readonly running: ReadonlyMap<RoleName, RunningRole>
  /** Every Enrolment Target the MEF must accept, gathered from the definitions being started. */
  readonly mefTargets: readonly MefTargetConfig[]
  /** How the MEF derives Target keys (OQ-6); every role that talks to the MEF must agree. */
  readonly targetKeyMode: TargetKeyMode
  readonly onEvent: RoleEventSink
}

export interface RoleDefinition {
  readonly name: RoleName
  /** Roles that must be running before this one starts (must come earlier in UP_ROLES). */
  readonly after: readonly RoleName[]
  /** What this role presents to the MEF as an Enrolment Target (fetchCredentials), if anything. */
  readonly mefTarget?: (fqdn: string) => MefTargetConfig
  start(context: RoleContext): Promise<RunningRole>
}

/**
 * The roles that exist, in start order. Adding the gateway (issue 7): `gateway-role.ts` and one
 * entry `{ name: 'gateway', after: ['mef', 'maf', 'cse'], mefTarget: …, start: startGatewayRole }`
 * after a `cse` entry; remove the name from PENDING_ROLES.
 */
export const UP_ROLES: readonly RoleDefinition[] = [
  { name: 'mef', after: [], start: startMefRole },
  // The MAF is an Enrolment Target (SUID 21): its certificate FQDN, and `fr` = its MAF-ID (D-88).
  { name: 'maf', after: ['mef'], mefTarget: (fqdn) => ({ fqdn, originatorIds: [fqdn] }), start: startMafRole },
]

/** Roles `up` will run once they are built; printed so nobody wonders where they are. */
export const PENDING_ROLES: readonly RoleName[] = ['gateway', 'cse', 'admin']
