/**
 * Demo step 2: PPSK enrolment at the MEF (TS-0003 8.3.2.1; frameworks.md §10.3–§10.5) through
 * the client SDK, as `m2msec enrol --maf-id` does: MEF Handshake with KpmID/Kpm, Ke/KeID from
 * the session export, the Enrolment Target key for the MAF (SUID 21), MEF Client Registration,
 * and the result kept in a sealed device credential file beside the Kpm. The target key stays in
 * memory for the next step; the Ke is wiped once it is sealed in the file.
 */
import { enrol, loadDeviceKek, writeCredentialFile } from '../../client/index.js'
import { readKeyFile } from '../commands/enrol.js'
import type { DemoState } from './demo-state.js'
import type { DemoStep } from './step-runner.js'

export function enrolmentStep(): DemoStep<DemoState> {
  return {
    name: 'enrol',
    title: 'PPSK enrolment at the MEF (Ke, KeID; target: the MAF)',
    async run(state) {
      const { device, endpoints } = state
      const kpm = readKeyFile(device.kpmFile, 'Kpm file')
      const adminFqdn = endpoints.mef.fqdn
      try {
        loadDeviceKek(device.credentialFile, { create: true })
        const result = await enrol({
          mefUrl: endpoints.mef.url, mefFqdn: endpoints.mef.fqdn, credential: { kind: 'psk', kpmId: device.kpmId, kpm },
          target: { mafId: endpoints.maf.fqdn }, mode: state.mode, adminFqdn,
        }, state.now())
        // Held by the state from here on, so releaseDemoState wipes it whatever happens next.
        state.mafKey = result.targetKey
        try {
          writeCredentialFile(device.credentialFile, {
            keId: result.keId, mefUrl: endpoints.mef.url, mefFqdn: result.mefFqdn, mode: result.mode, target: result.target, suid: result.suid,
            registration: result.registration, handshake: { kind: 'psk', kpmId: device.kpmId }, ke: result.ke, targetKey: result.targetKey, keys: [],
          })
        } finally {
          result.ke.wipe()
        }
        state.keId = result.keId
        return `KeID ${result.keId} (${result.mode}), MEF client ${result.registration.clientId}`
      } finally {
        kpm.wipe()
      }
    },
  }
}
