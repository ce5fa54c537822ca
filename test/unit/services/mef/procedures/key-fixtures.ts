/**
 * Fixtures for the MEF key procedure tests: a real SQLite store in a mkdtemp directory (real
 * AES-GCM sealer, real audit linker), enrolees with MEF Client Registrations, Target peers,
 * fake TLS sessions whose export is a fixed, distinctive 48-byte value, a dump of every table
 * to prove a refusal changed nothing, and a search for key bytes in any captured output.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import Database from 'better-sqlite3'
import { SecretBytes, fromHex, toHex } from '../../../../../src/core/index.js'
import { OPERATION, type Operation, type RequestPrimitive } from '../../../../../src/onem2m/index.js'
import { auditLinker, createAesGcmSealer, openStore } from '../../../../../src/store/index.js'
import type { AuditEventRecord, Store } from '../../../../../src/store/index.js'
import type { MefDeps, MefPeer, MefRequest, MefSession } from '../../../../../src/services/mef/context.js'

export const MEF_FQDN = 'mef.example.com'
export const ADFQ = 'sp.example.com'
export const MAX_KEY_LIFETIME_MS = 30 * 24 * 3600_000
export const T0 = new Date(Date.UTC(2026, 0, 15, 12, 0, 0))

/** The session export: KcID (16 bytes) ‖ Kc (32 bytes), both easy to spot in any output. */
export const KC_ID_HEX = 'C0FFEE00112233445566778899AABBCC'
export const KC_HEX = '5EC2E75EC2E75EC2E75EC2E75EC2E75EC2E75EC2E75EC2E75EC2E75EC2E75EC2'.slice(0, 64)
/** A self-generated Key Value a Source may supply instead. */
export const SUPPLIED_KEY_HEX = 'D15C0D15C0D15C0D15C0D15C0D15C0D15C0D15C0D15C0D15C0D15C0D15C0D15C'.slice(0, 64)

export interface FakeSession extends MefSession {
  readonly exports: { label: string; length: number }[]
}

/** A session whose RFC 5705 export is always KC_ID ‖ KC (or `hex`), recording each call. */
export function fakeSession(hex = KC_ID_HEX + KC_HEX): FakeSession {
  const exports: { label: string; length: number }[] = []
  return {
    exports,
    exportKeyingMaterial(label, length) {
      exports.push({ label, length })
      const bytes = fromHex(hex)
      assert.equal(length, bytes.length, 'the procedure asked for the export length the fixture holds')
      return new SecretBytes(bytes)
    },
  }
}

export interface TestMef {
  readonly store: Store
  readonly deps: MefDeps
  readonly dir: string
  readonly dbPath: string
  /** The store's clock and the procedures' `now`; tests move it. */
  now: Date
}

