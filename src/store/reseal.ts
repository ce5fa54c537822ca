/**
 * Online KEK rotation support (issue 4 "KEK rotation re-seals everything online"): every
 * sealed column of the store, listable page by page and writable back by its SealContext
 * (the shape custody's rotateKek takes as a SealedColumnSource), and `resealAll`, which moves
 * every blob not under the sealer's active KEK in small transactions so handshakes keep being
 * served. A crash midway leaves every row openable (old or new KEK) and a rerun continues.
 */
import type { SecretBytes } from '../core/index.js'
import type { SealContext, Sealer } from './custody/sealer.js'
import type { RepoContext } from './context.js'
import { caSealContext } from './ca-state.js'
import { enrolmentSealContext } from './enrolments.js'
import { StoreError } from './errors.js'
import { keyRegistrationSealContext } from './key-registrations.js'
import { pskSealContext } from './psk-credentials.js'
import { fromBlob, toBlob } from './row-codec.js'
import { serviceKeySealContext } from './service-keys.js'

export interface SealedEntry {
  readonly context: SealContext
  readonly blob: Uint8Array
}

/** Every sealed value of the store, bound to one transaction. */
export interface SealedColumns {
  /** Each sealed value once; a page is read completely before it is yielded. */
  listSealed(pageSize?: number): AsyncIterable<SealedEntry>
  /** @throws StoreError M2MSEC_STORE_NOT_FOUND when no row matches `context`. */
  replaceSealed(context: SealContext, blob: Uint8Array): Promise<void>
}

interface SealedTable {
  readonly table: string
  /** Rows after `cursor` (a record id; '' = from the start), ordered by record id. */
  readonly page: (ctx: RepoContext, cursor: string, limit: number) => Promise<readonly SealedEntry[]>
  /** Writes `blob` to the row named by `recordId`; resolves to the number of rows changed. */
  readonly write: (ctx: RepoContext, recordId: string, blob: Buffer) => Promise<bigint>
}

function splitAt(text: string, index: number): [string, string] {
  return index < 0 ? [text, ''] : [text.slice(0, index), text.slice(index + 1)]
}

const TABLES: readonly SealedTable[] = [
  {
    // recordId = `${usage}:${identity}`; a usage never contains ':'.
    table: 'psk_credentials',
    page: async (ctx, cursor, limit) => {
      const [usage, identity] = cursor === '' ? ['', ''] : splitAt(cursor, cursor.indexOf(':'))
      const rows = await ctx.db.selectFrom('psk_credentials').select(['usage', 'identity', 'key_sealed'])
        .where((eb) => eb.or([eb('usage', '>', usage), eb.and([eb('usage', '=', usage), eb('identity', '>', identity)])]))
        .orderBy('usage').orderBy('identity').limit(limit).execute()
      return rows.map((r) => ({ context: pskSealContext(r.usage, r.identity), blob: fromBlob(r.key_sealed) }))
    },
    write: async (ctx, recordId, blob) => {
      const [usage, identity] = splitAt(recordId, recordId.indexOf(':'))
      const r = await ctx.db.updateTable('psk_credentials').set({ key_sealed: blob }).where('usage', '=', usage).where('identity', '=', identity).executeTakeFirst()
      return r.numUpdatedRows
    },
  },
  {
    table: 'enrolments',
    page: async (ctx, cursor, limit) => {
      const rows = await ctx.db.selectFrom('enrolments').select(['ke_id', 'ke_sealed']).where('ke_id', '>', cursor).orderBy('ke_id').limit(limit).execute()
      return rows.map((r) => ({ context: enrolmentSealContext(r.ke_id), blob: fromBlob(r.ke_sealed) }))
    },
    write: async (ctx, recordId, blob) => (await ctx.db.updateTable('enrolments').set({ ke_sealed: blob }).where('ke_id', '=', recordId).executeTakeFirst()).numUpdatedRows,
  },
  {
    // recordId = Key Identifier `RelativeKeyID@FQDN`; paged in (fqdn, relative) order.
    table: 'key_registrations',
    page: async (ctx, cursor, limit) => {
      const [relative, fqdn] = cursor === '' ? ['', ''] : splitAt(cursor, cursor.lastIndexOf('@'))
      const rows = await ctx.db.selectFrom('key_registrations').select(['issuer_fqdn', 'relative_key_id', 'key_sealed'])
        .where((eb) => eb.or([eb('issuer_fqdn', '>', fqdn), eb.and([eb('issuer_fqdn', '=', fqdn), eb('relative_key_id', '>', relative)])]))
        .orderBy('issuer_fqdn').orderBy('relative_key_id').limit(limit).execute()
      return rows.map((r) => ({ context: keyRegistrationSealContext(`${r.relative_key_id}@${r.issuer_fqdn}`), blob: fromBlob(r.key_sealed) }))
    },
    write: async (ctx, recordId, blob) => {
      const [relative, fqdn] = splitAt(recordId, recordId.lastIndexOf('@'))
      const r = await ctx.db.updateTable('key_registrations').set({ key_sealed: blob })
        .where('issuer_fqdn', '=', fqdn).where('relative_key_id', '=', relative).executeTakeFirst()
      return r.numUpdatedRows
    },
  },
  {
    table: 'cas',
    page: async (ctx, cursor, limit) => {
      const rows = await ctx.db.selectFrom('cas').select(['ca_id', 'key_sealed']).where('ca_id', '>', cursor).orderBy('ca_id').limit(limit).execute()
      return rows.map((r) => ({ context: caSealContext(r.ca_id), blob: fromBlob(r.key_sealed) }))
    },
    write: async (ctx, recordId, blob) => (await ctx.db.updateTable('cas').set({ key_sealed: blob }).where('ca_id', '=', recordId).executeTakeFirst()).numUpdatedRows,
  },
  {
    table: 'service_keys',
    page: async (ctx, cursor, limit) => {
      const rows = await ctx.db.selectFrom('service_keys').select(['name', 'key_sealed']).where('name', '>', cursor).orderBy('name').limit(limit).execute()
      return rows.map((r) => ({ context: serviceKeySealContext(r.name), blob: fromBlob(r.key_sealed) }))
    },
    write: async (ctx, recordId, blob) => (await ctx.db.updateTable('service_keys').set({ key_sealed: blob }).where('name', '=', recordId).executeTakeFirst()).numUpdatedRows,
  },
]

