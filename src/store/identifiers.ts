/**
 * Identifier issue (issue 4: "no key identifier is ever issued twice"). Every relative
 * identifier an MEF/MAF hands out — RelativeKeID, RelativeKeyID, client registration ids — is
 * first recorded in `issued_identifiers` under its issuer FQDN. The row outlives the record it
 * named, so a deleted registration's id is never reused, and RelativeKeIDs and RelativeKeyIDs
 * share one namespace per MEF (frameworks.md OQ-35). A random candidate that collides is
 * replaced by a fresh one; an id dictated from outside (an exported KeID) conflicts instead.
 */
import { randomBytes } from 'node:crypto'
import { CoreError, toHex } from '../core/index.js'
import { StoreError } from './errors.js'
import { guarded } from './guard.js'
import type { RepoContext } from './context.js'

export interface AllocateOptions {
  /** Namespace, normally the issuer FQDN (lower-case). */
  readonly scope: string
  /** What the id names ('relative-key-id', 'client-registration', …); informational. */
  readonly kind: string
  /** Produces a fresh random candidate; called again after each collision. */
  readonly generate: () => string
  /** Candidates tried before giving up (default 8). */
  readonly maxAttempts?: number
}

export interface IdentifierAllocator {
  /**
   * Issues a fresh identifier in `scope`, retrying with a new candidate on collision.
   * @throws StoreError M2MSEC_STORE_ID_EXHAUSTED when every candidate collided.
   */
  allocate(options: AllocateOptions): Promise<string>
  /**
   * Records an identifier chosen elsewhere (e.g. derived from a TLS exporter).
   * @throws StoreError M2MSEC_STORE_CONFLICT when it was issued before.
   */
  reserve(scope: string, value: string, kind: string): Promise<void>
  /** True when `value` was ever issued in `scope`. */
  isIssued(scope: string, value: string): Promise<boolean>
}

/** 32 upper-case hex digits from 16 random bytes (the RelativeKeyID form, frameworks.md OQ-2). */
export function randomRelativeKeyId(): string {
  return toHex(randomBytes(16))
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** `prefix` + `length` random upper-case letters/digits (mef-maf-interface.md §3.4 ids). */
export function randomPrefixedId(prefix: string, length = 16): string {
  let out = ''
  while (out.length < length) {
    // One randomBytes call per id, not one random draw per character (registration CREATE hot path).
    // Bytes ≥ 252 (= 7 × 36) are skipped so every character stays equally likely.
    for (const byte of randomBytes(length)) {
      if (byte < 252 && out.length < length) out += ALNUM[byte % ALNUM.length]
    }
  }
  return prefix + out
}

/**
 * Hex relative parts upper-case, FQDN lower-case (frameworks.md OQ-2): one spelling per key.
 * @throws CoreError M2MSEC_ID_INVALID when there is no `relative@fqdn` split.
 */
export function normaliseKeyIdentifier(identifier: string): { relative: string; fqdn: string } {
  const at = identifier.lastIndexOf('@')
  if (at <= 0 || at === identifier.length - 1) {
    throw new CoreError('M2MSEC_ID_INVALID', 'bad-input', `key identifier is not relative@fqdn (length ${identifier.length})`)
  }
  const relative = identifier.slice(0, at)
  return { relative: /^[0-9a-f]+$/i.test(relative) ? relative.toUpperCase() : relative, fqdn: identifier.slice(at + 1).toLowerCase() }
}

async function tryInsert(ctx: RepoContext, scope: string, value: string, kind: string): Promise<boolean> {
  // ON CONFLICT DO NOTHING instead of catching a unique violation: on PostgreSQL a failed
  // statement would abort the surrounding transaction.
  const rows = await ctx.db.insertInto('issued_identifiers')
    .values({ scope, value, kind, issued_at: ctx.clock().getTime() })
    .onConflict((oc) => oc.columns(['scope', 'value']).doNothing())
    .returning('value')
    .execute()
  return rows.length === 1
}

export function identifierAllocator(ctx: RepoContext): IdentifierAllocator {
  return {
    allocate: (options) => guarded('allocate identifier', async () => {
      const attempts = options.maxAttempts ?? 8
      for (let i = 0; i < attempts; i++) {
        const candidate = options.generate()
        if (await tryInsert(ctx, options.scope, candidate, options.kind)) return candidate
      }
      throw new StoreError('M2MSEC_STORE_ID_EXHAUSTED', 'internal',
        `no fresh ${options.kind} in ${options.scope} after ${attempts} attempts`)
    }),
    reserve: (scope, value, kind) => guarded('reserve identifier', async () => {
      if (!(await tryInsert(ctx, scope, value, kind))) {
        throw new StoreError('M2MSEC_STORE_CONFLICT', 'conflict', `${kind} ${value} was already issued in ${scope}`)
      }
    }),
    isIssued: (scope, value) => guarded('read identifier', async () => {
      const row = await ctx.db.selectFrom('issued_identifiers').select('value')
        .where('scope', '=', scope).where('value', '=', value).executeTakeFirst()
      return row !== undefined
    }),
  }
}
