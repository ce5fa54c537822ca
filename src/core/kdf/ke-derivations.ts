/**
 * Keys derived from the Enrolment Key Ke (TS-0003 §10.3.2, §10.3.3, §10.3.7): one HMAC-SHA-256
 * each, Ke as the HMAC key, message = ASCII label immediately followed by the inputs (no
 * separator, length or terminator). Identifiers enter as UTF-8 after NFKC.
 */
import { createHmac } from 'node:crypto'
import { ascii, assertLength, utf8Nfkc } from '../bytes.js'
import { CoreError } from '../errors.js'
import { SecretBytes } from '../secret.js'
import { isRspfProvisioned, parseSuid, type Suid } from '../suid.js'

export const KM_DERIVATION_LABEL = 'oneM2M Enrolment Key to Master Credential derivation'
export const KPSA_DERIVATION_LABEL = 'oneM2M Enrolment Key to Provisioned Secure Connection Key derivation'
export const USAGE_CONSTRAINED_DERIVATION_LABEL = 'oneM2M Enrolment Key to Usage-Constrained Symmetric Key derivation'

const KE_LENGTH = 32

function hmacKe(ke: SecretBytes, ...parts: readonly Uint8Array[]): SecretBytes {
  assertLength(ke.reveal(), KE_LENGTH, 'Ke', true)
  const mac = createHmac('sha256', ke.reveal())
  for (const part of parts) mac.update(part)
  return new SecretBytes(new Uint8Array(mac.digest()))
}

function requireText(value: string, name: string): Uint8Array {
  if (value.length === 0) {
    throw new CoreError('M2MSEC_INPUT_INVALID', 'bad-input', `${name} must not be empty`)
  }
  return utf8Nfkc(value)
}

/**
 * Km = HMAC-SHA-256(Ke, label ‖ UTF8NFKC(MAF-ID)) (§10.3.2). In the default mode the MEF answers
 * SUID 21 with the usage-constrained key instead; Km is the seed-000 compatibility mode (OQ-6).
 * @throws M2MSEC_KEY_INVALID when Ke is not 32 bytes; M2MSEC_INPUT_INVALID for an empty MAF-ID.
 */
export function deriveKm(ke: SecretBytes, mafId: string): SecretBytes {
  return hmacKe(ke, ascii(KM_DERIVATION_LABEL), requireText(mafId, 'MAF-ID'))
}

/**
 * Kpsa = HMAC-SHA-256(Ke, label ‖ UTF8NFKC(Enrolee-B-ID)) (§10.3.3); the ID is the absolute
 * CSE-ID/AE-ID (OQ-5). Seed-000 compatibility mode for SUID 22 (OQ-6).
 * @throws M2MSEC_KEY_INVALID, M2MSEC_INPUT_INVALID as deriveKm.
 */
export function deriveKpsa(ke: SecretBytes, enroleeBId: string): SecretBytes {
  return hmacKe(ke, ascii(KPSA_DERIVATION_LABEL), requireText(enroleeBId, 'Enrolee-B-ID'))
}

/**
 * HMAC-SHA-256(Ke, label ‖ SUID ‖ UTF8NFKC(Enrolment-Target-ID)) (§10.3.7). SUID is written as
 * its ASCII decimal digits ("21"), the same string as the last path segment of fetchCredentials
 * (OQ-4). The target ID is used as given: the caller supplies the configured string (by
 * default a lower-case FQDN), because both ends must hold the identical bytes.
 * @throws M2MSEC_INPUT_INVALID when the SUID is not an RSPF-provisioned one (21–25) or the target is empty.
 */
export function deriveUsageConstrainedKey(ke: SecretBytes, suid: Suid | number | string, enrolmentTargetId: string): SecretBytes {
  const parsed = parseSuid(suid)
  if (!isRspfProvisioned(parsed)) {
    throw new CoreError('M2MSEC_INPUT_INVALID', 'bad-input', `SUID ${parsed} is not an RSPF-provisioned key usage (21-25)`)
  }
  return hmacKe(ke, ascii(USAGE_CONSTRAINED_DERIVATION_LABEL), ascii(String(parsed)), requireText(enrolmentTargetId, 'Enrolment-Target-ID'))
}
