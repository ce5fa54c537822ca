/**
 * `m2msec up` from start to stop (issue 8; ARCHITECTURE.md §1 "the default a newcomer starts
 * with"): prepare the data directory (development PKI, KEK, SQLite database — each created on
 * first start and reused after), open ONE store for every role (D-51), start the roles of
 * role-registry.ts in order on loopback, write endpoints.json, print where each listens and what
 * to try next, then wait; on the stop signal retire endpoints.json, close the roles in reverse
 * order (each listener cuts connections still open after its bound) and close the store.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { TargetKeyMode } from '../../core/index.js'
import { certificateFingerprint, ensureDevPki, type DevPki } from '../../pki/index.js'
import { auditLinker, DATA_DIRECTORY_FILES, kekSourceFor, openDataDirectoryStore, type Store } from '../../store/index.js'
import { ADMIN_TOKEN_FILE, ensureAdminToken, OPERATOR_URI_PREFIX } from '../../services/admin/index.js'
import { UsageError } from '../options.js'
import { endpointsDocument, previousPorts, previousSa2Port, retireEndpointsFile, runningUpPid, writeEndpointsFile } from './endpoints-file.js'
import { gatewaySteps, newDeviceName, nextSteps } from './next-steps.js'
import {
  DEFAULT_ROLE_CONFIG, DEV_DOMAIN, devFqdn, PENDING_ROLES, UP_ROLES,
  type MetricsSource, type RoleConfig, type RoleContext, type RoleDefinition, type RoleName, type RunningRole,
} from './role-registry.js'

export const PKI_DIRECTORY = 'pki'
/** Outer bound on one role's close; its listener already cuts open connections after 2 s. */
const CLOSE_BOUND_MS = 5000

export interface UpOptions {
  /** As the user gave it; printed commands repeat it so relative paths keep working. */
  readonly dataDir: string
  readonly host: string
  /** Ports asked for explicitly; other roles reuse their previous port when free, else any. */
  readonly ports: ReadonlyMap<RoleName, number>
  readonly targetKeyMode: TargetKeyMode
  readonly roles?: readonly RoleDefinition[]
  /** Resolves when the process should stop (SIGINT/SIGTERM), with what stopped it. */
  readonly stopped: Promise<string>
  readonly print: (line: string) => void
  readonly printEvent: (event: Record<string, unknown>) => void
  /** The process metrics (Prometheus text), handed to every role: the admin role serves them at /metrics. */
  readonly metrics?: MetricsSource
  /** What the role definitions read of the configuration (`gateway.upstream`); default: the gateway fronts the reference CSE. */
  readonly config?: RoleConfig
}

/**
 * Roles in an order that starts each after the roles it needs; a role the configuration replaces
 * must not be among them (load-config.ts refuses that first, with the key) and is not waited for.
 */
function checkOrder(roles: readonly RoleDefinition[], config: RoleConfig): void {
  const seen = new Set<RoleName>()
  const replaced = new Set([...UP_ROLES, ...roles].filter((r) => r.replacedBy?.(config) !== undefined).map((r) => r.name))
  for (const role of roles) {
    const replacement = role.replacedBy?.(config)
    if (replacement !== undefined) throw new UsageError(`${role.name} cannot run with ${replacement.key} set (${replacement.why})`)
    const missing = role.after.filter((name) => !seen.has(name) && !replaced.has(name))
    if (missing.length > 0 || seen.has(role.name)) throw new Error(`role registry: ${role.name} must come after ${missing.join(', ')} and only once`)
    seen.add(role.name)
  }
}

function errnoOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined
}

async function startRole(role: RoleDefinition, base: Omit<RoleContext, 'port'>, explicit: number | undefined, previous: number | undefined): Promise<RunningRole> {
  if (explicit !== undefined || previous === undefined) return role.start({ ...base, port: explicit ?? 0 })
  try {
    return await role.start({ ...base, port: previous })
  } catch (error) {
    // The port of the last run is taken: any port will do, endpoints.json tells the new one.
    if (errnoOf(error) !== 'EADDRINUSE') throw error
    return role.start({ ...base, port: 0 })
  }
}

