/**
 * Demo steps 5–7, the device as Entity A towards the gateway (TS-0003 8.2.1 SA1, 8.2.2.3
 * MAF-based SAEF; wire.md §5, §9), as `m2msec connect --sa2` does:
 * - SA1: TLS-PSK with psk_identity = the Key Identifier and psk = Kc; the gateway runs MAF Key
 *   Retrieval inside the handshake. The SA2 server (same credential, roles reversed,
 *   frameworks.md §4.5) starts listening on loopback here, so its pointOfAccess can be registered;
 * - AE registration with `fr` = the AE-ID-Stem of the Enrolee-ID: the MAF handed the gateway that
 *   ID as the Source MAF Client ID, so the security association is bound to it and no service
 *   subscription rule is needed (subscription-rules.ts: a bound credential registers its own IDs);
 *   rr = true with the SA2 pointOfAccess;
 * - data: a container and a contentInstance in it.
 */
import { connectEntityA, serveSa2, type EntityACredential } from '../../client/index.js'
import { RESOURCE_TYPE, isJsonObject, type RequestPrimitive } from '../../onem2m/index.js'
import { DEMO_APP_ID, needed, type DemoState } from './demo-state.js'
import type { DemoStep } from './step-runner.js'

export const DEMO_CONTAINER = 'data'

function credentialOf(state: DemoState): EntityACredential {
  const kc = needed(state.kc, 'Kc')
  return { kind: 'psk', identity: kc.keyIdentifier, key: kc.key }
}

/** Keeps what arrives over SA2; a notification (`m2m:sgn` with an event) wakes the waiter. */
function onSa2Request(state: DemoState): (request: RequestPrimitive) => undefined {
  return (request) => {
    const sgn = isJsonObject(request.pc) ? request.pc['m2m:sgn'] : undefined
    if (isJsonObject(sgn) && sgn['nev'] !== undefined) {
      state.notifications.push(request)
      state.onNotification?.()
    }
    return undefined
  }
}

export function sa1Step(): DemoStep<DemoState> {
  return {
    name: 'sa1',
    title: 'SA1 to the gateway with Kc (MAF-based SAEF); SA2 server listening',
    async run(state) {
      const credential = credentialOf(state)
      const { gateway } = state.endpoints
      state.sa1 = await connectEntityA({ gatewayUrl: gateway.url, gatewayFqdn: gateway.fqdn, credential })
      state.sa2 = await serveSa2({ credential, gatewayFqdn: gateway.fqdn, listen: { host: '127.0.0.1', port: 0 }, onRequest: onSa2Request(state) })
      return `psk_identity ${credential.kind === 'psk' ? credential.identity : ''} at ${gateway.fqdn}; SA2 at ${state.sa2.poa()}`
    },
  }
}

export function aeRegistrationStep(): DemoStep<DemoState> {
  return {
    name: 'ae',
    title: 'AE registration through the gateway (bound to the Enrolee-ID)',
    async run(state) {
      const sa1 = needed(state.sa1, 'SA1')
      const sa2 = needed(state.sa2, 'the SA2 server')
      const { device, endpoints } = state
      await sa1.registerAe(endpoints.gateway.cseBaseName, { rn: device.name, api: DEMO_APP_ID, aeId: device.aeStem, rr: true, poa: [sa2.poa()] })
      state.aeId = needed(sa1.aeId, 'the AE-ID')
      return `AE-ID ${state.aeId} at ${endpoints.gateway.cseId} (${endpoints.gateway.cseBaseName}/${device.name})`
    },
  }
}

export function dataStep(): DemoStep<DemoState> {
  return {
    name: 'data',
    title: 'container and contentInstance',
    async run(state) {
      const sa1 = needed(state.sa1, 'SA1')
      needed(state.aeId, 'the AE-ID')
      const ae = `${state.endpoints.gateway.cseBaseName}/${state.device.name}`
      await sa1.create(ae, RESOURCE_TYPE.CONTAINER, { 'm2m:cnt': { rn: DEMO_CONTAINER } })
      await sa1.create(`${ae}/${DEMO_CONTAINER}`, RESOURCE_TYPE.CONTENT_INSTANCE, { 'm2m:cin': { cnf: 'text/plain:0', con: 'hello from the m2msec demo' } })
      await sa1.retrieve(`${ae}/${DEMO_CONTAINER}/la`)
      return `${ae}/${DEMO_CONTAINER}: 1 contentInstance stored and read back`
    },
  }
}