export async function openTestMef(t: TestContext, maxKeyLifetimeMs = MAX_KEY_LIFETIME_MS): Promise<TestMef> {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-mef-keys-'))
  const dbPath = join(dir, 'mef.sqlite')
  const sealer = createAesGcmSealer([{ id: 'kek-1', key: new SecretBytes(new Uint8Array(randomBytes(32))) }], 'kek-1')
  const holder = { now: T0 }
  const store = await openStore({ kind: 'sqlite', path: dbPath }, { sealer, clock: () => holder.now })
  t.after(async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const deps: MefDeps = {
    store, auditLink: auditLinker(),
    config: { fqdn: MEF_FQDN, targetKeyMode: 'usage-constrained', maxKeyLifetimeMs },
  }
  const mef = { store, deps, dir, dbPath } as TestMef
  Object.defineProperty(mef, 'now', { get: () => holder.now, set: (d: Date) => { holder.now = d }, enumerable: true })
  return mef
}

export type EnroleePeer = Extract<MefPeer, { kind: 'enrolee' }>

export interface EnroleeOptions {
  readonly clientId: string
  readonly kpmId?: string
  readonly adminFqdn?: string
  /** Lifetime of its MEF Client Registration from `mef.now`; undefined = no registration. */
  readonly registrationLifetimeMs?: number | undefined
}

/** An enrolee (PPSK) with a MEF Client Registration, and the MefPeer its handshake yields. */
export async function addEnrolee(mef: TestMef, options: EnroleeOptions): Promise<EnroleePeer> {
  const kpmId = options.kpmId ?? `kpm-${options.clientId.replace(/[^A-Za-z0-9]/g, '')}`
  return mef.store.transaction(async (tx) => {
    const enrolee = await tx.enrolees.create({
      credential: { kind: 'psk', kpmId, kpm: new SecretBytes(new Uint8Array(randomBytes(32))) },
      enroleeId: options.clientId, enrolmentLifetimeMs: 365 * 24 * 3600_000, targets: [],
    })
    const lifetime = 'registrationLifetimeMs' in options ? options.registrationLifetimeMs : 90 * 24 * 3600_000
    if (lifetime !== undefined) {
      await tx.clientRegistrations.create({
        issuer: 'mef', serverFqdn: MEF_FQDN, clientId: options.clientId, credentialId: `10-${kpmId}`,
        adminFqdn: options.adminFqdn ?? ADFQ, labels: [], expiresAt: new Date(mef.now.getTime() + lifetime),
      })
    }
    return { kind: 'enrolee', enroleeRef: enrolee.enroleeRef, credentialId: `10-${kpmId}`, clientId: options.clientId, framework: 'psk' }
  })
}

export function targetPeer(fqdn: string, originatorIds: readonly string[] = []): MefPeer {
  return { kind: 'target', fqdn, originatorIds }
}

export function primitive(op: Operation, to: string, pc?: unknown, extra: Partial<RequestPrimitive> = {}): RequestPrimitive {
  return {
    op, to, rqi: `rq-${randomBytes(4).toString('hex')}`, rvi: '3',
    ...(op === OPERATION.CREATE ? { ty: 32006 } : {}),
    ...(pc === undefined ? {} : { pc: pc as RequestPrimitive['pc'] }),
    ...extra,
  }
}

export function mefRequest(mef: TestMef, p: RequestPrimitive, peer: MefPeer, session: MefSession = fakeSession()): MefRequest {
  return { primitive: p, peer, session, now: mef.now }
}

/** `YYYYMMDDThhmmss` of `mef.now + ms`. */
export function timestampIn(mef: TestMef, ms: number): string {
  return new Date(mef.now.getTime() + ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, '')
}

/** Every row of every table except the audit log, in a stable order. */
export function dumpState(mef: TestMef): Record<string, unknown[]> {
  const db = new Database(mef.dbPath, { readonly: true })
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]
    const out: Record<string, unknown[]> = {}
    for (const { name } of tables) {
      if (name === 'audit_events' || name === 'audit_head') continue
      out[name] = db.prepare(`SELECT * FROM "${name}" ORDER BY 1, 2`).all().map((row) => JSON.stringify(row, (_k, v: unknown) =>
        v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v))
    }
    return out
  } finally {
    db.close()
  }
}

export async function auditEvents(mef: TestMef): Promise<readonly AuditEventRecord[]> {
  return mef.store.transaction((tx) => tx.audit.list())
}

/** Every spelling of `hex` a leak could take: hex (both cases), base64, base64url. */
export function keyForms(hex: string): string[] {
  const bytes = Buffer.from(hex, 'hex')
  return [hex.toUpperCase(), hex.toLowerCase(), bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('base64').replace(/=+$/, '')]
}

/** Fails when any form of any key appears in `value` (JSON, error message, stack, cause chain). */
export function assertNoKey(value: unknown, keys: readonly string[], where: string): void {
  const seen = new Set<unknown>()
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof Error) {
      if (seen.has(v)) return '[seen]'
      seen.add(v)
      return { ...v, name: v.name, message: v.message, stack: v.stack, cause: (v as { cause?: unknown }).cause }
    }
    if (v instanceof Uint8Array) return toHex(v)
    return v
  }) ?? String(value)
  for (const key of keys) {
    for (const form of keyForms(key)) assert.ok(!text.includes(form), `${where} contains key material (${form.slice(0, 6)}…)`)
  }
}

/** Fails when the raw database files hold any key in clear (they must be sealed at rest). */
export function assertNoKeyOnDisk(mef: TestMef, keys: readonly string[]): void {
  for (const file of readdirSync(mef.dir)) {
    const bytes = readFileSync(join(mef.dir, file))
    for (const key of keys) {
      assert.ok(!bytes.includes(Buffer.from(key, 'hex')), `${file} holds key bytes in clear`)
      for (const form of keyForms(key)) assert.ok(!bytes.includes(Buffer.from(form)), `${file} holds an encoded key`)
    }
  }
}

/** Runs a procedure expected to refuse: returns the error after checking its rsc. */
export async function expectRefusal(run: () => Promise<unknown>, rsc: number, message: string): Promise<Error & { rsc: number; code: string }> {
  try {
    await run()
  } catch (error) {
    const e = error as Error & { rsc: number; code: string }
    assert.equal(e.rsc, rsc, `${message}: rsc (${e.message})`)
    return e
  }
  assert.fail(`${message}: expected rsc ${rsc}, the procedure succeeded`)
}