async function closeBounded(role: RunningRole, printEvent: UpOptions['printEvent']): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const bound = new Promise<'timeout'>((done) => (timer = setTimeout(() => done('timeout'), CLOSE_BOUND_MS)))
  const outcome = await Promise.race([role.close().then(() => 'closed' as const), bound])
  clearTimeout(timer)
  if (outcome === 'timeout') printEvent({ role: role.name, event: 'close-timeout', boundMs: CLOSE_BOUND_MS })
}

async function stopAll(running: ReadonlyMap<RoleName, RunningRole>, store: Store, printEvent: UpOptions['printEvent']): Promise<void> {
  for (const role of [...running.values()].reverse()) await closeBounded(role, printEvent)
  await store.close()
}

/** The role's development certificate; none for a plain role (the loopback CSE). */
function credentialOf(pki: DevPki, role: RoleDefinition): { credential?: { certPem: string; keyPem: string } } {
  if (role.plain === true) return {}
  const leaf = pki.leaves.get(role.name)
  if (leaf === undefined) throw new Error(`no development certificate for role ${role.name}`)
  return { credential: { certPem: leaf.certPem, keyPem: leaf.keyPem } }
}

function summary(options: UpOptions, dataDir: string, pki: DevPki, created: readonly string[], running: ReadonlyMap<RoleName, RunningRole>, endpointsPath: string): string[] {
  const roles = [...running.values()]
  const width = Math.max(...roles.map((r) => r.url.length))
  const reissued = pki.written.filter((w) => w.name !== 'ca' && w.reason !== 'created').map((w) => `${w.name} certificate (${w.reason})`)
  const lines = [
    `m2msec up: data directory ${dataDir}`,
    created.length > 0 ? `  created: ${created.join(', ')}` : '  reused: development CA, KEK, database',
    ...(reissued.length > 0 ? [`  reissued: ${reissued.join(', ')}`] : []),
    ...roles.map((r) => `  ${r.name.padEnd(8)} ${r.url.padEnd(width)}  ${r.plain === true ? '(plain HTTP on loopback: use it through the gateway)' : r.fqdn}`),
    ...roles.filter((r) => r.upstreamUrl !== undefined && r.registrar !== undefined)
      .map((r) => `  ${r.name} forwards to the outside CSE ${r.registrar!.cseId} (CSEBase ${r.registrar!.cseBaseName}) at ${r.upstreamUrl!}`),
    ...(PENDING_ROLES.length > 0 ? [`  not built yet: ${PENDING_ROLES.join(', ')}`] : []),
    `  CA certificate  ${pki.caCertPath}`,
    `  endpoints       ${endpointsPath}`,
  ]
  const device = newDeviceName()
  const steps = nextSteps(options.dataDir, running, device)
  if (steps.length > 0) lines.push('', 'Try a first enrolment (in another terminal, in this directory):', ...steps.map((s) => `  ${s}`))
  const gateway = gatewaySteps(options.dataDir, running, device)
  if (gateway.length > 0) lines.push('', 'Then register an AE through the gateway with a provisioned Kpsa (openssl as the device):', ...gateway.map((s) => `  ${s}`))
  lines.push('', 'Stop with Ctrl-C.')
  return lines
}

/** The operator's client certificate for the admin API (admin-api.md "Authentication"): pki/operator.pem + operator.key. */
const OPERATOR_LEAF = { name: 'operator', fqdn: devFqdn('operator'), uris: [`${OPERATOR_URI_PREFIX}dev`], usage: 'client' } as const

function adminTokenLines(token: string, pki: DevPki): string[] {
  const operator = pki.leaves.get('operator')
  return [
    '',
    `Admin API token (shown once; only its hash is kept in ${ADMIN_TOKEN_FILE}): ${token}`,
    ...(operator === undefined ? [] : [`  or the operator certificate ${operator.certPath} with its key ${operator.keyPath}`]),
  ]
}

