/**
 * Remote enrolment of a device (TS-0003 §8.3.2.1 Pre-Provisioned Symmetric Key RSPF, §8.3.2.2
 * Certificate-Based RSPF; frameworks.md §10, §11): the MEF Handshake, Ke and KeID from the
 * session's `EXPORTER-oneM2M-Bootstrap` export (§10.3.1, §10.3.4), the key the device will use
 * with its Enrolment Target (§10.5 a: SUID 21 towards a MAF, 22 towards a Registrar) from the
 * same core function the MEF uses for fetchCredentials, and MEF Client Registration on the same
 * session — the MEF records the enrolment at that request, against that session's export.
 * Enrolling again (a lost credential file, an expired Ke) is the same call: the new session's
 * registration supersedes the old one at the MEF, which ends the old Ke.
 */
import {
  deriveEnrolmentTargetKey, enrolmentKeyFromExport, EXPORTER_LABEL_BOOTSTRAP, EXPORTER_LENGTH, formatKeId, M2mSecError, SecretBytes, SUID,
  TARGET_KEY_MODES, type EnrolmentTargetRef, type KeId, type TargetKeyMode,
} from '../core/index.js'
import { registerMefClient, type MefClientRegistration } from './client-registration.js'
import { ClientError, invalidInput } from './errors.js'
import { openMefSession, type MefCredential, type MefSession } from './mef-session.js'

/** The Enrolment Target: a MAF (by its MAF-ID) or an Enrolee-B Registrar (by its absolute CSE-ID/AE-ID). */
export type EnrolmentTarget =
  | { readonly mafId: string }
  | {
      readonly enroleeBId: string
      /** The configured §10.3.7 Enrolment-Target-ID (OQ-4); default: the CSE's public domain name. */
      readonly derivationId?: string
    }

export interface EnrolOptions {
  /** `https://host:port` of the MEF (an optional path names `<MEFBase>`). */
  readonly mefUrl: string
  /** MEF-FQDN; default the URL's host. */
  readonly mefFqdn?: string
  readonly credential: MefCredential
  readonly target: EnrolmentTarget
  /** Must match the MEF's setting (OQ-6, docs/decisions.md D-5); default 'usage-constrained'. */
  readonly mode?: TargetKeyMode
  /** adminFQDN of the MEF Client Registration. */
  readonly adminFqdn: string
  /** Requested registration lifetime in ms (the MEF may shorten it). */
  readonly lifetimeMs?: number
  readonly labels?: readonly string[]
  /** `fr` of the registration request; see MefSessionOptions.originator. */
  readonly originator?: string
  /** The Enrolment Expiry of the device's instruction configuration (§10.1), recorded with Ke. */
  readonly enrolmentExpiry?: Date
  readonly handshakeTimeoutMs?: number
  readonly requestTimeoutMs?: number
  /** Keep the session open and return it (for key registration right after); default false. */
  readonly keepSession?: boolean
}

export interface EnrolmentResult {
  readonly keId: KeId
  readonly ke: SecretBytes
  /** The Enrolment Expiry, when configured. */
  readonly keExpiry?: Date
  readonly mefFqdn: string
  readonly mode: TargetKeyMode
  readonly target: EnrolmentTarget
  /** 21 (MAF) or 22 (Registrar). */
  readonly suid: number
  /** The identifier the device presents to the Target (TLS psk_identity): the KeID itself (§10.5 a). */
  readonly targetKeyId: KeId
  /** Km (SUID 21) or Kpsa (SUID 22) in the chosen mode; used whole as the PSK (OQ-13). */
  readonly targetKey: SecretBytes
  readonly registration: MefClientRegistration
  /** Present when `keepSession` was set; the caller closes it. */
  readonly session?: MefSession
}

/** The §10.3.7 reference of a target (SUID 21 for a MAF, 22 for a Registrar). */
export function enrolmentTargetRef(target: EnrolmentTarget): EnrolmentTargetRef {
  if ('mafId' in target) return { targetId: target.mafId, suid: SUID.RSPF_MAF }
  return { targetId: target.enroleeBId, suid: SUID.RSPF_SAEF, ...(target.derivationId === undefined ? {} : { derivationId: target.derivationId }) }
}

