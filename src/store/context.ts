/**
 * What every aggregate module receives: the query handle of the current transaction, the
 * sealer, the clock and the dialect. Aggregates never open their own transactions; the store
 * hands them one, so each procedure's writes commit or roll back together.
 */
import type { Kysely } from 'kysely'
import type { Sealer } from './custody/sealer.js'
import type { StoreDialect } from './migrations.js'
import type { Database } from './schema.js'

export interface RepoContext {
  readonly db: Kysely<Database>
  readonly sealer: Sealer
  readonly dialect: StoreDialect
  /** Wall clock for created/updated stamps; reads that filter on expiry take `now` explicitly. */
  readonly clock: () => Date
}
