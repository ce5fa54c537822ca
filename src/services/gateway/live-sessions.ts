/**
 * The gateway's live SA1 associations, by Credential-ID (TS-0003 8.2.1; STYLE.md §5 "revocation
 * emits an event the transport uses to drop live sessions"). An association may not outlive its
 * credential: each one is cut — its socket destroyed, `onCut` told why — when
 *  - the key or certificate it was authenticated with reaches the end of its lifetime (Kc,
 *    fetched Kpsa, Kpsa `expiresAt`, certificate notAfter): one timer per association, set at
 *    establishment, so nothing polls for expiry;
 *  - a recheck finds its credential revoked, removed or replaced in the store, or the binding it
 *    was given at registration removed. Rechecks run on an interval (service.ts) so that a
 *    revocation written by another process on the same database takes effect within it, and on
 *    demand (`GatewayService.recheckSessions`, called by the admin API after an operator revokes).
 *
 * Only this process's sockets are here; another instance cuts its own on its own recheck.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { SecretBytes } from '../../core/index.js'
import type { Store } from '../../store/index.js'
import { GATEWAY_AUDIT_ACTION, type GatewayAudit } from './audit.js'
import type { Saef, SaefRefusal } from './saef/index.js'
import type { GatewaySession } from './session.js'

/** Why an association was cut (stable tokens: audit outcomes `cut:<reason>`). */
export type SessionCutReason = 'expired' | 'revoked' | 'removed' | 'replaced' | 'not-allowed' | 'binding-removed'

/** What a session holds of its connection: enough to end it and to notice it ended. */
export interface SessionSocket {
  destroy(): void
  once(event: 'close', listener: () => void): unknown
}

/** setTimeout/clearTimeout, replaceable by a fake clock in tests. */
export interface SessionTimers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface LiveSession {
  readonly session: GatewaySession
  /** HMAC of the key the association was established with (under a per-process salt), to notice a replaced key. */
  readonly keyTag?: Uint8Array
}

export type SessionVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: SessionCutReason }

/** Decides whether one live association may go on; made once per recheck run (see `storeSessionCheck`). */
export type SessionCheck = (live: LiveSession) => Promise<SessionVerdict>

export interface LiveSessionsOptions {
  readonly now: () => Date
  readonly onCut: (session: GatewaySession, reason: SessionCutReason) => void
  readonly timers?: SessionTimers
}

// setTimeout fires at once for delays past 2^31-1 ms (~24.8 days): longer lifetimes re-arm.
const MAX_TIMER_MS = 2 ** 31 - 1

const NODE_TIMERS: SessionTimers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms)
    handle.unref()
    return handle
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

interface Tracked extends LiveSession {
  readonly socket: SessionSocket
  timer?: unknown
  ended: boolean
}

export class LiveSessions {
  readonly #options: LiveSessionsOptions
  readonly #timers: SessionTimers
  readonly #byCredential = new Map<string, Set<Tracked>>()
  readonly #salt = randomBytes(32)

  constructor(options: LiveSessionsOptions) {
    this.#options = options
    this.#timers = options.timers ?? NODE_TIMERS
  }

