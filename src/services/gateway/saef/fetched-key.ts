/**
 * Keys an Entity B obtains during a handshake from a key server — a Kpsa fetched from the MEF
 * (TS-0003 8.3.2.1 "Use of Remotely Provisioned Credential" f–g, frameworks.md §10.5) or a Kc
 * from MAF Key Retrieval (8.8.2.8, §7.2 step 4) — kept sealed in the store (usage 'saef', owner
 * 'retrieved') until their lifetime ends, so a re-handshake or SA2 needs no second request
 * (§4.5, §7.4.7 "should not repeat retrieval"). Concurrent first contacts share one request
 * (single flight). Shared by the PSK and MAF SAEFs; neither decides anything here.
 */
import { M2mSecError, type SecretBytes } from '../../../core/index.js'
import type { BoundEntity, PskCredential } from '../../../store/index.js'
import type { KeyFetchOutcome, SaefDeps, SaefOutcome, SaefRecheck, SecurityContext } from './saef.js'

/** Every fetched SAEF key is 32 bytes (10.3.7 output, Kc of the exporter split; OQ-13). */
export const FETCHED_KEY_LENGTH = 32

export interface FetchedKeyRecord {
  readonly identity: string
  readonly credentialId: string
  readonly boundEntity?: BoundEntity
  readonly suid: number
}

/** Waits for `work` unless `signal` fires first (the shared request itself goes on for the others). */
export function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

/** One in-flight request per identity. */
export function singleFlight<T>(): (key: string, work: () => Promise<T>) => Promise<T> {
  const inFlight = new Map<string, Promise<T>>()
  return (key, work) => {
    let pending = inFlight.get(key)
    if (pending === undefined) {
      pending = work().finally(() => inFlight.delete(key))
      inFlight.set(key, pending)
    }
    return pending
  }
}

/**
 * When the gateway stops using a stored key: the key server's lifetime, capped at `maxAgeMs`
 * after the fetch for a fetched ('retrieved') row (D-191); a configured Kpsa keeps its own.
 */
export function usableUntil(row: Pick<PskCredential, 'owner' | 'createdAt' | 'expiresAt'>, maxAgeMs: number | undefined): Date | undefined {
  if (row.owner.kind !== 'retrieved' || maxAgeMs === undefined) return row.expiresAt
  const capped = row.createdAt.getTime() + maxAgeMs
  return row.expiresAt === undefined || capped < row.expiresAt.getTime() ? new Date(capped) : row.expiresAt
}

/** The outcome a stored row yields. */
export function outcomeOfRow(saef: string, row: PskCredential, fallbackCredentialId: string, maxAgeMs?: number): SaefOutcome {
  const expiresAt = usableUntil(row, maxAgeMs)
  return {
    ok: true,
    key: row.key,
    context: {
      saef, identity: row.identity, credentialId: row.credentialId ?? fallbackCredentialId,
      ...(row.boundEntity === undefined ? {} : { boundTo: row.boundEntity }),
      ...(expiresAt === undefined ? {} : { expiresAt }),
    },
  }
}

/**
 * A fetched key past the gateway's cap (not its server lifetime) is dropped so the caller asks the
 * key server again: a revocation there then shows at the next handshake after the cap (D-191).
 * Returns true when `row` was such a key (its bytes are wiped).
 */
export async function dropIfPastCap(deps: SaefDeps, row: PskCredential): Promise<boolean> {
  const maxAgeMs = deps.fetchedKeyMaxAgeMs
  if (row.owner.kind !== 'retrieved' || maxAgeMs === undefined || row.createdAt.getTime() + maxAgeMs > deps.now().getTime()) return false
  row.key.wipe()
  try {
    await deps.store.transaction((tx) => tx.pskCredentials.delete('saef', row.identity))
  } catch (error) {
    // Another gateway instance dropped it first.
    if (!(error instanceof M2mSecError && error.code === 'M2MSEC_STORE_NOT_FOUND')) throw error
  }
  return true
}

/**
 * The stored key behind a live association, re-read (the PSK and MAF SAEFs' recheck): revoked,
 * removed or expired rows refuse; otherwise the current key, for the caller to compare.
 */
export async function recheckStoredKey(deps: SaefDeps, context: SecurityContext): Promise<SaefRecheck> {
  if (context.identity === undefined) return { ok: false, refusal: 'unknown-identity' }
  const found = await deps.store.reader.findPskByIdentity('saef', context.identity, deps.now())
  return found.ok ? { ok: true, key: found.credential.key } : { ok: false, refusal: found.refusal }
}

/**
 * Checks a key server's answer and stores the key sealed; returns the handshake outcome.
 * A refusal by the server is 'unknown-identity' (as an unknown local identity looks).
 */
export async function storeFetchedKey(
  saef: string,
  deps: SaefDeps,
  outcome: KeyFetchOutcome,
  record: (ownerId: string) => FetchedKeyRecord,
): Promise<SaefOutcome> {
  if (!outcome.ok) return { ok: false, refusal: 'unknown-identity', detail: { serverRsc: outcome.rsc } }
  const now = deps.now()
  const key: SecretBytes = outcome.key
  if (key.length !== FETCHED_KEY_LENGTH) {
    key.wipe()
    return { ok: false, refusal: 'not-allowed', detail: { keyLength: key.length } }
  }
  // TS-0003 8.2.2.3 / OQ-28: a key at or past its lifetime fails the handshake.
  if (outcome.expiresAt.getTime() <= now.getTime()) {
    key.wipe()
    return { ok: false, refusal: 'expired' }
  }
  const r = record(outcome.ownerId)
  const row = {
    usage: 'saef' as const, identity: r.identity, key, owner: { kind: 'retrieved' as const, ref: r.identity }, credentialId: r.credentialId,
    suid: r.suid, expiresAt: outcome.expiresAt, ...(r.boundEntity === undefined ? {} : { boundEntity: r.boundEntity }),
  }
  try {
    await deps.store.transaction((tx) => tx.pskCredentials.put(row))
  } catch (error) {
    // Another gateway instance on the same database stored it first: its row is the answer.
    if (!(error instanceof M2mSecError && error.code === 'M2MSEC_STORE_CONFLICT')) throw error
    key.wipe()
    const lookup = await deps.store.reader.findPskByIdentity('saef', r.identity, now)
    return lookup.ok ? outcomeOfRow(saef, lookup.credential, r.credentialId, deps.fetchedKeyMaxAgeMs) : { ok: false, refusal: lookup.refusal }
  }
  return outcomeOfRow(saef, { ...row, createdAt: now }, r.credentialId, deps.fetchedKeyMaxAgeMs)
}
