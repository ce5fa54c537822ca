/**
 * Demo step 8: a notification over SA2 (TS-0003 8.2.1 figure 8.2.1-2; frameworks.md §4.5;
 * wire.md §9): the AE subscribes to its container with its own AE-ID as notificationURI (the
 * Registrar resolves it to the pointOfAccess the gateway rewrote to its SA2 relay, D-136), then
 * stores a new contentInstance; the Registrar notifies, the gateway opens SA2 to the device with
 * the device's own Key Identifier and Kc, roles reversed, and the device's SA2 server receives it.
 */
import { RESOURCE_TYPE, isJsonObject } from '../../onem2m/index.js'
import { needed, type DemoState } from './demo-state.js'
import { DemoError } from './errors.js'
import { DEMO_CONTAINER } from './gateway-steps.js'
import type { DemoStep } from './step-runner.js'

/** How long the device waits for the notification once its contentInstance is stored. */
export const NOTIFICATION_WAIT_MS = 10_000

const DEMO_CONTENT = 'notify me over SA2'

/** Resolves when a notification carrying `content` has arrived (already, or later). */
function notificationWith(state: DemoState, content: string, ms: number, signal: AbortSignal): Promise<void> {
  const arrived = (): boolean => state.notifications.some((n) => {
    const sgn = isJsonObject(n.pc) ? n.pc['m2m:sgn'] : undefined
    const nev = isJsonObject(sgn) ? sgn['nev'] : undefined
    const rep = isJsonObject(nev) ? nev['rep'] : undefined
    const cin = isJsonObject(rep) ? rep['m2m:cin'] : undefined
    return isJsonObject(cin) && cin['con'] === content
  })
  return new Promise<void>((resolve, reject) => {
    const done = (error?: Error): void => {
      clearTimeout(timer)
      state.onNotification = undefined
      signal.removeEventListener('abort', aborted)
      if (error === undefined) resolve()
      else reject(error)
    }
    const aborted = (): void => done(new DemoError('M2MSEC_DEMO_NO_NOTIFICATION', 'unavailable', 'stopped waiting for the notification'))
    const timer = setTimeout(() => done(new DemoError('M2MSEC_DEMO_NO_NOTIFICATION', 'unavailable', `no notification arrived over SA2 within ${ms} ms`)), ms)
    signal.addEventListener('abort', aborted)
    state.onNotification = () => (arrived() ? done() : undefined)
    if (arrived()) done()
  })
}

export function notificationStep(waitMs = NOTIFICATION_WAIT_MS): DemoStep<DemoState> {
  return {
    name: 'notify',
    title: 'subscription, new contentInstance, notification over SA2',
    async run(state, signal) {
      const sa1 = needed(state.sa1, 'SA1')
      const aeId = needed(state.aeId, 'the AE-ID')
      const container = `${state.endpoints.gateway.cseBaseName}/${state.device.name}/${DEMO_CONTAINER}`
      // nu = the AE's own ID (as `m2msec connect --sa2`): no verification request to a foreign URI; net 3 = child created.
      await sa1.create(container, RESOURCE_TYPE.SUBSCRIPTION, { 'm2m:sub': { rn: 'demo-sub', nu: [aeId], enc: { net: [3] } } })
      // Listen before the contentInstance exists: the notification may overtake the CREATE's response.
      const waiting = new AbortController()
      const stop = (): void => waiting.abort()
      signal.addEventListener('abort', stop)
      const arrived = notificationWith(state, DEMO_CONTENT, waitMs, waiting.signal)
      arrived.catch(() => undefined)
      try {
        await sa1.create(container, RESOURCE_TYPE.CONTENT_INSTANCE, { 'm2m:cin': { cnf: 'text/plain:0', con: DEMO_CONTENT } })
        await arrived
      } finally {
        signal.removeEventListener('abort', stop)
        waiting.abort()
      }
      const from = state.notifications.at(-1)?.fr ?? '?'
      return `notification from ${from} delivered to ${aeId} over SA2`
    },
  }
}