/** What the first start creates, for the summary: named before anything is written. */
function toBeCreated(dataDir: string): string[] {
  const created: string[] = []
  if (!existsSync(join(dataDir, PKI_DIRECTORY, 'ca.pem'))) created.push('development CA and role certificates')
  const kek = kekSourceFor({ dataDir, create: true })
  if (kek.kind === 'file' && !existsSync(kek.path)) created.push('KEK')
  if (!existsSync(join(dataDir, DATA_DIRECTORY_FILES.database))) created.push('database')
  return created
}

/**
 * Runs every role until `options.stopped` resolves.
 * @throws UsageError when another `up` runs on the data directory, or when a role the configuration replaces (the cse role beside
 *   `gateway.upstream`) is among the roles; PkiError M2MSEC_PKI_DEV_CA_INVALID, StoreError (KEK, database), a service's
 *   M2MSEC_*_CONFIG_INVALID or a listen error; roles already started are closed first.
 */
export async function runUp(options: UpOptions): Promise<void> {
  const config = options.config ?? DEFAULT_ROLE_CONFIG
  const roles = options.roles ?? UP_ROLES.filter((r) => r.replacedBy?.(config) === undefined)
  checkOrder(roles, config)
  const dataDir = resolve(options.dataDir)
  const other = runningUpPid(dataDir)
  // Two `up`s on one directory would fight over endpoints.json and the ports; one store per process (D-51) is per directory too.
  if (other !== undefined) throw new UsageError(`m2msec up is already running on ${dataDir} (pid ${other}); stop it first`)
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const created = toBeCreated(dataDir)
  const withAdmin = roles.some((r) => r.name === 'admin')
  const pki = await ensureDevPki({
    dir: join(dataDir, PKI_DIRECTORY), caCommonName: 'm2msec development CA', permittedDnsDomains: [DEV_DOMAIN],
    leaves: [
      ...roles.filter((r) => r.plain !== true).map((r) => ({ name: r.name, fqdn: devFqdn(r.name), ...(r.certificateUris ? { uris: r.certificateUris(config) } : {}) })),
      ...(withAdmin ? [OPERATOR_LEAF] : []),
    ],
  })
  // The admin token exists in clear only now, on the first start: printed once with the summary, kept as its hash.
  const adminToken = withAdmin ? ensureAdminToken(dataDir).created : undefined
  const previous = previousPorts(dataDir)
  const sa2Port = previousSa2Port(dataDir)
  retireEndpointsFile(dataDir)
  const store = await openDataDirectoryStore({ dataDir, create: true })
  const running = new Map<RoleName, RunningRole>()
  const mefTargets = roles.flatMap((r) => (r.mefTarget ? [r.mefTarget(devFqdn(r.name), config)] : []))
  const auditLink = auditLinker()
  try {
    for (const role of roles) {
      const base: Omit<RoleContext, 'port'> = {
        store, auditLink, dataDir, host: options.host, fqdn: devFqdn(role.name), ...credentialOf(pki, role), caPem: pki.caCertPem,
        running, mefTargets, targetKeyMode: options.targetKeyMode, config, onEvent: (event) => options.printEvent({ role: role.name, ...event }),
        ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
        ...(sa2Port === undefined ? {} : { previousSa2Port: sa2Port }),
      }
      running.set(role.name, await startRole(role, base, options.ports.get(role.name), previous.get(role.name)))
    }
  } catch (error) {
    await stopAll(running, store, options.printEvent)
    throw error
  }
  const endpoints = endpointsDocument({ dataDir, caCertificate: pki.caCertPath, caFingerprint: certificateFingerprint(pki.caCertPem), targetKeyMode: options.targetKeyMode, roles: [...running.values()], now: new Date() })
  const endpointsPath = writeEndpointsFile(dataDir, endpoints)
  const lines = summary(options, dataDir, pki, created, running, endpointsPath)
  // Before the closing "Stop with Ctrl-C." line.
  if (adminToken !== undefined) lines.splice(lines.length - 1, 0, ...adminTokenLines(adminToken, pki).slice(1), '')
  for (const line of lines) options.print(line)
  const reason = await options.stopped
  options.printEvent({ event: 'stopping', signal: reason })
  retireEndpointsFile(dataDir)
  await stopAll(running, store, options.printEvent)
  options.printEvent({ event: 'stopped' })
}
