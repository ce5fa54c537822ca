/**
 * Long-lived keys a role keeps for itself, by name: the KMS master secret KSAK with its public
 * KPAK (frameworks.md §17, §18 KMS row), a BSF or gateway private key, and the like. One sealed
 * blob per name; the public part, when any, is stored beside it in clear.
 */
import type { SecretBytes } from '../core/index.js'
import type { RepoContext } from './context.js'
import { StoreError } from './errors.js'
import { guarded } from './guard.js'
import { fromMs, toMs } from './row-codec.js'
import { openFrom, sealFor } from './sealing.js'

export interface ServiceKey {
  readonly name: string
  readonly key: SecretBytes
  readonly publicInfo?: string
  readonly createdAt: Date
}

export interface ServiceKeyRepo {
  /** @throws StoreError M2MSEC_STORE_CONFLICT when `name` exists. */
  create(name: string, key: SecretBytes, publicInfo?: string): Promise<void>
  get(name: string): Promise<ServiceKey | undefined>
  /** @throws StoreError M2MSEC_STORE_NOT_FOUND */
  delete(name: string): Promise<void>
}

export function serviceKeySealContext(name: string): { table: string; recordId: string; purpose: string } {
  return { table: 'service_keys', recordId: name, purpose: 'service-key' }
}

export function serviceKeyRepo(ctx: RepoContext): ServiceKeyRepo {
  const { db } = ctx
  return {
    create: (name, key, publicInfo) => guarded('insert service key', async () => {
      await db.insertInto('service_keys').values({
        name, key_sealed: sealFor(ctx.sealer, key, serviceKeySealContext(name)), public_info: publicInfo ?? null, created_at: toMs(ctx.clock()),
      }).execute()
    }),
    get: (name) => guarded('read service key', async () => {
      const row = await db.selectFrom('service_keys').selectAll().where('name', '=', name).executeTakeFirst()
      if (row === undefined) return undefined
      return {
        name: row.name, key: openFrom(ctx.sealer, row.key_sealed, serviceKeySealContext(row.name)),
        ...(row.public_info === null ? {} : { publicInfo: row.public_info }), createdAt: fromMs(row.created_at),
      }
    }),
    delete: (name) => guarded('delete service key', async () => {
      const result = await db.deleteFrom('service_keys').where('name', '=', name).executeTakeFirst()
      if (Number(result.numDeletedRows) === 0) throw new StoreError('M2MSEC_STORE_NOT_FOUND', 'not-found', `no service key ${name}`)
    }),
  }
}
