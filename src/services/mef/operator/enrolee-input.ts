/**
 * What an operator gives to register one enrolee at the MEF, and its validation into the
 * store's NewEnrolee (frameworks.md §10.1 "MEF instruction config": Enrolment Target identity,
 * Enrolee-ID, Enrolment Expiry, KpmID/Kpm; §11: enrolee certificate information). One input
 * shape serves `enrolee add`, every row of `enrolee import` and, later, the admin API: plain
 * strings, checked here with the core parsers, so a bad value never reaches the store.
 *
 * Extra per-enrolee data the store has no column for lives in the enrolee's `config` JSON under
 * documented keys (ENROLEE_CONFIG_KEYS), read back by `enrolee-view.ts`.
 */
import { credentialIdForKpmId } from '../../../core/index.js'
import type { SecretBytes } from '../../../core/index.js'
import type { NewEnrolee } from '../../../store/index.js'
import { parseExpectedIdentity, parseTrustAnchorPem } from './certificate-identity.js'
import { parseDuration } from './duration.js'
import { causeText, invalidField } from './errors.js'
import { parseAbsoluteEntityId, parseTargetSpec, validateTarget, MAX_TARGETS } from './enrolment-target.js'
import type { EnrolmentTargetInput, ValidEnrolmentTarget } from './enrolment-target.js'
import { parseKpm } from './kpm.js'

export interface EnroleeInput {
  /** PPSK RSPF: the KpmID the device presents as psk_identity … */
  readonly kpmId?: string
  /** … and its Kpm: hex or base64 text (kpm.ts), or bytes. */
  readonly kpm?: string | SecretBytes
  /** Certificate RSPF: CA certificate(s) the enrolee's chain must reach … */
  readonly trustAnchorPem?: string
  /** … and the identity its certificate must carry (`ae-id://…`, see certificate-identity.ts). */
  readonly expectedIdentity?: string
  /** Enrolee-ID handed to Targets with a key: an absolute CSE-ID or AE-ID. */
  readonly enroleeId?: string
  /** Enrolment Expiry: lifetime of each Ke from enrolment (`30d`, `PT24H`). */
  readonly enrolmentExpiry: string
  /** Authorised Enrolment Targets, as objects or in text form (enrolment-target.ts). */
  readonly targets?: readonly (EnrolmentTargetInput | string)[]
}

export const ENROLEE_CONFIG_KEYS = {
  /** Canonical expected identity text of a certificate enrolee. */
  expectedIdentity: 'expectedIdentity',
  /** [{ targetId, suid, derivationId }] for targets whose §10.3.7 Enrolment-Target-ID is configured. */
  targetDerivationIds: 'targetDerivationIds',
} as const

export const KPM_ID_MAX_LENGTH = 128

export interface ValidEnrolee {
  readonly enrolee: NewEnrolee
  readonly credentialKind: 'psk' | 'certificate'
  /** KpmID, or the certificate lookup key. */
  readonly credentialIdentity: string
  readonly enroleeId?: string
  readonly targets: readonly ValidEnrolmentTarget[]
}

function parseKpmId(text: string): string {
  if (text.length > KPM_ID_MAX_LENGTH) throw invalidField('kpmId', `is longer than ${KPM_ID_MAX_LENGTH} characters`)
  let normal: string
  try {
    normal = credentialIdForKpmId(text).slice(3)
  } catch (error) {
    throw invalidField('kpmId', `is not a KpmID (${causeText(error)})`, error)
  }
  // The device sends its KpmID byte for byte as psk_identity; storing a rewritten form would
  // make it unknown, so the operator must give the normal form (OQ-2, D-15) both places use.
  if (normal !== text) throw invalidField('kpmId', `is not in normal form (upper-case 32-hex part, lower-case FQDN): use ${normal}`)
  return text
}

function validateTargets(inputs: readonly (EnrolmentTargetInput | string)[], enrolmentMs: number): ValidEnrolmentTarget[] {
  if (inputs.length > MAX_TARGETS) throw invalidField('targets', `more than ${MAX_TARGETS} targets`)
  const seen = new Set<string>()
  return inputs.map((input, i) => {
    const field = `targets[${i}]`
    const target = validateTarget(typeof input === 'string' ? parseTargetSpec(input, field) : input, field)
    const key = `${target.suid} ${target.targetId}`
    if (seen.has(key)) throw invalidField(field, `target ${target.targetId} with SUID ${target.suid} is listed twice`)
    seen.add(key)
    // §10.5: a fetched key never outlives the Ke; a longer configured lifetime is a mistake.
    if (target.keyLifetimeMs !== undefined && target.keyLifetimeMs > enrolmentMs) {
      throw invalidField(`${field}.keyLifetime`, 'is longer than the enrolment expiry')
    }
    return target
  })
}

function credentialOf(input: EnroleeInput, now: Date): {
  credential: NewEnrolee['credential']; identity: string; entityId?: string; expectedText?: string
} {
  const psk = input.kpmId !== undefined || input.kpm !== undefined
  const cert = input.trustAnchorPem !== undefined || input.expectedIdentity !== undefined
  if (psk === cert) throw invalidField('credential', 'give either kpmId and kpm, or trustAnchorPem and expectedIdentity')
  if (psk) {
    if (input.kpmId === undefined || input.kpmId === '') throw invalidField('kpmId', 'is required with a Kpm')
    if (input.kpm === undefined || input.kpm === '') throw invalidField('kpm', 'is required with a KpmID')
    const kpmId = parseKpmId(input.kpmId)
    return { credential: { kind: 'psk', kpmId, kpm: parseKpm(input.kpm) }, identity: kpmId }
  }
  if (input.trustAnchorPem === undefined || input.trustAnchorPem === '') throw invalidField('trustAnchorPem', 'is required with an expected identity')
  if (input.expectedIdentity === undefined || input.expectedIdentity === '') throw invalidField('expectedIdentity', 'is required with a trust anchor')
  const identity = parseExpectedIdentity(input.expectedIdentity)
  const anchor = parseTrustAnchorPem(input.trustAnchorPem, now)
  return {
    credential: { kind: 'certificate', trustAnchorPem: anchor.pem, expectedIdentity: identity.key },
    identity: identity.key,
    expectedText: identity.text,
    ...(identity.entityId === undefined ? {} : { entityId: identity.entityId }),
  }
}

