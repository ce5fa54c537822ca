/**
 * The gateway's audit trail (issue 7; STYLE.md §4 "the reason goes to the audit log"): refused
 * and failed handshakes (SAEF, reason, the psk_identity or SNI — never a key), requests refused
 * because `fr` is not the bound identity (TS-0003 7.2.1, 4106), AE registrations the rules refuse
 * or accept (the binding made, in the binding's own transaction), and live associations cut
 * (live-sessions.ts). Actor 'gateway', chained like the MEF's and MAF's events.
 *
 * Flood safety (D-192): anyone can open TLS connections and fail them, so refusals must not cost
 * one database transaction each. Events go through an aggregating recorder:
 *  - the first event of a kind (action, outcome, subject) in a window is written; identical ones
 *    after it in the same window are only counted, and one summary event (`repeated`, `until`)
 *    closes the window;
 *  - at most `maxKinds` kinds per window and `maxQueued` unwritten events: beyond, events are
 *    counted, and a `gateway.audit-overflow` event says how many were not recorded one by one;
 *  - one writer, up to `batchSize` events per transaction;
 *  - attacker-chosen strings (psk_identity, SNI, fr) are cut to `MAX_TEXT` characters.
 * Nothing is lost silently: every refusal is in an event or in a count.
 */
import type { AuditLinker, JsonValue, Store, StoreTx } from '../../store/index.js'

/** Action names, one per kind of event (stable: operators filter on them). */
export const GATEWAY_AUDIT_ACTION = {
  /** A handshake refused by a SAEF, or failed in TLS after the key was found (wrong key, bad chain). */
  handshake: 'gateway.handshake',
  /** A request refused before forwarding (fr not the bound identity: 4106; fr malformed: 4000). */
  request: 'gateway.request',
  /** An AE registration accepted (binding made) or refused by the subscription rules. */
  registration: 'gateway.registration',
  /** A live association cut: lifetime over, credential revoked/removed/replaced, binding removed. */
  sessionCut: 'gateway.session-cut',
  /** Events counted but not recorded one by one (flood bound reached). */
  overflow: 'gateway.audit-overflow',
} as const
export type GatewayAuditAction = (typeof GATEWAY_AUDIT_ACTION)[keyof typeof GATEWAY_AUDIT_ACTION]

export interface GatewayAuditEvent {
  readonly action: GatewayAuditAction
  /** Identifiers the event is about; never a key. */
  readonly subject: { readonly [key: string]: JsonValue }
  /** 'ok', 'refused:<reason|rsc>', 'failed:<code>' or 'cut:<reason>'. */
  readonly outcome: string
  readonly at?: Date
}

/** Longest attacker-chosen string kept in a subject. */
export const MAX_TEXT = 256

/** Appends `event` inside the caller's transaction (commits or rolls back with it). */
export async function appendGatewayAudit(tx: StoreTx, link: AuditLinker, event: GatewayAuditEvent): Promise<void> {
  await tx.audit.append({ actor: 'gateway', action: event.action, subject: event.subject, outcome: event.outcome, ...(event.at ? { at: event.at } : {}) }, link)
}

