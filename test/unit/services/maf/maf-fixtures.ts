/**
 * Fixtures for the MAF procedure tests: a real SQLite store in a mkdtemp directory (real AES-GCM
 * sealer, real audit linker), MAF Clients with a pre-provisioned KmID or a Km fetched for a KeID,
 * fake TLS sessions whose export is a fixed, distinctive 48-byte value, a dump of every table to
 * prove a refusal changed nothing, and key-leak checks.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import Database from 'better-sqlite3'
import { SecretBytes, fromHex, toHex } from '../../../../src/core/index.js'
import { OPERATION, type Operation, type RequestPrimitive } from '../../../../src/onem2m/index.js'
import { auditLinker, createAesGcmSealer, openStore, type AuditEventRecord, type Store } from '../../../../src/store/index.js'
import type { MafDeps, MafPeer, MafRequest, MafSession } from '../../../../src/services/maf/context.js'
import { peerFromPsk } from '../../../../src/services/maf/peer-resolution.js'
import { boundEntityOf } from '../../../../src/services/maf/client-identity.js'

export const MAF_FQDN = 'maf.example.com'
export const MEF_FQDN = 'mef.example.com'
export const ADFQ = 'sp.example.com'
export const DAY = 24 * 3600_000
export const KC_LIFETIME_MS = 2 * DAY
export const REG_MAX_MS = 90 * DAY
export const T0 = new Date(Date.UTC(2026, 0, 15, 12, 0, 0))

export const KC_ID_HEX = 'C0FFEE00112233445566778899AABBCC'
export const KC_HEX = '5EC2E75EC2E75EC2E75EC2E75EC2E75EC2E75EC2E75EC2E75EC2E75EC2E75EC2'
export const KM_HEX = '4B4D4B4D11223344556677889900AABBCCDDEEFF00112233445566778899AA4B'
export const KM_REMOTE_HEX = '7E7E7E7E0102030405060708090A0B0C0D0E0F101112131415161718191A7E7E'
export const SUPPLIED_KEY_HEX = 'D15C0D15C0D15C0D15C0D15C0D15C0D15C0D15C0D15C0D15C0D15C0D15C0D15C'
export const ALL_KEYS = [KC_HEX, KM_HEX, KM_REMOTE_HEX, SUPPLIED_KEY_HEX]

export interface FakeSession extends MafSession {
  readonly exports: { label: string; length: number }[]
}

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

export interface TestMaf {
  readonly store: Store
  readonly deps: MafDeps
  readonly dir: string
  readonly dbPath: string
  now: Date
}

export async function openTestMaf(t: TestContext): Promise<TestMaf> {
  const dir = mkdtempSync(join(tmpdir(), 'm2msec-maf-'))
  const dbPath = join(dir, 'maf.sqlite')
  const sealer = createAesGcmSealer([{ id: 'kek-1', key: new SecretBytes(new Uint8Array(randomBytes(32))) }], 'kek-1')
  const holder = { now: T0 }
  const store = await openStore({ kind: 'sqlite', path: dbPath }, { sealer, clock: () => holder.now })
  t.after(async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const deps: MafDeps = { store, auditLink: auditLinker(), config: { fqdn: MAF_FQDN, kcLifetimeMs: KC_LIFETIME_MS, registrationMaxLifetimeMs: REG_MAX_MS } }
  const maf = { store, deps, dir, dbPath } as TestMaf
  Object.defineProperty(maf, 'now', { get: () => holder.now, set: (d: Date) => { holder.now = d }, enumerable: true })
  return maf
}

/** A pre-provisioned KmID (owner 'configured'), optionally bound to an Absolute AE-ID/CSE-ID; returns its peer. */
export async function addKmClient(maf: TestMaf, kmId: string, boundTo?: string, keyHex = KM_HEX): Promise<MafPeer> {
  await maf.store.transaction((tx) => tx.pskCredentials.put({
    usage: 'maf', identity: kmId, key: new SecretBytes(fromHex(keyHex)), owner: { kind: 'configured', ref: kmId }, suid: 11,
    ...(boundTo === undefined ? {} : { boundEntity: boundEntityOf(boundTo) ?? assert.fail(`${boundTo} is no Absolute ID`) }),
  }))
  return resolvePeer(maf, kmId)
}

