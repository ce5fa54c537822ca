/**
 * What `m2msec demo` needs from a running `m2msec up` (issue 8), read from `<data>/endpoints.json`
 * (src/cli/up/endpoints-file.ts, D-142): the MEF, MAF and gateway URLs and FQDNs, the Registrar's
 * CSE-ID and CSEBase name, and the pid of `up`. The file is the only contract between the two
 * processes — the demo never guesses a port — and it is parsed, not trusted: a missing role, a
 * stale file (its pid is gone) or a malformed entry is a clear refusal before anything is done.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { TARGET_KEY_MODES, type TargetKeyMode } from '../../core/index.js'
import { ENDPOINTS_FILE, runningUpPid } from '../up/endpoints-file.js'
import { DemoError } from './errors.js'

export interface DemoRole {
  readonly url: string
  readonly fqdn: string
}

export interface DemoGateway extends DemoRole {
  /** Absolute CSE-ID of the Registrar the gateway fronts, `//sp/cse`. */
  readonly cseId: string
  readonly cseBaseName: string
  /** `//sp` part of cseId: the SP the demo device's AE-ID lives in. */
  readonly spId: string
}

export interface DemoEndpoints {
  /** Absolute data directory of the running `up` (the store the demo provisions into). */
  readonly dataDir: string
  readonly pid: number
  readonly mef: DemoRole
  readonly maf: DemoRole
  readonly gateway: DemoGateway
  /** The MEF's target key mode (OQ-6) when endpoints.json records it; else the caller's. */
  readonly targetKeyMode?: TargetKeyMode
}

/** Why the demo cannot start: printed by main.ts as `m2msec: … [M2MSEC_DEMO_UNAVAILABLE]`, exit 1. */
function unavailable(message: string): DemoError {
  return new DemoError('M2MSEC_DEMO_UNAVAILABLE', 'unavailable', message)
}

type Json = Readonly<Record<string, unknown>>

function objectAt(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw unavailable(`endpoints.json: ${what} is not an object`)
  return value as Json
}

function textAt(value: Json, key: string, what: string): string {
  const text = value[key]
  if (typeof text !== 'string' || text.length === 0) throw unavailable(`endpoints.json: ${what}.${key} is missing`)
  return text
}

function roleAt(roles: Json, name: string): DemoRole {
  if (roles[name] === undefined) throw unavailable(`endpoints.json lists no ${name} role: the demo needs mef, maf and gateway`)
  const role = objectAt(roles[name], `roles.${name}`)
  const url = textAt(role, 'url', `roles.${name}`)
  if (!/^https:\/\/[^/]+$/.test(url)) throw unavailable(`endpoints.json: roles.${name}.url is not https://host:port`)
  return { url, fqdn: textAt(role, 'fqdn', `roles.${name}`) }
}

function gatewayAt(roles: Json): DemoGateway {
  const base = roleAt(roles, 'gateway')
  const entry = objectAt(roles['gateway'], 'roles.gateway')
  const cseId = textAt(entry, 'cseId', 'roles.gateway')
  // An absolute CSE-ID is `//SP-ID/CSE-ID` (TS-0004 §6.2.3): the AE-IDs of its SP start with `//SP-ID/`.
  const m = /^(\/\/[^/]+)\/[^/]+$/.exec(cseId)
  if (m === null) throw unavailable('endpoints.json: roles.gateway.cseId is not an absolute CSE-ID')
  return { ...base, cseId, cseBaseName: textAt(entry, 'cseBaseName', 'roles.gateway'), spId: m[1]! }
}

/** Parses the text of an endpoints.json. @throws DemoError M2MSEC_DEMO_UNAVAILABLE naming what is wrong. */
export function parseDemoEndpoints(text: string, fallbackDataDir: string): DemoEndpoints {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw unavailable('endpoints.json is not JSON')
  }
  const document = objectAt(parsed, 'the document')
  const roles = objectAt(document['roles'], 'roles')
  const pid = Number(document['pid'])
  const mode = document['targetKeyMode']
  const dataDir = typeof document['dataDir'] === 'string' ? document['dataDir'] : fallbackDataDir
  return {
    dataDir, pid: Number.isSafeInteger(pid) ? pid : 0,
    mef: roleAt(roles, 'mef'), maf: roleAt(roles, 'maf'), gateway: gatewayAt(roles),
    ...(typeof mode === 'string' && (TARGET_KEY_MODES as readonly string[]).includes(mode) ? { targetKeyMode: mode as TargetKeyMode } : {}),
  }
}

/**
 * The endpoints of the `up` running on `dataDir`.
 * @param selfPid the pid that may own the file without being "another" process (`up --demo`).
 * @throws DemoError M2MSEC_DEMO_UNAVAILABLE when no `up` runs there (no file, or a file left by a process that is gone).
 */
export function readDemoEndpoints(dataDir: string, selfPid?: number): DemoEndpoints {
  const dir = resolve(dataDir)
  const path = join(dir, ENDPOINTS_FILE)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw unavailable(`no running m2msec up: ${path} does not exist (start one with \`npm start\` or \`m2msec up --data-dir ${dataDir}\`)`)
  }
  const endpoints = parseDemoEndpoints(text, dir)
  if (endpoints.pid !== selfPid && runningUpPid(dir) === undefined) {
    throw unavailable(`${path} names pid ${endpoints.pid}, which is not running: start m2msec up again`)
  }
  return endpoints
}