/**
 * Checks every field of `input` and builds the store record (nothing is written).
 * @throws OperatorError M2MSEC_ENROLEE_INVALID or M2MSEC_ENROLEE_KPM_WEAK, with `field` set.
 */
export function validateEnrolee(input: EnroleeInput, now: Date): ValidEnrolee {
  const expiry = typeof input.enrolmentExpiry === 'string' ? input.enrolmentExpiry : ''
  if (expiry === '') throw invalidField('enrolmentExpiry', 'is required (e.g. 30d or PT24H)')
  const enrolmentLifetimeMs = parseDuration(expiry, 'enrolmentExpiry')
  const { credential, identity, entityId, expectedText } = credentialOf(input, now)
  let enroleeId = input.enroleeId === undefined || input.enroleeId === '' ? undefined : parseAbsoluteEntityId(input.enroleeId, 'enroleeId')
  if (entityId !== undefined) {
    // The certificate proves this entity; handing targets another Enrolee-ID would let the
    // device be known under a name its certificate does not carry.
    if (enroleeId !== undefined && enroleeId !== entityId) throw invalidField('enroleeId', 'differs from the identity the certificate must carry')
    enroleeId = entityId
  }
  const targets = validateTargets(input.targets ?? [], enrolmentLifetimeMs)
  const derivations = targets.filter((t) => t.derivationId !== undefined)
    .map((t) => ({ targetId: t.targetId, suid: t.suid, derivationId: t.derivationId ?? '' }))
  const config = {
    ...(expectedText === undefined ? {} : { [ENROLEE_CONFIG_KEYS.expectedIdentity]: expectedText }),
    ...(derivations.length === 0 ? {} : { [ENROLEE_CONFIG_KEYS.targetDerivationIds]: derivations }),
  }
  return {
    enrolee: {
      credential,
      ...(enroleeId === undefined ? {} : { enroleeId }),
      enrolmentLifetimeMs,
      targets: targets.map((t) => ({ targetId: t.targetId, suid: t.suid, ...(t.keyLifetimeMs === undefined ? {} : { keyLifetimeMs: t.keyLifetimeMs }) })),
      config,
    },
    credentialKind: credential.kind === 'psk' ? 'psk' : 'certificate',
    credentialIdentity: identity,
    ...(enroleeId === undefined ? {} : { enroleeId }),
    targets,
  }
}

const INPUT_FIELDS = ['kpmId', 'kpm', 'trustAnchorPem', 'expectedIdentity', 'enroleeId', 'enrolmentExpiry', 'targets'] as const
const TARGET_FIELDS = ['targetId', 'suid', 'derivationId', 'keyLifetime'] as const

function optionalString(o: Record<string, unknown>, key: string, field: string): string | undefined {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') throw invalidField(field, 'must be a string')
  return v
}

function targetFromJson(value: unknown, field: string): EnrolmentTargetInput | string {
  if (typeof value === 'string') return value
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidField(field, 'must be an object or a SUID:TARGET-ID string')
  const o = value as Record<string, unknown>
  const unknown = Object.keys(o).find((k) => !(TARGET_FIELDS as readonly string[]).includes(k))
  if (unknown !== undefined) throw invalidField(`${field}.${unknown}`, 'is not a target field')
  const suid = o.suid
  if (typeof suid !== 'number' && typeof suid !== 'string') throw invalidField(`${field}.suid`, 'must be 21 or 22')
  const targetId = optionalString(o, 'targetId', `${field}.targetId`)
  if (targetId === undefined) throw invalidField(`${field}.targetId`, 'is required')
  const derivationId = optionalString(o, 'derivationId', `${field}.derivationId`)
  const keyLifetime = optionalString(o, 'keyLifetime', `${field}.keyLifetime`)
  return { targetId, suid, ...(derivationId === undefined ? {} : { derivationId }), ...(keyLifetime === undefined ? {} : { keyLifetime }) }
}

/**
 * An EnroleeInput from parsed JSON (an import row, an API body): known fields only, strings
 * where strings belong. Field checks are validateEnrolee's.
 * @throws OperatorError M2MSEC_ENROLEE_INVALID.
 */
export function enroleeInputFromJson(value: unknown): EnroleeInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidField('enrolee', 'must be a JSON object')
  const o = value as Record<string, unknown>
  const unknown = Object.keys(o).find((k) => !(INPUT_FIELDS as readonly string[]).includes(k))
  if (unknown !== undefined) throw invalidField(unknown, `is not an enrolee field (known: ${INPUT_FIELDS.join(', ')})`)
  const targets = o.targets
  if (targets !== undefined && targets !== null && !Array.isArray(targets)) throw invalidField('targets', 'must be an array')
  const input: Record<string, unknown> = {}
  for (const key of ['kpmId', 'kpm', 'trustAnchorPem', 'expectedIdentity', 'enroleeId', 'enrolmentExpiry'] as const) {
    const v = optionalString(o, key, key)
    if (v !== undefined) input[key] = v
  }
  if (Array.isArray(targets)) input.targets = targets.map((t, i) => targetFromJson(t, `targets[${i}]`))
  return { enrolmentExpiry: '', ...input } as EnroleeInput
}