async function replaceSealed(ctx: RepoContext, context: SealContext, blob: Uint8Array): Promise<void> {
  const table = TABLES.find((t) => t.table === context.table)
  const changed = table === undefined ? 0n : await table.write(ctx, context.recordId, toBlob(blob))
  if (changed === 0n) throw new StoreError('M2MSEC_STORE_NOT_FOUND', 'not-found', `no sealed ${context.table} record ${context.recordId}`)
}

export function sealedColumns(ctx: RepoContext): SealedColumns {
  return {
    async *listSealed(pageSize = 500) {
      for (const table of TABLES) {
        let cursor = ''
        for (;;) {
          const page = await table.page(ctx, cursor, pageSize)
          yield* page
          const last = page.at(-1)
          if (last === undefined || page.length < pageSize) break
          cursor = last.context.recordId
        }
      }
    },
    replaceSealed: (context, blob) => replaceSealed(ctx, context, blob),
  }
}

function resealed(sealer: Sealer, entry: SealedEntry): Uint8Array | undefined {
  if (sealer.kekIdOf(entry.blob) === sealer.activeKekId) return undefined
  const secret: SecretBytes = sealer.open(entry.blob, entry.context)
  try {
    return sealer.seal(secret, entry.context)
  } finally {
    secret.wipe()
  }
}

/**
 * Re-seals everything not under the active KEK, one transaction per batch; returns how many
 * blobs changed. `inTransaction` is the store's transaction runner. The sealer must still hold
 * the old KEKs.
 */
export async function resealAll(
  inTransaction: <T>(work: (ctx: RepoContext) => Promise<T>) => Promise<T>,
  batchSize = 200,
): Promise<number> {
  let changed = 0
  for (const table of TABLES) {
    let cursor = ''
    for (;;) {
      const page = await inTransaction(async (ctx) => {
        const rows = await table.page(ctx, cursor, batchSize)
        let n = 0
        for (const row of rows) {
          const blob = resealed(ctx.sealer, row)
          if (blob === undefined) continue
          await replaceSealed(ctx, row.context, blob)
          n++
        }
        return { size: rows.length, last: rows.at(-1)?.context.recordId, n }
      })
      changed += page.n
      if (page.last === undefined || page.size < batchSize) break
      cursor = page.last
    }
  }
  return changed
}
