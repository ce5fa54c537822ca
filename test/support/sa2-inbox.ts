/**
 * What a device's SA2 server received, for the SA2 integration tests (TS-0003 8.2.1 figure
 * 8.2.1-2; wire.md §9.3): every request `serveSa2` hands to `onRequest`, and the notifications
 * that carry an event (not a subscription verification) one by one. `within` bounds a wait and
 * names what was awaited, with the processes' output, when it runs out.
 */
import { isJsonObject, type RequestPrimitive } from '../../src/onem2m/index.js'

export interface Sa2Inbox {
  /** Pass as `serveSa2({ onRequest })`: records the request and answers with the default. */
  readonly onRequest: (request: RequestPrimitive) => undefined
  /** Every request received so far, in order. */
  readonly all: RequestPrimitive[]
  /** Resolves with the next request whose m2m:sgn carries an event; call it before that arrives. */
  next(): Promise<RequestPrimitive>
}

export function inbox(): Sa2Inbox {
  const all: RequestPrimitive[] = []
  const waiting: ((request: RequestPrimitive) => void)[] = []
  return {
    all,
    onRequest: (request) => {
      all.push(request)
      const sgn = isJsonObject(request.pc) ? request.pc['m2m:sgn'] : undefined
      if (isJsonObject(sgn) && sgn['nev'] !== undefined) waiting.shift()?.(request)
      return undefined
    },
    next: () => new Promise((resolve) => waiting.push(resolve)),
  }
}

/** `promise`, or a rejection naming `what` with `output()` after `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string, output: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; output:\n${output()}`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