function deriveTargetKey(ke: SecretBytes, target: EnrolmentTarget, mode: TargetKeyMode): SecretBytes {
  try {
    return deriveEnrolmentTargetKey(ke, enrolmentTargetRef(target), mode)
  } catch (error) {
    if (error instanceof M2mSecError) throw invalidInput(`Enrolment Target cannot be used: ${error.message}`, error)
    throw error
  }
}

function checkOptions(options: EnrolOptions): TargetKeyMode {
  const mode = options.mode ?? 'usage-constrained'
  if (!TARGET_KEY_MODES.includes(mode)) throw invalidInput(`mode must be one of ${TARGET_KEY_MODES.join(', ')}`)
  const target = options.target as Partial<{ mafId: string; enroleeBId: string }>
  if ((target.mafId === undefined) === (target.enroleeBId === undefined)) throw invalidInput('give exactly one Enrolment Target: a MAF-ID or an Enrolee-B-ID')
  // OQ-5: the Registrar target is named by its absolute CSE-ID / AE-ID, as the MEF configures it.
  if (target.enroleeBId !== undefined && !target.enroleeBId.startsWith('//')) throw invalidInput('an Enrolee-B-ID must be an absolute CSE-ID or AE-ID (//sp/…)')
  if (options.enrolmentExpiry !== undefined && Number.isNaN(options.enrolmentExpiry.getTime())) throw invalidInput('enrolment expiry is not a valid date')
  if (options.lifetimeMs !== undefined && !(Number.isSafeInteger(options.lifetimeMs) && options.lifetimeMs > 0)) throw invalidInput('lifetime must be a positive number of milliseconds')
  if (options.adminFqdn.length === 0) throw invalidInput('adminFQDN is mandatory for MEF Client Registration')
  return mode
}

/**
 * Enrols the device at the MEF.
 * @throws ClientError: M2MSEC_CLIENT_INPUT_INVALID (options, target identity), M2MSEC_CLIENT_UNREACHABLE,
 *   M2MSEC_CLIENT_HANDSHAKE_FAILED, M2MSEC_CLIENT_REFUSED (the registration), M2MSEC_CLIENT_RESPONSE_INVALID.
 */
export async function enrol(options: EnrolOptions, now = new Date()): Promise<EnrolmentResult> {
  const mode = checkOptions(options)
  // A target the core derivation refuses is refused before any connection is made: the same
  // function runs once on a placeholder key, so the check cannot drift from the derivation.
  deriveTargetKey(new SecretBytes(new Uint8Array(32)), options.target, mode).wipe()
  const session = await openMefSession({
    mefUrl: options.mefUrl,
    credential: options.credential,
    ...(options.mefFqdn === undefined ? {} : { mefFqdn: options.mefFqdn }),
    ...(options.originator === undefined ? {} : { originator: options.originator }),
    ...(options.handshakeTimeoutMs === undefined ? {} : { handshakeTimeoutMs: options.handshakeTimeoutMs }),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
  })
  let ke: SecretBytes | undefined
  let targetKey: SecretBytes | undefined
  try {
    const material = session.exportKeyingMaterial(EXPORTER_LABEL_BOOTSTRAP, EXPORTER_LENGTH)
    const enrolment = enrolmentKeyFromExport(material.reveal())
    material.wipe()
    ke = enrolment.ke
    const keId = formatKeId(enrolment.relativeKeId, session.mefFqdn)
    targetKey = deriveTargetKey(ke, options.target, mode)
    const registration = await registerMefClient(session, {
      adminFqdn: options.adminFqdn,
      ...(options.lifetimeMs === undefined ? {} : { lifetimeMs: options.lifetimeMs }),
      ...(options.labels === undefined ? {} : { labels: options.labels }),
    }, now)
    return {
      keId, ke, mefFqdn: session.mefFqdn, mode, target: options.target, suid: enrolmentTargetRef(options.target).suid,
      targetKeyId: keId, targetKey, registration,
      ...(options.enrolmentExpiry === undefined ? {} : { keExpiry: options.enrolmentExpiry }),
      ...(options.keepSession === true ? { session } : {}),
    }
  } catch (error) {
    ke?.wipe()
    targetKey?.wipe()
    session.close()
    throw error instanceof ClientError || !(error instanceof M2mSecError) ? error : invalidInput(error.message, error)
  } finally {
    if (options.keepSession !== true) session.close()
  }
}
