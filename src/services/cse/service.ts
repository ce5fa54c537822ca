/**
 * The reference Registrar CSE (ARCHITECTURE.md §1 role `cse`; TS-0004 over the TS-0009 HTTP
 * binding, JSON only): a <CSEBase> with AE and remoteCSE registration, container,
 * contentInstance, subscription/notification, retrieve, update, delete and discovery, so the
 * whole system runs and is tested without an outside CSE.
 *
 * Security model: plain HTTP and a trusted `fr`. It is meant to run behind the gateway (Entity B),
 * which authenticates every peer, binds `fr` to it and refuses impersonation (TS-0003 §7.2.1,
 * §8.2.1). Anyone who can reach the port can claim any originator, so it listens on loopback or a
 * private address only (config.ts refuses anything else unless told the interface is private).
 * State is in memory and lost at exit (resource-tree.ts); a store-backed tree is future work.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { RESOURCE_TYPE, SUPPORTED_RELEASE_VERSIONS, formatTimestamp, rscForError, type RequestPrimitive } from '../../onem2m/index.js'
import { createPlainOneM2mHttpServer, requestEvent, sendPlainOneM2mRequest } from '../../transport/index.js'
import { checkListenHost, validateCseConfig, type CseConfig, type CseConfigInput } from './config.js'
import type { CseContext, CseServiceEvent, NotificationSender } from './context.js'
import { ResourceTree } from './resource-tree.js'
import { routeRequest } from './router.js'

export interface CseServiceOptions extends CseConfigInput {
  readonly listen?: { readonly host?: string; readonly port?: number }
  /** The listen host is private although it is not a loopback/RFC 1918/ULA literal (e.g. 0.0.0.0 in a container). */
  readonly allowAnyInterface?: boolean
  readonly clock?: () => Date
  /** Replaces plain HTTP(S) delivery of notifications (tests). */
  readonly sender?: NotificationSender
  readonly notificationTimeoutMs?: number
  readonly onEvent?: (event: CseServiceEvent) => void
}

export interface CseService {
  readonly host: string
  readonly port: number
  readonly config: CseConfig
  /** Answers one primitive without HTTP (tests, and `m2msec up` if it ever runs the CSE in-process). */
  handle(request: RequestPrimitive): ReturnType<typeof routeRequest>
  /** Resolves when every notification in flight has been delivered or has failed. */
  settled(): Promise<void>
  /** Stops accepting, closes connections, waits for notifications in flight. */
  close(): Promise<void>
}

/** CSEBase supported resource types (TS-0004 §7.4.3 `srt`). */
const SUPPORTED_TYPES = [RESOURCE_TYPE.AE, RESOURCE_TYPE.CONTAINER, RESOURCE_TYPE.CONTENT_INSTANCE, RESOURCE_TYPE.CSE_BASE, RESOURCE_TYPE.REMOTE_CSE, RESOURCE_TYPE.SUBSCRIPTION]

/** The tree with only its <CSEBase>. */
export function createCseTree(config: CseConfig, now: Date): ResourceTree {
  const ct = formatTimestamp(now)
  return new ResourceTree({
    ty: RESOURCE_TYPE.CSE_BASE, ri: config.cseIdSegment, rn: config.cseBaseName, ct, lt: ct,
    attrs: { cst: config.cseType, csi: config.cseId, srt: SUPPORTED_TYPES, srv: [...SUPPORTED_RELEASE_VERSIONS], csz: ['application/json'], poa: [] },
  })
}

/** A CseContext over a fresh tree; the service and the unit tests share it. */
export function createCseContext(config: CseConfig, deps: { readonly now: () => Date; readonly send: NotificationSender; readonly emit: (event: CseServiceEvent) => void }): CseContext & { readonly pending: Set<Promise<void>> } {
  const pending = new Set<Promise<void>>()
  return {
    config, tree: createCseTree(config, deps.now()), now: deps.now, send: deps.send, emit: deps.emit, pending,
    background: (work) => {
      const tracked = work.finally(() => pending.delete(tracked))
      pending.add(tracked)
    },
  }
}

/**
 * Starts the CSE on `options.listen` (default 127.0.0.1, port 0).
 * @throws CseError M2MSEC_CSE_CONFIG_INVALID for unusable options; the listen error otherwise.
 */
export async function createCseService(options: CseServiceOptions): Promise<CseService> {
  const config = validateCseConfig(options)
  const host = options.listen?.host ?? '127.0.0.1'
  checkListenHost(host, options.allowAnyInterface)
  const emit = options.onEvent ?? ((): void => undefined)
  const timeoutMs = options.notificationTimeoutMs ?? 5_000
  const send: NotificationSender = options.sender ?? (async (url, request) => (await sendPlainOneM2mRequest(url, request, { timeoutMs })).primitive)
  const ctx = createCseContext(config, { now: options.clock ?? ((): Date => new Date()), send, emit })
  const handle = async (request: RequestPrimitive, requestId?: string): ReturnType<typeof routeRequest> => {
    try {
      return await routeRequest(ctx, request)
    } catch (error) {
      const rsc = rscForError(error)
      if (rsc >= 5000) emit({ type: 'request-failed', rsc, to: request.to, ...(requestId === undefined ? {} : { requestId }), error })
      throw error
    }
  }
  const http: Server = createPlainOneM2mHttpServer((request, context) => handle(request, context.requestId), {
    onError: (error, request, requestId) => {
      if (request === undefined) emit({ type: 'request-failed', rsc: rscForError(error), requestId, error })
    },
    onServed: (served) => emit(requestEvent(served)),
  })
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(options.listen?.port ?? 0, host, () => {
      http.off('error', reject)
      resolve()
    })
  })
  const address = http.address() as AddressInfo
  const bracketed = address.family === 'IPv6' ? `[${address.address}]` : address.address
  ctx.tree.root.attrs['poa'] = [`http://${bracketed}:${address.port}`]
  const settled = async (): Promise<void> => {
    while (ctx.pending.size > 0) await Promise.allSettled([...ctx.pending])
  }
  return {
    host: address.address,
    port: address.port,
    config,
    handle,
    settled,
    close: async () => {
      await new Promise<void>((resolve) => {
        http.close(() => resolve())
        http.closeAllConnections()
      })
      await settled()
    },
  }
}
