/**
 * The key an Enrolee shares with one Enrolment Target, computed by the same function on both
 * sides — the Enrolee from its Ke, the MEF when a Target fetches credentials — so the two agree
 * by construction (frameworks.md §10.5, OQ-4, OQ-6; docs/decisions.md D-3..D-5).
 *
 * Default mode 'usage-constrained': TS-0003 §10.3.7 with the SUID (21 towards a MAF, 22 towards
 * a Registrar) and the Enrolment-Target-ID string. Mode 'seed-000' (the compatibility mode both
 * ends must share): SUID 21 → Km(Ke, MAF-ID) of §10.3.2, SUID 22 → Kpsa(Ke, absolute
 * Enrolee-B-ID) of §10.3.3.
 */
import { CoreError } from '../errors.js'
import { cseIdPublicDomainName, parseCseId } from '../ids/m2m-id.js'
import { parseFqdn } from '../ids/fqdn.js'
import type { SecretBytes } from '../secret.js'
import { parseSuid, SUID, type Suid } from '../suid.js'
import { deriveKm, deriveKpsa, deriveUsageConstrainedKey } from './ke-derivations.js'

export type TargetKeyMode = 'usage-constrained' | 'seed-000'
export const TARGET_KEY_MODES: readonly TargetKeyMode[] = ['usage-constrained', 'seed-000']

export interface EnrolmentTargetRef {
  /** The Target's identity: a MAF FQDN (MAF-ID), or an absolute CSE-ID / AE-ID. */
  readonly targetId: string
  readonly suid: Suid | number
  /**
   * The configured Enrolment-Target-ID string of §10.3.7 (an FQDN). Absent: the default, i.e.
   * the MAF FQDN itself, or the lower-case public domain name of an absolute CSE-ID (TS-0001
   * §6.5.1.1). An AE has no default and must be configured.
   */
  readonly derivationId?: string
}

/**
 * The §10.3.7 Enrolment-Target-ID for `ref`.
 * @throws M2MSEC_ID_INVALID when the target is neither an FQDN nor an absolute CSE-ID and no
 *   derivationId is configured (an AE, or a relative CSE-ID).
 */
export function enrolmentTargetDerivationId(ref: EnrolmentTargetRef): string {
  if (ref.derivationId !== undefined) return parseFqdn(ref.derivationId)
  if (ref.targetId.startsWith('//')) return cseIdPublicDomainName(ref.targetId)
  if (ref.targetId.includes('/')) {
    parseCseId(ref.targetId)
    throw new CoreError('M2MSEC_ID_INVALID', 'bad-input', 'a relative CSE-ID has no default Enrolment-Target-ID: configure one')
  }
  return parseFqdn(ref.targetId)
}

/**
 * The key for `ref` from Ke in `mode`.
 * @throws M2MSEC_INPUT_INVALID for a SUID outside 21–25, or in seed-000 mode outside 21/22;
 *   M2MSEC_ID_INVALID as enrolmentTargetDerivationId; M2MSEC_KEY_INVALID for a bad Ke.
 */
export function deriveEnrolmentTargetKey(ke: SecretBytes, ref: EnrolmentTargetRef, mode: TargetKeyMode): SecretBytes {
  const suid = parseSuid(ref.suid)
  if (mode === 'usage-constrained') return deriveUsageConstrainedKey(ke, suid, enrolmentTargetDerivationId(ref))
  if (suid === SUID.RSPF_MAF) return deriveKm(ke, parseFqdn(ref.targetId))
  if (suid === SUID.RSPF_SAEF) {
    if (!ref.targetId.startsWith('//')) throw new CoreError('M2MSEC_ID_INVALID', 'bad-input', 'seed-000 Kpsa needs the absolute Enrolee-B-ID (OQ-5)')
    return deriveKpsa(ke, ref.targetId)
  }
  throw new CoreError('M2MSEC_INPUT_INVALID', 'bad-input', `seed-000 mode derives only SUID 21 (Km) and 22 (Kpsa), not ${suid}`)
}