  /** Number of live associations. */
  get size(): number {
    let n = 0
    for (const set of this.#byCredential.values()) n += set.size
    return n
  }

  /**
   * Tracks an established association until its socket closes; arms its lifetime timer. One
   * already past its lifetime is cut at once. `key` is only read, to tag it.
   */
  add(session: GatewaySession, socket: SessionSocket, key?: SecretBytes): void {
    const tracked: Tracked = { session, socket, ended: false, ...(key === undefined ? {} : { keyTag: this.#tag(key) }) }
    const credentialId = session.context.credentialId
    let set = this.#byCredential.get(credentialId)
    if (set === undefined) this.#byCredential.set(credentialId, (set = new Set()))
    set.add(tracked)
    socket.once('close', () => this.#forget(tracked))
    this.#arm(tracked)
  }

  /** The live associations of `credentialIds` (all when undefined). */
  list(credentialIds?: readonly string[]): readonly LiveSession[] {
    const sets = credentialIds === undefined ? [...this.#byCredential.values()] : credentialIds.map((id) => this.#byCredential.get(id) ?? new Set<Tracked>())
    return sets.flatMap((set) => [...set])
  }

  /** True when `key` is the key `live` was established with (constant time). */
  sameKey(live: LiveSession, key: SecretBytes): boolean {
    return live.keyTag === undefined || timingSafeEqual(live.keyTag, this.#tag(key))
  }

  /**
   * Runs `check` on the live associations of `credentialIds` (all when undefined) and cuts those
   * it refuses. A check that throws (store unreachable) leaves its association alone: the next
   * recheck decides. @returns how many were checked and cut.
   */
  async recheck(check: SessionCheck, credentialIds?: readonly string[]): Promise<{ readonly checked: number; readonly cut: number }> {
    const targets = this.list(credentialIds) as readonly Tracked[]
    let cut = 0
    for (const tracked of targets) {
      if (tracked.ended) continue
      const verdict = await check(tracked).catch(() => ({ ok: true }) as const)
      if (!verdict.ok && !tracked.ended) {
        this.#cut(tracked, verdict.reason)
        cut += 1
      }
    }
    return { checked: targets.length, cut }
  }

  /** Cuts every association of `credentialId` with `reason`; returns how many. */
  cutCredential(credentialId: string, reason: SessionCutReason): number {
    const targets = [...(this.#byCredential.get(credentialId) ?? [])]
    for (const tracked of targets) this.#cut(tracked, reason)
    return targets.length
  }

  /** Disarms every timer (the listener's close ends the sockets). */
  close(): void {
    for (const set of this.#byCredential.values()) for (const tracked of set) this.#disarm(tracked)
  }

  #tag(key: SecretBytes): Uint8Array {
    return new Uint8Array(createHmac('sha256', this.#salt).update(key.reveal()).digest())
  }

  #arm(tracked: Tracked): void {
    const expiresAt = tracked.session.context.expiresAt
    if (expiresAt === undefined || tracked.ended) return
    const left = expiresAt.getTime() - this.#options.now().getTime()
    if (left <= 0) {
      this.#cut(tracked, 'expired')
      return
    }
    tracked.timer = this.#timers.setTimeout(() => {
      tracked.timer = undefined
      this.#arm(tracked)
    }, Math.min(left, MAX_TIMER_MS))
  }

  #disarm(tracked: Tracked): void {
    if (tracked.timer !== undefined) this.#timers.clearTimeout(tracked.timer)
    tracked.timer = undefined
  }

  #forget(tracked: Tracked): void {
    tracked.ended = true
    this.#disarm(tracked)
    const credentialId = tracked.session.context.credentialId
    const set = this.#byCredential.get(credentialId)
    set?.delete(tracked)
    if (set?.size === 0) this.#byCredential.delete(credentialId)
  }

  #cut(tracked: Tracked, reason: SessionCutReason): void {
    if (tracked.ended) return
    this.#forget(tracked)
    tracked.socket.destroy()
    this.#options.onCut(tracked.session, reason)
  }
}

const CUT_OF_REFUSAL: Readonly<Record<SaefRefusal, SessionCutReason>> = {
  'unknown-identity': 'removed',
  revoked: 'revoked',
  expired: 'expired',
  'not-allowed': 'not-allowed',
}

export interface SessionCheckDeps {
  readonly store: Pick<Store, 'reader'>
  readonly saefs: readonly Saef[]
  readonly now: () => Date
  /** `LiveSessions.sameKey` of the registry the sessions live in. */
  readonly sameKey: (live: LiveSession, key: SecretBytes) => boolean
}

/** A binding given at registration (not by the credential itself) must still be stored, with every ID the session uses. */
async function bindingVerdict(deps: SessionCheckDeps, session: GatewaySession): Promise<SessionVerdict> {
  const bound = session.bound
  if (session.context.boundTo !== undefined || bound === undefined) return { ok: true }
  const stored = await deps.store.reader.findIdentityBinding(session.context.credentialId, deps.now())
  const kept = stored !== undefined && stored.entityKind === bound.kind && bound.ids.every((id) => stored.entityIds.includes(id))
  return kept ? { ok: true } : { ok: false, reason: 'binding-removed' }
}

type SaefVerdict = SessionVerdict | { readonly ok: true; readonly key: SecretBytes }

/**
 * The store-backed check of one recheck run: the SAEF's own recheck (its stored key revoked,
 * removed, expired, or another key now under the identity), then the binding. Sessions of one
 * credential share the SAEF look-up within a run; `release` wipes the keys it read.
 */
export function storeSessionCheck(deps: SessionCheckDeps): { readonly check: SessionCheck; release(): Promise<void> } {
  const bySaef = new Map(deps.saefs.map((saef) => [saef.name, saef]))
  const memo = new Map<string, Promise<SaefVerdict>>()
  const release = async (): Promise<void> => {
    for (const pending of memo.values()) {
      const verdict = await pending.catch(() => undefined)
      if (verdict !== undefined && 'key' in verdict) verdict.key.wipe()
    }
  }
  const check: SessionCheck = async (live) => {
    const context = live.session.context
    const saef = bySaef.get(context.saef)
    if (saef?.recheck !== undefined) {
      const memoKey = `${context.saef}\u0000${context.identity ?? context.credentialId}`
      let pending = memo.get(memoKey)
      if (pending === undefined) {
        pending = saef.recheck(context).then((r) => (r.ok ? (r.key === undefined ? { ok: true } as const : { ok: true, key: r.key } as const) : { ok: false, reason: CUT_OF_REFUSAL[r.refusal] } as const))
        memo.set(memoKey, pending)
      }
      const verdict = await pending
      if (!verdict.ok) return verdict
      if ('key' in verdict && !deps.sameKey(live, verdict.key)) return { ok: false, reason: 'replaced' }
    }
    return bindingVerdict(deps, live.session)
  }
  return { check, release }
}

export interface SessionGuardOptions {
  readonly store: Pick<Store, 'reader'>
  readonly saefs: readonly Saef[]
  readonly now: () => Date
  /** Interval of the store recheck (D-190); default 30 s. */
  readonly recheckMs?: number
  readonly audit: Pick<GatewayAudit, 'record'>
  readonly onCut?: (cut: { readonly credentialId: string; readonly saef: string; readonly reason: SessionCutReason }) => void
  readonly timers?: SessionTimers
}

/** The gateway's use of LiveSessions: keys noted at resolution, sessions tracked once established, rechecks on an interval. */
export interface SessionGuard {
  /** Remembers the key `session` is being established with (until it is tracked or dropped). */
  noteKey(session: GatewaySession, key: SecretBytes): void
  /** Tracks an established association. */
  track(session: GatewaySession, socket: SessionSocket): void
  /** Rechecks the live associations of `credentialIds` (all when undefined) against the store now. */
  recheck(credentialIds?: readonly string[]): Promise<{ readonly checked: number; readonly cut: number }>
  readonly size: number
  close(): void
}

export const DEFAULT_SESSION_RECHECK_MS = 30_000

export function startSessionGuard(options: SessionGuardOptions): SessionGuard {
  const keys = new WeakMap<GatewaySession, SecretBytes>()
  const live = new LiveSessions({
    now: options.now,
    ...(options.timers === undefined ? {} : { timers: options.timers }),
    onCut: (session, reason) => {
      const c = session.context
      options.audit.record({
        action: GATEWAY_AUDIT_ACTION.sessionCut, outcome: `cut:${reason}`,
        subject: { credentialId: c.credentialId, saef: c.saef, ...(c.identity === undefined ? {} : { identity: c.identity }), ...(session.bound === undefined ? {} : { bound: [...session.bound.ids] }) },
      })
      options.onCut?.({ credentialId: c.credentialId, saef: c.saef, reason })
    },
  })
  const recheck = async (credentialIds?: readonly string[]): Promise<{ readonly checked: number; readonly cut: number }> => {
    const run = storeSessionCheck({ store: options.store, saefs: options.saefs, now: options.now, sameKey: (s, k) => live.sameKey(s, k) })
    try {
      return await live.recheck(run.check, credentialIds)
    } finally {
      await run.release()
    }
  }
  let running = false
  const interval = setInterval(() => {
    // A slow store must not pile runs up: skip a tick while the previous run goes on.
    if (running || live.size === 0) return
    running = true
    // recheck reports what it cuts or cannot read; a throwing sink must not crash the gateway from a timer.
    void recheck().catch(() => undefined).finally(() => (running = false))
  }, options.recheckMs ?? DEFAULT_SESSION_RECHECK_MS)
  interval.unref()
  return {
    noteKey: (session, key) => keys.set(session, key),
    track: (session, socket) => {
      const key = keys.get(session)
      keys.delete(session)
      live.add(session, socket, key)
    },
    recheck,
    get size() {
      return live.size
    },
    close: () => {
      clearInterval(interval)
      live.close()
    },
  }
}