/** A Km the MAF fetched for a KeID (owner 'retrieved'), as peer-resolution stores it; returns its peer. */
export async function addKeIdClient(maf: TestMaf, keId: string, enroleeId?: string, lifetimeMs = 30 * DAY): Promise<MafPeer> {
  await maf.store.transaction((tx) => tx.pskCredentials.put({
    usage: 'maf', identity: keId, key: new SecretBytes(fromHex(KM_REMOTE_HEX)), owner: { kind: 'retrieved', ref: keId }, suid: 21,
    expiresAt: new Date(maf.now.getTime() + lifetimeMs), ...(enroleeId === undefined ? {} : { boundEntity: { kind: 'ae', ids: [enroleeId] } }),
  }))
  return resolvePeer(maf, keId)
}

/** The peer the handshake would yield for `identity` now (the resolver's own mapping). */
export async function resolvePeer(maf: TestMaf, identity: string): Promise<MafPeer> {
  const lookup = await maf.store.reader.findPskByIdentity('maf', identity, maf.now)
  assert.ok(lookup.ok, `psk ${identity} resolves`)
  return peerFromPsk(identity, lookup.credential)
}

/** The key the store holds for `identity` (hex), or undefined. */
export async function keyHexOf(maf: TestMaf, identity: string): Promise<string | undefined> {
  const lookup = await maf.store.reader.findPskByIdentity('maf', identity, maf.now)
  return lookup.ok ? toHex(lookup.credential.key.reveal()) : undefined
}

export function primitive(op: Operation, to: string, pc?: unknown, extra: Partial<RequestPrimitive> = {}): RequestPrimitive {
  return { op, to, rqi: `rq-${randomBytes(4).toString('hex')}`, rvi: '3', ...(pc === undefined ? {} : { pc: pc as RequestPrimitive['pc'] }), ...extra }
}

export function create(to: string, ty: number, pc: unknown, fr?: string): RequestPrimitive {
  return primitive(OPERATION.CREATE, to, pc, { ty, ...(fr ? { fr } : {}) })
}

export function mafRequest(maf: TestMaf, p: RequestPrimitive, peer: MafPeer, session: MafSession = fakeSession()): MafRequest {
  return { primitive: { ...p, fr: p.fr ?? peer.clientId }, peer, session, now: maf.now }
}

/** `YYYYMMDDThhmmss` of `maf.now + ms`. */
export function timestampIn(maf: TestMaf, ms: number): string {
  return new Date(maf.now.getTime() + ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, '')
}

export function dumpState(maf: TestMaf): Record<string, unknown[]> {
  const db = new Database(maf.dbPath, { readonly: true })
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]
    const out: Record<string, unknown[]> = {}
    for (const { name } of tables) {
      if (name === 'audit_events' || name === 'audit_head') continue
      out[name] = db.prepare(`SELECT * FROM "${name}" ORDER BY 1, 2`).all().map((row) => JSON.stringify(row, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)))
    }
    return out
  } finally {
    db.close()
  }
}

export async function auditEvents(maf: TestMaf): Promise<readonly AuditEventRecord[]> {
  return maf.store.transaction((tx) => tx.audit.list())
}

export function keyForms(hex: string): string[] {
  const bytes = Buffer.from(hex, 'hex')
  return [hex.toUpperCase(), hex.toLowerCase(), bytes.toString('base64'), bytes.toString('base64url')]
}

export function assertNoKey(value: unknown, keys: readonly string[], where: string): void {
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof Error) return { message: v.message, stack: v.stack, cause: (v as { cause?: unknown }).cause }
    if (v instanceof Uint8Array) return toHex(v)
    return v
  }) ?? String(value)
  for (const key of keys) for (const form of keyForms(key)) assert.ok(!text.includes(form), `${where} contains key material`)
}

export function assertNoKeyOnDisk(maf: TestMaf, keys: readonly string[]): void {
  for (const file of readdirSync(maf.dir)) {
    const bytes = readFileSync(join(maf.dir, file))
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

/** Expects a refusal with `rsc` that leaves every table unchanged and appends one `refused:<rsc>` audit event. */
export async function refusedUnchanged(maf: TestMaf, run: () => Promise<unknown>, rsc: number, what: string): Promise<void> {
  const before = dumpState(maf)
  const auditBefore = (await auditEvents(maf)).length
  const error = await expectRefusal(run, rsc, what)
  assert.deepEqual(dumpState(maf), before, `${what}: stored state unchanged`)
  const audit = await auditEvents(maf)
  assert.equal(audit.length, auditBefore + 1, `${what}: one audit event`)
  assert.equal(audit.at(-1)?.outcome, `refused:${rsc}`, what)
  assert.equal(audit.at(-1)?.actor, 'maf', what)
  assertNoKey([error, audit], ALL_KEYS, `${what}: error and audit`)
}
