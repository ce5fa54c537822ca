/**
 * What the demo's steps hand to each other (issue 8 demo: PPSK enrolment → MAF key registration
 * → gateway SAEF → AE registration → data → notification over SA2): the endpoints of `up`, the
 * demo device's identifiers and files, and — in memory only, as SecretBytes — the keys the walk
 * produces (the Enrolment Target key for the MAF, Kc). `releaseDemoState` closes what is open
 * and wipes the keys, whether the walk succeeded or not.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { SecretBytes, TargetKeyMode } from '../../core/index.js'
import type { EntityASession, Sa2Server } from '../../client/index.js'
import type { RequestPrimitive } from '../../onem2m/index.js'
import type { DemoEndpoints } from './demo-endpoints.js'
import { DemoError } from './errors.js'

/** The demo device: identifiers in clear, its secrets only in 0600 files under `<data>/devices/<name>/`. */
export interface DemoDevice {
  readonly name: string
  readonly directory: string
  readonly kpmId: string
  /** Kpm as hex text, 0600 (the way `up`'s printed next steps keep it, D-143). */
  readonly kpmFile: string
  /** Sealed credential file of the enrolment (src/client/credential-file.ts), its KEK beside it. */
  readonly credentialFile: string
  /** Absolute AE-ID handed to the MAF and the gateway as the Enrolee-ID: `//sp/S<name>`. */
  readonly enroleeId: string
  /** Its AE-ID-Stem: the `fr` of the AE registration and of every later request. */
  readonly aeStem: string
}

export interface DemoState {
  readonly endpoints: DemoEndpoints
  readonly mode: TargetKeyMode
  readonly device: DemoDevice
  readonly now: () => Date
  /** Set by the enrolment step. */
  keId?: string
  /** The Enrolment Target key for the MAF (SUID 21): the PSK under the KeID, then under the KmID. */
  mafKey?: SecretBytes
  /** The KmID the MAF assigned at client registration. */
  kmId?: string
  /** Kc and its Key Identifier (MAF Key Registration, SUID 32, IdB = the gateway's CSE-ID). */
  kc?: { readonly keyIdentifier: string; readonly key: SecretBytes }
  sa1?: EntityASession
  sa2?: Sa2Server
  /** The AE-ID the Registrar confirmed. */
  aeId?: string
  /** Notifications that arrived over SA2, and a wake-up for whoever waits for the next one. */
  readonly notifications: RequestPrimitive[]
  onNotification?: () => void
}

/** AE registration App-ID: N-prefixed, a non-registered App-ID (TS-0001 §7.1.9), as `up`'s next steps use. */
export const DEMO_APP_ID = 'Nm2msec-demo'

/** A fresh device name per run (`demo-xxxx`), so repeated demos never collide. */
export function newDemoDeviceName(): string {
  return `demo-${randomBytes(3).toString('hex')}`
}

export function demoDevice(endpoints: DemoEndpoints, name: string): DemoDevice {
  const directory = join(endpoints.dataDir, 'devices', name)
  // S-type AE-ID: SP-relative, so the Registrar's own CSE-ID is not part of it (TS-0001 §7.2).
  const aeStem = `S${name.replace(/-/g, '')}`
  return {
    name, directory, kpmId: `${name}@${endpoints.mef.fqdn}`, kpmFile: join(directory, 'kpm.hex'),
    credentialFile: join(directory, 'credential.json'), enroleeId: `${endpoints.gateway.spId}/${aeStem}`, aeStem,
  }
}

export function newDemoState(endpoints: DemoEndpoints, mode: TargetKeyMode, name = newDemoDeviceName(), now = () => new Date()): DemoState {
  return { endpoints, mode, device: demoDevice(endpoints, name), now, notifications: [] }
}

/** A value an earlier step should have set. @throws DemoError M2MSEC_DEMO_STEP_FAILED when it did not. */
export function needed<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new DemoError('M2MSEC_DEMO_STEP_FAILED', 'internal', `${what} is missing: an earlier step did not complete`)
  return value
}

/** Closes SA1 and SA2 and wipes the keys held in memory. Safe to call twice. */
export async function releaseDemoState(state: DemoState): Promise<void> {
  state.sa1?.close()
  state.sa1 = undefined
  const sa2 = state.sa2
  state.sa2 = undefined
  await sa2?.close()
  state.mafKey?.wipe()
  state.kc?.key.wipe()
}
