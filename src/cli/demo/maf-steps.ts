/**
 * Demo steps 3 and 4, the device as MAF Client (TS-0003 8.8.2.3, 8.8.2.7; frameworks.md §7.2
 * steps 1–3), as `m2msec maf register` and `m2msec maf key register` do:
 * - MAF Client Registration on a MAF Handshake with the KeID and the key derived for the MAF
 *   (OQ-29): the MAF fetches Km from the MEF and assigns a KmID (OQ-7);
 * - MAF Key Registration on a new handshake under that KmID: Kc and KcID from the session's
 *   `EXPORTER-oneM2M-Connection` export, for SUID 32 (MAF-based SAEF) with IdB = the gateway's
 *   Registrar CSE-ID, so the gateway may retrieve it. Kc stays in memory for SA1.
 */
import { mafKeyRegister, mafRegister, openMafSession, type MafCredential, type MafSession } from '../../client/maf/index.js'
import { SUID, type SecretBytes } from '../../core/index.js'
import { needed, type DemoState } from './demo-state.js'
import { DemoError } from './errors.js'
import type { DemoStep } from './step-runner.js'

async function withMafSession<T>(state: DemoState, identity: string, key: SecretBytes, work: (session: MafSession) => Promise<T>): Promise<T> {
  const credential: MafCredential = { kind: 'psk', identity, key }
  const session = await openMafSession({ mafUrl: state.endpoints.maf.url, mafFqdn: state.endpoints.maf.fqdn, credential })
  try {
    return await work(session)
  } finally {
    session.close()
  }
}

export function mafRegistrationStep(): DemoStep<DemoState> {
  return {
    name: 'maf-register',
    title: 'MAF client registration (the MAF fetches Km from the MEF, assigns a KmID)',
    async run(state) {
      const keId = needed(state.keId, 'the KeID')
      const registration = await withMafSession(state, keId, needed(state.mafKey, 'the MAF key'), (session) => mafRegister(session, { adminFqdn: state.endpoints.mef.fqdn }))
      if (registration.assignedKmId === undefined) throw new DemoError('M2MSEC_DEMO_STEP_FAILED', 'internal', 'the MAF assigned no KmID to a remotely provisioned Km (OQ-7)')
      state.kmId = registration.assignedKmId
      return `KmID ${registration.assignedKmId}, MAF client ${registration.clientId}`
    },
  }
}

export function mafKeyRegistrationStep(): DemoStep<DemoState> {
  return {
    name: 'maf-key',
    title: 'MAF key registration (Kc for the gateway, MAF-based SAEF)',
    async run(state) {
      const kmId = needed(state.kmId, 'the KmID')
      const cseId = state.endpoints.gateway.cseId
      const registered = await withMafSession(state, kmId, needed(state.mafKey, 'the MAF key'), (session) => mafKeyRegister(session, {
        adminFqdn: state.endpoints.mef.fqdn, suid: SUID.MAF_SAEF, targetIds: [cseId],
      }))
      state.kc = { keyIdentifier: registered.keyIdentifier, key: registered.key }
      return `Key Identifier ${registered.keyIdentifier} for ${cseId}, expires ${registered.expiresAt.toISOString()}`
    },
  }
}