/** `text` cut to MAX_TEXT characters, marked when cut. */
export function boundedText(text: string): string {
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT)}…(${text.length})`
}

export interface GatewayAuditOptions {
  readonly store: Pick<Store, 'transaction'>
  readonly auditLink: AuditLinker
  readonly now: () => Date
  /** Aggregation window; default 60 s. */
  readonly windowMs?: number
  /** Distinct kinds written individually per window; default 1000. */
  readonly maxKinds?: number
  /** Unwritten events held at most; default 10 000. */
  readonly maxQueued?: number
  /** Events per transaction; default 100. */
  readonly batchSize?: number
  /** A write failed (the events of that batch are lost; the count says how many). */
  readonly onError?: (error: unknown, lost: number) => void
}

export interface GatewayAudit {
  /** Records `event` (aggregated, written in the background). Never throws. */
  record(event: GatewayAuditEvent): void
  /** Appends `event` inside `tx` (events that must commit with other state). */
  append(tx: StoreTx, event: GatewayAuditEvent): Promise<void>
  /** Closes the current window (summaries, overflow) and waits until everything is written. */
  flush(): Promise<void>
  /** flush(), then stops the window timer. */
  close(): Promise<void>
}

interface Kind {
  readonly event: GatewayAuditEvent
  repeated: number
  last: Date
}

/** The aggregating recorder described above. */
export function createGatewayAudit(options: GatewayAuditOptions): GatewayAudit {
  const windowMs = options.windowMs ?? 60_000
  const maxKinds = options.maxKinds ?? 1000
  const maxQueued = options.maxQueued ?? 10_000
  const batchSize = options.batchSize ?? 100
  const window = new Map<string, Kind>()
  const queue: GatewayAuditEvent[] = []
  const overflow = { count: 0, from: undefined as Date | undefined, to: undefined as Date | undefined }
  let writing: Promise<void> | undefined
  let timer: ReturnType<typeof setTimeout> | undefined

  const writeAll = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue.splice(0, batchSize)
      try {
        await options.store.transaction(async (tx) => {
          for (const event of batch) await appendGatewayAudit(tx, options.auditLink, event)
        })
      } catch (error) {
        options.onError?.(error, batch.length)
      }
    }
  }
  const kick = (): void => {
    // writeAll reports failures through onError; a sink that throws must not crash the gateway.
    writing ??= writeAll().catch(() => undefined).finally(() => {
      writing = undefined
      if (queue.length > 0) kick()
    })
  }
  const overflowed = (at: Date): void => {
    overflow.count += 1
    overflow.from ??= at
    overflow.to = at
  }
  const enqueue = (event: GatewayAuditEvent): void => {
    if (queue.length >= maxQueued) {
      overflowed(event.at ?? options.now())
      return
    }
    queue.push(event)
    kick()
  }
  const closeWindow = (): void => {
    for (const kind of window.values()) {
      if (kind.repeated === 0) continue
      const e = kind.event
      enqueue({ action: e.action, outcome: e.outcome, at: kind.last, subject: { ...e.subject, repeated: kind.repeated, until: kind.last.toISOString() } })
    }
    window.clear()
    if (overflow.count > 0) {
      const { count, from, to } = overflow
      overflow.count = 0
      overflow.from = overflow.to = undefined
      // Written even when the queue is full: it is the record of what was not written.
      queue.push({ action: GATEWAY_AUDIT_ACTION.overflow, outcome: 'aggregated', at: to!, subject: { notRecorded: count, from: from!.toISOString(), until: to!.toISOString() } })
      kick()
    }
    if (timer !== undefined) {
      clearTimeout(timer)
      timer = undefined
    }
  }
  const record = (input: GatewayAuditEvent): void => {
    const at = input.at ?? options.now()
    const subject = Object.fromEntries(Object.entries(input.subject).map(([k, v]) => [k, typeof v === 'string' ? boundedText(v) : v]))
    const key = JSON.stringify([input.action, input.outcome, subject])
    const seen = window.get(key)
    if (seen !== undefined) {
      seen.repeated += 1
      seen.last = at
      return
    }
    if (window.size >= maxKinds) {
      overflowed(at)
      return
    }
    const event: GatewayAuditEvent = { action: input.action, outcome: input.outcome, subject, at }
    window.set(key, { event, repeated: 0, last: at })
    // The window opens with its first event and closes windowMs later.
    timer ??= setTimeout(closeWindow, windowMs).unref()
    enqueue(event)
  }
  const flush = async (): Promise<void> => {
    closeWindow()
    while (writing !== undefined) await writing
  }
  return {
    record: (event) => {
      try {
        record(event)
      } catch (error) {
        // An unserialisable subject is a bug of ours; the refusal itself must still be answered.
        options.onError?.(error, 1)
      }
    },
    append: (tx, event) => appendGatewayAudit(tx, options.auditLink, event),
    flush,
    close: flush,
  }
}
