/**
 * What the operator functions return about an enrolee and its enrolments: identifiers,
 * authorisations, expiry and status — never key bytes, and no sealed blob (issue 5 "metadata
 * only, including KeID"). Also reads back the configuration kept in the enrolee's `config`
 * JSON (enrolee-input.ts), so the MEF can rebuild each Target's derivation reference and the
 * expected certificate identity from the same record the operator wrote.
 */
import type { EnroleeRecord, EnrolmentSummary, JsonValue } from '../../../store/index.js'
import type { ExpectedPeerIdentity } from '../../../pki/index.js'
import { parseExpectedIdentity } from './certificate-identity.js'
import { formatDuration } from './duration.js'
import { ENROLEE_CONFIG_KEYS } from './enrolee-input.js'

export interface EnroleeTargetView {
  readonly targetId: string
  readonly suid: number
  /** Configured §10.3.7 Enrolment-Target-ID; absent = the default of core's enrolmentTargetDerivationId. */
  readonly derivationId?: string
  readonly keyLifetimeMs?: number
}

export interface EnroleeView {
  readonly enroleeRef: string
  readonly credentialKind: EnroleeRecord['credentialKind']
  /** KpmID, certificate lookup key, or IMPI. */
  readonly credentialIdentity: string
  /** Certificate enrolees: the expected identity in text form (`ae-id://…`). */
  readonly expectedIdentity?: string
  readonly trustAnchorPem?: string
  readonly enroleeId?: string
  readonly enrolmentExpiry: string
  readonly enrolmentLifetimeMs: number
  readonly targets: readonly EnroleeTargetView[]
  readonly status: EnroleeRecord['status']
  readonly createdAt: Date
  readonly updatedAt: Date
}

export interface EnrolmentView {
  readonly keId: string
  readonly relativeKeId: string
  readonly mefFqdn: string
  readonly enroleeRef: string
  readonly createdAt: Date
  readonly expiresAt: Date
}

function stringAt(o: JsonValue | undefined, key: string): string | undefined {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined
  const v = (o as { readonly [k: string]: JsonValue })[key]
  return typeof v === 'string' ? v : undefined
}

function derivationIds(record: EnroleeRecord): ReadonlyMap<string, string> {
  const list = record.config[ENROLEE_CONFIG_KEYS.targetDerivationIds]
  const out = new Map<string, string>()
  if (!Array.isArray(list)) return out
  for (const entry of list) {
    const targetId = stringAt(entry, 'targetId')
    const derivationId = stringAt(entry, 'derivationId')
    const suid = typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? (entry as { readonly [k: string]: JsonValue }).suid : undefined
    if (targetId !== undefined && derivationId !== undefined && typeof suid === 'number') out.set(`${suid} ${targetId}`, derivationId)
  }
  return out
}

/**
 * The enrolee's Targets with their configured derivation ids: what fetchCredentials passes to
 * core's deriveEnrolmentTargetKey ({ targetId, suid, derivationId? }).
 */
export function enrolmentTargetsOf(record: EnroleeRecord): readonly EnroleeTargetView[] {
  const ids = derivationIds(record)
  return record.targets.map((t) => {
    const derivationId = ids.get(`${t.suid} ${t.targetId}`)
    return { ...t, ...(derivationId === undefined ? {} : { derivationId }) }
  })
}

/** The identity a certificate enrolee's certificate must carry (§3.4), or undefined for other kinds. */
export function expectedIdentityOf(record: EnroleeRecord): ExpectedPeerIdentity | undefined {
  if (record.credentialKind !== 'certificate') return undefined
  const text = record.config[ENROLEE_CONFIG_KEYS.expectedIdentity]
  return typeof text === 'string' ? parseExpectedIdentity(text).expected : undefined
}

export function enroleeView(record: EnroleeRecord): EnroleeView {
  const expected = record.config[ENROLEE_CONFIG_KEYS.expectedIdentity]
  return {
    enroleeRef: record.enroleeRef,
    credentialKind: record.credentialKind,
    credentialIdentity: record.credentialIdentity,
    ...(typeof expected === 'string' ? { expectedIdentity: expected } : {}),
    ...(record.trustAnchorPem === undefined ? {} : { trustAnchorPem: record.trustAnchorPem }),
    ...(record.enroleeId === undefined ? {} : { enroleeId: record.enroleeId }),
    enrolmentExpiry: formatDuration(record.enrolmentLifetimeMs),
    enrolmentLifetimeMs: record.enrolmentLifetimeMs,
    targets: enrolmentTargetsOf(record),
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  }
}

/** Copies the summary field by field, so a future key-bearing field of the store never leaks here. */
export function enrolmentView(summary: EnrolmentSummary): EnrolmentView {
  return {
    keId: summary.keId,
    relativeKeId: summary.relativeKeId,
    mefFqdn: summary.mefFqdn,
    enroleeRef: summary.enroleeRef,
    createdAt: summary.createdAt,
    expiresAt: summary.expiresAt,
  }
}
