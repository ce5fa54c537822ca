/**
 * Enrolment Targets an operator authorises for an enrolee (frameworks.md §10.1 "Enrolment
 * Target identity", §10.5 e ii: only a Target configured for that enrolee and SUID gets a key):
 * SUID 21 for a MAF, named by its FQDN (MAF-ID); SUID 22 for a Registrar, named by an absolute
 * CSE-ID or AE-ID. Optional: the §10.3.7 Enrolment-Target-ID when it is not the default (OQ-4,
 * D-4; an AE has no default, so it must be given) and the lifetime of keys the Target fetches.
 *
 * Text form (CLI `--target`, CSV `targets` column, separated by ";"):
 *   `SUID:TARGET-ID[:derivation=FQDN][:lifetime=DURATION]`
 *   e.g. `21:maf.example.com`, `22://sp.example.com/CSE-B01:lifetime=7d`,
 *        `22://sp.example.com/CSE-B01/Cae7:derivation=ae7.sp.example.com`.
 * No target id contains ":" or ";" (FQDN and M2M-ID grammars), so the split is unambiguous.
 */
import { enrolmentTargetDerivationId, parseAeId, parseCseId, parseFqdn, SUID } from '../../../core/index.js'
import { parseDuration } from './duration.js'
import { causeText, invalidField, OperatorError } from './errors.js'

export interface EnrolmentTargetInput {
  readonly targetId: string
  readonly suid: number | string
  readonly derivationId?: string
  /** Lifetime of keys this Target fetches (duration text, see duration.ts). */
  readonly keyLifetime?: string
}

export interface ValidEnrolmentTarget {
  readonly targetId: string
  readonly suid: 21 | 22
  readonly derivationId?: string
  readonly keyLifetimeMs?: number
}

export const MAX_TARGETS = 64

/**
 * Parses one target in text form (module comment).
 * @throws OperatorError M2MSEC_ENROLEE_INVALID naming `field`.
 */
export function parseTargetSpec(text: string, field = 'targets'): EnrolmentTargetInput {
  const [suid = '', targetId = '', ...options] = text.trim().split(':')
  if (targetId === '') throw invalidField(field, 'a target is SUID:TARGET-ID[:derivation=FQDN][:lifetime=DURATION]')
  let derivationId: string | undefined
  let keyLifetime: string | undefined
  for (const option of options) {
    const eq = option.indexOf('=')
    const name = option.slice(0, eq)
    if (eq < 0 || (name !== 'derivation' && name !== 'lifetime')) throw invalidField(field, 'target options are derivation=FQDN and lifetime=DURATION')
    if ((name === 'derivation' ? derivationId : keyLifetime) !== undefined) throw invalidField(field, `target option ${name} is repeated`)
    if (name === 'derivation') derivationId = option.slice(eq + 1)
    else keyLifetime = option.slice(eq + 1)
  }
  return { targetId, suid, ...(derivationId === undefined ? {} : { derivationId }), ...(keyLifetime === undefined ? {} : { keyLifetime }) }
}

/** Parses a ";"-separated list of targets (empty text: none). */
export function parseTargetList(text: string, field = 'targets'): EnrolmentTargetInput[] {
  return text.split(';').map((t) => t.trim()).filter((t) => t !== '').map((t, i) => parseTargetSpec(t, `${field}[${i}]`))
}

function parseSuid(value: number | string, field: string): 21 | 22 {
  const n = typeof value === 'number' ? value : /^[0-9]{1,3}$/.test(value.trim()) ? Number(value.trim()) : NaN
  if (n !== SUID.RSPF_MAF && n !== SUID.RSPF_SAEF) {
    throw invalidField(field, 'must be 21 (key for a MAF) or 22 (key for a Registrar CSE/AE)')
  }
  return n
}

/** An absolute CSE-ID or AE-ID, as given (M2M IDs are case-sensitive). */
export function parseAbsoluteEntityId(text: string, field: string): string {
  const asCse = attempt(() => parseCseId(text))
  if (asCse.ok && asCse.value.form === 'absolute') return text
  const asAe = attempt(() => parseAeId(text))
  if (asAe.ok && asAe.value.form === 'absolute') return text
  if (!asCse.ok && !asAe.ok) throw invalidField(field, `is neither a CSE-ID nor an AE-ID (${causeText(asAe.error)})`, asAe.error)
  throw invalidField(field, 'must be absolute (//sp-fqdn/…)')
}

function attempt<T>(f: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: f() }
  } catch (error) {
    return { ok: false, error }
  }
}

/**
 * Validates one target; `field` names it in errors (`targets[0]`).
 * @throws OperatorError M2MSEC_ENROLEE_INVALID.
 */
export function validateTarget(input: EnrolmentTargetInput, field: string): ValidEnrolmentTarget {
  const suid = parseSuid(input.suid, `${field}.suid`)
  let targetId: string
  if (suid === SUID.RSPF_MAF) {
    const fqdn = attempt(() => parseFqdn(input.targetId))
    if (!fqdn.ok) throw invalidField(`${field}.targetId`, `SUID 21 needs the MAF FQDN (${causeText(fqdn.error)})`, fqdn.error)
    targetId = fqdn.value
  } else {
    targetId = parseAbsoluteEntityId(input.targetId, `${field}.targetId`)
  }
  let derivationId: string | undefined
  try {
    const derived = enrolmentTargetDerivationId({ targetId, suid, ...(input.derivationId === undefined ? {} : { derivationId: input.derivationId }) })
    derivationId = input.derivationId === undefined ? undefined : derived
  } catch (error) {
    if (error instanceof OperatorError) throw error
    const problem = input.derivationId === undefined
      ? 'this target has no default Enrolment-Target-ID (an AE, or a CSE-ID that is no DNS label): give derivation=FQDN'
      : causeText(error)
    throw invalidField(`${field}.derivationId`, problem, error)
  }
  const keyLifetimeMs = input.keyLifetime === undefined ? undefined : parseDuration(input.keyLifetime, `${field}.keyLifetime`)
  return {
    targetId,
    suid,
    ...(derivationId === undefined ? {} : { derivationId }),
    ...(keyLifetimeMs === undefined ? {} : { keyLifetimeMs }),
  }
}
