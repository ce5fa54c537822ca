/**
 * The admin application on a fresh SQLite store with the real operator wiring of `m2msec up`
 * (src/cli/up/admin-operations.ts), driven by fastify's `inject`: every route without sockets.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { adminOperations } from '../../../../src/cli/up/admin-operations.js'
import { adminTokenHash, buildAdminApp, generateAdminToken, importJobs, type AdminEvent } from '../../../../src/services/admin/index.js'
import { auditLinker, openStore, type Store } from '../../../../src/store/index.js'
import { createTestSealer } from '../../../support/store-test-sealer.js'

export interface AdminHarness {
  readonly app: FastifyInstance
  readonly store: Store
  readonly token: string
  readonly events: AdminEvent[]
  /** Every body answered so far (for assertNoSecrets). */
  readonly bodies: string[]
  call(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: unknown; headers: Record<string, unknown>; text: string }>
}

export async function adminHarness(t: { after: (fn: () => Promise<void>) => void }, options: { metrics?: boolean; tokenHash?: () => string } = {}): Promise<AdminHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'm2msec-admin-'))
  const store = await openStore({ kind: 'sqlite', path: join(dir, 'store.sqlite') }, { sealer: createTestSealer() })
  const token = generateAdminToken()
  const events: AdminEvent[] = []
  const bodies: string[] = []
  const app = await buildAdminApp({
    store, operations: adminOperations(store), auditLink: auditLinker(), jobs: importJobs(), clock: () => new Date(),
    tokenHash: options.tokenHash ?? (() => adminTokenHash(token)), onEvent: (e) => events.push(e),
    ...(options.metrics === true ? { metrics: { render: async () => ({ contentType: 'text/plain; version=0.0.4', body: 'm2msec_up 1\n' }) } } : {}),
  })
  await app.ready()
  t.after(async () => {
    await app.close()
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })
  return {
    app, store, token, events, bodies,
    async call(method, url, body, headers = { authorization: `Bearer ${token}` }) {
      const reply = await app.inject({
        method: method as 'GET', url, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      })
      bodies.push(reply.body)
      let json: unknown
      try {
        json = reply.body === '' ? undefined : JSON.parse(reply.body)
      } catch {
        json = undefined
      }
      return { status: reply.statusCode, json, headers: reply.headers as Record<string, unknown>, text: reply.body }
    },
  }
}

export const KPM_HEX = 'C0FFEE11D00D2222ABCD3333EF014444C0FFEE11D00D2222ABCD3333EF014444'
export const KPSA_HEX = '5EC12E7A5EC12E7B5EC12E7C5EC12E7D5EC12E7E5EC12E7F5EC12E805EC12E81'

export function kpmId(n: number): string {
  return `${n.toString(16).toUpperCase().padStart(32, '0')}@mef.m2msec.localhost`
}
