/**
 * The one store interface every service persists through (issue 4; ARCHITECTURE.md §3
 * "Storage"). Writers are reached only inside `transaction`, so each procedure's writes commit
 * together or not at all; the handshake path gets the narrow `reader`. Both backends
 * (SQLite, PostgreSQL) implement it with the same queries (open-store.ts) and pass the same
 * contract suite (test/contract/store.contract.ts).
 */
import type { AppRuleRepo } from './app-rules.js'
import type { AuditRepo } from './audit-events.js'
import type { CaRepo } from './ca-state.js'
import type { ClientRegistrationRepo } from './client-registrations.js'
import type { EnroleeRepo } from './enrolees.js'
import type { EnrolmentRepo } from './enrolments.js'
import type { HandshakeReader } from './handshake-reader.js'
import type { IdentifierAllocator } from './identifiers.js'
import type { IdentityBindingRepo } from './identity-bindings.js'
import type { KeyRegistrationRepo } from './key-registrations.js'
import type { StoreDialect } from './migrations.js'
import type { PskCredentialRepo } from './psk-credentials.js'
import type { SealedColumns } from './reseal.js'
import type { ServiceKeyRepo } from './service-keys.js'

/** Every aggregate, bound to one open transaction. */
export interface StoreTx {
  readonly enrolees: EnroleeRepo
  readonly enrolments: EnrolmentRepo
  readonly pskCredentials: PskCredentialRepo
  readonly clientRegistrations: ClientRegistrationRepo
  readonly keyRegistrations: KeyRegistrationRepo
  readonly identityBindings: IdentityBindingRepo
  readonly appRules: AppRuleRepo
  readonly ca: CaRepo
  readonly serviceKeys: ServiceKeyRepo
  readonly audit: AuditRepo
  readonly identifiers: IdentifierAllocator
  /** Every sealed value, for custody's KEK rotation (custody/rotation.ts SealedColumnSource). */
  readonly sealedColumns: SealedColumns
}

export interface Store {
  readonly dialect: StoreDialect
  /** Single-query reads for handshake and authorisation paths. */
  readonly reader: HandshakeReader
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws
   * (the error is rethrown). On SQLite the transaction takes the write lock up front.
   * @throws StoreError M2MSEC_STORE_UNAVAILABLE when the database cannot be reached or stays locked.
   */
  transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T>
  /** Re-seals every secret not under the sealer's active KEK; returns the count (reseal.ts). */
  resealAll(options?: { readonly batchSize?: number }): Promise<number>
  close(): Promise<void>
}
