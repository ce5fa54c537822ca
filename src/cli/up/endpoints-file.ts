/**
 * `<data>/endpoints.json`: where a running `m2msec up` listens, for tools and scripts (issue 8):
 * role → URL to dial, FQDN to name (SNI, Host, `--mef-fqdn`), the CA certificate that
 * verifies it (none for the plain loopback CSE), and for gateway and CSE the Registrar's CSE-ID
 * and CSEBase name. Written atomically once every role listens (a reader never sees half a file, and
 * its presence means "ready"); on a clean shutdown it is renamed to endpoints.previous.json, from
 * which the next start takes its ports again. No secret goes in it.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TargetKeyMode } from '../../core/index.js'
import type { RoleName, RunningRole } from './role-registry.js'

export const ENDPOINTS_FILE = 'endpoints.json'
export const PREVIOUS_ENDPOINTS_FILE = 'endpoints.previous.json'
export const ENDPOINTS_VERSION = 1

export interface RoleEndpoint {
  readonly url: string
  readonly fqdn: string
  /** Absent for a plain-HTTP role (the loopback CSE): nothing to verify. */
  readonly caCertificate?: string
  /** For the gateway and the CSE: the Registrar's absolute CSE-ID and CSEBase resource name. */
  readonly cseId?: string
  readonly cseBaseName?: string
  /** For the gateway: the plain-HTTP SA2 relay the CSE dials (D-136); kept across restarts like the role ports. */
  readonly sa2Url?: string
}

export interface EndpointsDocument {
  readonly version: typeof ENDPOINTS_VERSION
  readonly pid: number
  readonly startedAt: string
  readonly dataDir: string
  readonly caCertificate: string
  /** Upper-case hex SHA-256 of the CA certificate (DER), to pin it. */
  readonly caFingerprint: string
  /** How the MEF derives Target keys (OQ-6): devices and the demo must use the same. */
  readonly targetKeyMode: TargetKeyMode
  readonly roles: Readonly<Partial<Record<RoleName, RoleEndpoint>>>
}

export function endpointsDocument(input: {
  readonly dataDir: string
  readonly caCertificate: string
  readonly caFingerprint: string
  readonly targetKeyMode: TargetKeyMode
  readonly roles: readonly RunningRole[]
  readonly now: Date
}): EndpointsDocument {
  const roles: Partial<Record<RoleName, RoleEndpoint>> = {}
  for (const role of input.roles) {
    roles[role.name] = {
      url: role.url, fqdn: role.fqdn, ...(role.plain === true ? {} : { caCertificate: input.caCertificate }),
      ...(role.registrar === undefined ? {} : { cseId: role.registrar.cseId, cseBaseName: role.registrar.cseBaseName }),
      ...(role.sa2Url === undefined ? {} : { sa2Url: role.sa2Url }),
    }
  }
  return {
    version: ENDPOINTS_VERSION, pid: process.pid, startedAt: input.now.toISOString(), dataDir: input.dataDir,
    caCertificate: input.caCertificate, caFingerprint: input.caFingerprint, targetKeyMode: input.targetKeyMode, roles,
  }
}

/** Temporary file and rename: readers see no file or the whole file. */
export function writeEndpointsFile(dataDir: string, document: EndpointsDocument): string {
  const path = join(dataDir, ENDPOINTS_FILE)
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  writeFileSync(temp, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o644, flag: 'wx' })
  renameSync(temp, path)
  return path
}

/** Moves endpoints.json aside (it no longer says where anything listens), keeping it for the next start's ports. */
export function retireEndpointsFile(dataDir: string): void {
  try {
    renameSync(join(dataDir, ENDPOINTS_FILE), join(dataDir, PREVIOUS_ENDPOINTS_FILE))
  } catch {
    // Already gone (removed by hand, or never written because a role failed to start).
  }
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return undefined
  }
}

/**
 * The pid of an `up` that is still running on `dataDir` (its endpoints.json names a live
 * process), else undefined. A file left by a crashed run names a dead pid and does not count.
 */
export function runningUpPid(dataDir: string): number | undefined {
  const parsed = readJson(join(dataDir, ENDPOINTS_FILE))
  const pid = typeof parsed === 'object' && parsed !== null && 'pid' in parsed ? Number(parsed.pid) : NaN
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return undefined
  try {
    process.kill(pid, 0)
    return pid
  } catch (error) {
    // EPERM: the process exists but belongs to someone else, which still means "running".
    return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPERM' ? pid : undefined
  }
}

/**
 * The ports a previous run listened on, by role: `up` asks for them again so URLs stay the same
 * across restarts (credential files record the MEF URL). A leftover endpoints.json (a run that
 * did not stop cleanly) wins over endpoints.previous.json; anything unreadable counts as none.
 */
export function previousPorts(dataDir: string): ReadonlyMap<RoleName, number> {
  return previousPortsOf(dataDir, 'url')
}

/**
 * The SA2 relay port of the previous run's gateway: the upstream CSE keeps the rewritten
 * pointOfAccess (D-136) in its resources, so the relay must come back on the same port.
 */
export function previousSa2Port(dataDir: string): number | undefined {
  return previousPortsOf(dataDir, 'sa2Url').get('gateway')
}

function portOf(entry: unknown, field: 'url' | 'sa2Url'): number | undefined {
  const url = typeof entry === 'object' && entry !== null && field in entry ? (entry as Record<string, unknown>)[field] : undefined
  const port = Number(typeof url === 'string' ? /:(\d{1,5})$/.exec(url)?.[1] : undefined)
  return port > 0 && port < 65536 ? port : undefined
}

function previousPortsOf(dataDir: string, field: 'url' | 'sa2Url'): ReadonlyMap<RoleName, number> {
  const ports = new Map<RoleName, number>()
  const parsed = readJson(join(dataDir, ENDPOINTS_FILE)) ?? readJson(join(dataDir, PREVIOUS_ENDPOINTS_FILE))
  const roles = typeof parsed === 'object' && parsed !== null && 'roles' in parsed ? parsed.roles : undefined
  if (typeof roles !== 'object' || roles === null) return ports
  for (const [name, entry] of Object.entries(roles)) {
    const port = portOf(entry, field)
    if (port !== undefined) ports.set(name as RoleName, port)
  }
  return ports
}
