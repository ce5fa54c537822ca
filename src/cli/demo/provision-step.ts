/**
 * Demo step 1: provision the demo device as an operator would with `m2msec enrolee add`
 * (TS-0003 8.3.2.1 Pre-Provisioned Symmetric Key RSPF; frameworks.md §10.1 MEF instruction
 * configuration): a fresh random Kpm written to a 0600 file under `<data>/devices/<name>/`
 * (D-143) and never printed, and the enrolee stored in the data directory's store with its KpmID,
 * its Enrolee-ID and two Enrolment Targets — the MAF (SUID 21) and the gateway's Registrar
 * (SUID 22). The store is opened for this one transaction and closed right after: `up` holds its
 * own connection, and SQLite in WAL mode serves both (D-51 is about the roles, which share one).
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { SecretBytes, SUID } from '../../core/index.js'
import { writePrivateFile } from '../../client/index.js'
import { addEnrolee } from '../../services/mef/operator/index.js'
import { openDataDirectoryStore, type Store } from '../../store/index.js'
import type { DemoState } from './demo-state.js'
import type { DemoStep } from './step-runner.js'

/** Kpm length: 32 random bytes, as `up`'s printed next steps make it. */
const KPM_LENGTH = 32
/** Lifetime of each Ke; the demo device is a throwaway. */
const ENROLMENT_EXPIRY = '1d'

export type OpenStore = (options: { readonly dataDir: string; readonly create: boolean }) => Promise<Store>

function writeKpmFile(path: string): SecretBytes {
  const kpm = new SecretBytes(new Uint8Array(randomBytes(KPM_LENGTH)))
  // Hex text like the next steps' Kpm file, so `m2msec enrol --kpm-file` reads it too.
  const text = new TextEncoder().encode(`${Buffer.from(kpm.reveal()).toString('hex')}\n`)
  try {
    writePrivateFile(path, 'Kpm file', text, false)
  } finally {
    text.fill(0)
  }
  return kpm
}

export function provisionStep(openStore: OpenStore = openDataDirectoryStore): DemoStep<DemoState> {
  return {
    name: 'provision',
    title: 'provision the demo device (enrolee add: Kpm, targets MAF and gateway)',
    async run(state) {
      const { device, endpoints } = state
      // The store first: a data directory without a database leaves no Kpm file behind.
      const store = await openStore({ dataDir: endpoints.dataDir, create: false })
      let kpm: SecretBytes | undefined
      try {
        mkdirSync(device.directory, { recursive: true, mode: 0o700 })
        kpm = writeKpmFile(device.kpmFile)
        await addEnrolee(store, {
          kpmId: device.kpmId, kpm, enroleeId: device.enroleeId, enrolmentExpiry: ENROLMENT_EXPIRY,
          targets: [`${SUID.RSPF_MAF}:${endpoints.maf.fqdn}`, `${SUID.RSPF_SAEF}:${endpoints.gateway.cseId}`],
        }, state.now())
      } finally {
        kpm?.wipe()
        await store.close()
      }
      return `KpmID ${device.kpmId}, Enrolee-ID ${device.enroleeId}`
    },
  }
}
