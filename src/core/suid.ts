/**
 * Security Usage Identifiers, `m2m:suid` (TS-0004 §6.3.4.2.39): the first digit says how a
 * credential was obtained, the second where it is used. 20 and 31 are undefined (OQ-19).
 */
import { CoreError } from './errors.js'

export const SUID = {
  PRE_PROVISIONED_MEF: 10,
  PRE_PROVISIONED_MAF: 11,
  PRE_PROVISIONED_SAEF: 12,
  PRE_PROVISIONED_ESPRIM: 13,
  PRE_PROVISIONED_ESDATA_AE: 14,
  PRE_PROVISIONED_ESDATA_SIGNATURE: 15,
  RSPF_MAF: 21,
  RSPF_SAEF: 22,
  RSPF_ESPRIM: 23,
  RSPF_ESDATA_AE: 24,
  RSPF_ESDATA_SIGNATURE: 25,
  MAF_SAEF: 32,
  MAF_ESPRIM: 33,
  MAF_ESDATA_AE: 34,
  MAF_ESDATA_SIGNATURE: 35,
  CERTIFICATE_MEF: 40,
  CERTIFICATE_MAF: 41,
  CERTIFICATE_SAEF: 42,
  CERTIFICATE_ESPRIM: 43,
  CERTIFICATE_ESDATA_AE: 44,
  CERTIFICATE_ESDATA_SIGNATURE: 45,
} as const

export type Suid = (typeof SUID)[keyof typeof SUID]

const DEFINED: ReadonlySet<number> = new Set(Object.values(SUID))

export function isSuid(value: unknown): value is Suid {
  return typeof value === 'number' && DEFINED.has(value)
}

/**
 * Accepts a defined SUID as a number or its decimal string (the last segment of
 * `/fetchCredentials/<KeID>/<SUID>`).
 * @throws M2MSEC_INPUT_INVALID for anything else (no leading zeros, signs or spaces).
 */
export function parseSuid(value: number | string): Suid {
  const n = typeof value === 'string' && /^[1-9][0-9]$/.test(value) ? Number(value) : value
  if (!isSuid(n)) {
    throw new CoreError('M2MSEC_INPUT_INVALID', 'bad-input', `SUID is not a defined m2m:suid value`)
  }
  return n
}

/** True for keys an RSPF provisions from Ke (first digit 2): the only ones TS-0003 §10.3.7 derives. */
export function isRspfProvisioned(suid: Suid): boolean {
  return suid >= 21 && suid <= 25
}
