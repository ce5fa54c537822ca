/**
 * What every operation of the reference CSE works with: its configuration, the resource tree,
 * a clock, the way out for notifications, and the event sink the service reports to. Passed
 * explicitly (STYLE.md §5 "dependencies arrive through deps"), so tests swap the sender and clock.
 */
import type { RequestPrimitive, ResponsePrimitive } from '../../onem2m/index.js'
import type { CseConfig } from './config.js'
import type { ResourceTree } from './resource-tree.js'
import type { RequestEvent } from '../../transport/index.js'

/** Delivers one NOTIFY to a URL (a pointOfAccess or a notificationURI) and returns the answer. */
export type NotificationSender = (url: string, request: RequestPrimitive) => Promise<ResponsePrimitive>

/**
 * Something the operator should see; never holds content values, only identifiers and codes.
 * `request`: one per request answered over HTTP (the CLI logs and counts it, issue 8).
 */
export type CseServiceEvent =
  | { readonly type: 'request-failed'; readonly rsc: number; readonly to?: string; readonly requestId?: string; readonly error: unknown }
  | RequestEvent
  | { readonly type: 'notification-failed'; readonly target: string; readonly subscription: string; readonly error: unknown }
  | { readonly type: 'notification-sent'; readonly target: string; readonly subscription: string; readonly net?: number }

export interface CseContext {
  readonly config: CseConfig
  readonly tree: ResourceTree
  readonly now: () => Date
  readonly send: NotificationSender
  readonly emit: (event: CseServiceEvent) => void
  /** Runs a delivery in the background; the service awaits all of them before it closes. */
  readonly background: (work: Promise<void>) => void
}
