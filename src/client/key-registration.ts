/**
 * The MEF key procedures, device side (TS-0003 §8.3.5.2.7–§8.3.5.2.10; wire form
 * mef-maf-interface.md §3.6, §4.1 — OUR PROPOSAL for TS-0032): a Source MEF Client registers a
 * key (CREATE `<symmKeyReg>`, ty 32006), updates or de-registers it; a Target MEF Client
 * retrieves it by its Key Identifier `RelativeKeyID@MEF-FQDN` (OQ-21).
 *
 * Without a self-generated `kyv` the key is the `EXPORTER-oneM2M-Connection` export of the very
 * session that carries the CREATE (OQ-11): this module exports it from the session it sends on,
 * and checks that the MEF's RelativeKeyID is the hex of that export's KcID (OQ-12) — proof that
 * both ends hold the same key.
 */
import {
  connectionKeyFromExport, EXPORTER_LABEL_CONNECTION, EXPORTER_LENGTH, formatKeyIdentifier, parseKeyIdentifier, parseSuid, SecretBytes,
  splitKeyIdentifier, toHex, type KeyIdentifier,
} from '../core/index.js'
import { MEF_MAF_NAMES as N, MEF_MAF_RESOURCE_TYPE, MEF_MAF_ROOT, OPERATION, readSymmKeyReg, RSC, type SymmKeyReg } from '../onem2m/index.js'
import { invalidInput, invalidResponse } from './errors.js'
import { checkLabels, expiryTimestamp, optionalText, optionalTexts, readResponse, responseMembers, secContent } from './mef-content.js'
import type { MefSession } from './mef-session.js'

/** Key registration lifetime asked for when the caller names none; the MEF may shorten it. */
export const DEFAULT_KEY_LIFETIME_MS = 24 * 3_600_000
/** Length of a self-generated key: the 32 bytes every distributed key has (OQ-13 halves rule). */
export const SELF_GENERATED_KEY_LENGTH = 32

export interface MefKeyRegistrationRequest {
  readonly adminFqdn: string
  /** Usage scope, 21–25 at an MEF (mef-maf-interface.md §4.6). */
  readonly suid: number
  /** Authorised Target MEF Clients (Absolute AE-IDs/CSE-IDs; for SUID 21 the MAF FQDN). */
  readonly targetIds?: readonly string[]
  readonly labels?: readonly string[]
  readonly expiry?: Date
  readonly lifetimeMs?: number
  /** A self-generated key (sent as `kyv`); absent: the session's Connection export is the key. */
  readonly key?: SecretBytes
}

/** A key registration as the MEF describes it (never with the key). */
export interface MefKeyRegistration {
  readonly keyIdentifier: KeyIdentifier
  readonly relativeKeyId: string
  readonly expiry: string
  readonly adminFqdn: string
  readonly suid: number
  readonly targetIds: readonly string[]
  /** Source MEF Client ID (OQ-20). */
  readonly sourceClientId: string
  readonly labels?: readonly string[]
}

export interface RegisteredMefKey extends MefKeyRegistration {
  readonly key: SecretBytes
  /** True when the key is the session's Connection export, false when self-generated. */
  readonly exported: boolean
}

export interface RetrievedMefKey extends MefKeyRegistration {
  readonly key: SecretBytes
}

export interface MefKeyRegistrationChanges {
  readonly expiry?: string
  readonly labels?: readonly string[]
  readonly targetIds?: readonly string[]
}

const TYPE = MEF_MAF_RESOURCE_TYPE.SYMM_KEY_REG
const ROOT = MEF_MAF_ROOT.symmKeyReg
const RELATIVE_KEY_ID_RE = /^[A-Za-z0-9._-]{1,64}$/

/**
 * The RelativeKeyID of a Key Identifier of this MEF, or of a bare RelativeKeyID.
 * @throws M2MSEC_CLIENT_INPUT_INVALID when malformed or issued by another MEF.
 */
export function relativeKeyIdOf(session: MefSession, keyIdentifier: string): string {
  if (!keyIdentifier.includes('@')) {
    if (!RELATIVE_KEY_ID_RE.test(keyIdentifier)) throw invalidInput('a RelativeKeyID is letters, digits, . _ - (at most 64)')
    return /^[0-9A-Fa-f]{32}$/.test(keyIdentifier) ? keyIdentifier.toUpperCase() : keyIdentifier
  }
  let parsed: KeyIdentifier
  try {
    parsed = parseKeyIdentifier(keyIdentifier)
  } catch (cause) {
    throw invalidInput(`'${keyIdentifier.slice(0, 80)}' is not a Key Identifier`, cause)
  }
  const { relative, fqdn } = splitKeyIdentifier(parsed)
  if (fqdn !== session.mefFqdn) throw invalidInput(`Key Identifier names MEF ${fqdn}, this session is with ${session.mefFqdn}`)
  return relative
}

function description(session: MefSession, reg: SymmKeyReg): MefKeyRegistration {
  let keyIdentifier: KeyIdentifier
  try {
    keyIdentifier = formatKeyIdentifier(reg.rkid, session.mefFqdn)
  } catch (cause) {
    throw invalidResponse('MEF answered a RelativeKeyID that is not a sec:relKeyID', cause)
  }
  return {
    keyIdentifier, relativeKeyId: splitKeyIdentifier(keyIdentifier).relative, expiry: reg.et, adminFqdn: reg.adfq, suid: reg.suid,
    targetIds: reg.tgis, sourceClientId: reg.clid, ...(reg.lbl === undefined ? {} : { labels: reg.lbl }),
  }
}

function keyPath(session: MefSession, relativeKeyId: string): string {
  return `${session.endpoint.base}/${relativeKeyId}`
}

/**
 * MEF Key Registration by a Source MEF Client on `session`.
 * @throws M2MSEC_CLIENT_INPUT_INVALID; M2MSEC_CLIENT_REFUSED (4000 wrong `tgis` cardinality, 4102 SUID not
 *   served, 4103 not authorised, 5001 `kyv` unsupported…); M2MSEC_CLIENT_RESPONSE_INVALID when the
 *   MEF's RelativeKeyID is not this session's KcID, or the response carries the key.
 */
export async function registerMefKey(session: MefSession, request: MefKeyRegistrationRequest, now = new Date()): Promise<RegisteredMefKey> {
  if (request.adminFqdn.length === 0) throw invalidInput('adminFQDN is mandatory for MEF Key Registration')
  let suid: number
  try {
    suid = parseSuid(request.suid)
  } catch (cause) {
    throw invalidInput(`SUID ${request.suid} is not an m2m:suid value`, cause)
  }
  if (request.key !== undefined && request.key.length !== SELF_GENERATED_KEY_LENGTH) {
    throw invalidInput(`a self-generated key must be ${SELF_GENERATED_KEY_LENGTH} bytes (got ${request.key.length})`)
  }
  // Exported before sending, from the session the CREATE will travel on (OQ-11).
  const exported = request.key === undefined ? connectionKeyFromExport(session.exportKeyingMaterial(EXPORTER_LABEL_CONNECTION, EXPORTER_LENGTH).reveal()) : undefined
  const pc = secContent(ROOT, {
    et: expiryTimestamp(request, now, DEFAULT_KEY_LIFETIME_MS),
    lbl: checkLabels(request.labels),
    [N.adminFQDN]: request.adminFqdn,
    [N.SUID]: suid,
    [N.targetIDs]: request.targetIds === undefined ? undefined : [...request.targetIds],
    [N.keyValue]: request.key === undefined ? undefined : Buffer.from(request.key.reveal()).toString('base64'),
  })
  try {
    const { primitive } = await session.request(OPERATION.CREATE, session.endpoint.base, { ty: TYPE, pc, expect: RSC.CREATED })
    const reg = readResponse('Key Registration', () => readSymmKeyReg(primitive.pc))
    if (reg.kyv !== undefined) {
      reg.kyv.wipe()
      throw invalidResponse('MEF Key Registration response carries the key value; a Source never receives it')
    }
    const registration = description(session, reg)
    if (exported !== undefined && registration.relativeKeyId !== toHex(exported.kcId)) {
      throw invalidResponse('MEF RelativeKeyID is not the KcID of this session\'s Connection export: the two ends do not share the key')
    }
    return { ...registration, key: exported?.kc ?? new SecretBytes(request.key!.reveal().slice()), exported: exported !== undefined }
  } catch (error) {
    exported?.kc.wipe()
    throw error
  }
}

/**
 * MEF Key Retrieval by a Target MEF Client: RETRIEVE `<MEFBase>/<RelativeKeyID>`.
 * @throws M2MSEC_CLIENT_REFUSED 4103 (not among the registration's targets), 4004 (unknown or expired);
 *   M2MSEC_CLIENT_RESPONSE_INVALID when the response has no key.
 */
export async function retrieveMefKey(session: MefSession, keyIdentifier: string): Promise<RetrievedMefKey> {
  const relative = relativeKeyIdOf(session, keyIdentifier)
  const { primitive } = await session.request(OPERATION.RETRIEVE, keyPath(session, relative), { expect: RSC.OK })
  const reg = readResponse('Key Retrieval', () => readSymmKeyReg(primitive.pc))
  if (reg.kyv === undefined) throw invalidResponse('MEF Key Retrieval response carries no key value')
  if (reg.kyv.length === 0) throw invalidResponse('MEF Key Retrieval response carries an empty key value')
  const registration = description(session, reg)
  if (registration.relativeKeyId.toUpperCase() !== relative.toUpperCase()) {
    reg.kyv.wipe()
    throw invalidResponse('MEF Key Retrieval response describes another RelativeKeyID')
  }
  return { ...registration, key: reg.kyv }
}

/**
 * MEF Key Registration Update by the Source: `et`, `lbl` and/or `tgis` (at least one).
 * @returns what the MEF reports as in force.
 */
export async function updateMefKeyRegistration(
  session: MefSession,
  keyIdentifier: string,
  changes: { readonly expiry?: Date; readonly lifetimeMs?: number; readonly labels?: readonly string[]; readonly targetIds?: readonly string[] },
  now = new Date(),
): Promise<MefKeyRegistrationChanges> {
  const relative = relativeKeyIdOf(session, keyIdentifier)
  const et = expiryTimestamp(changes, now)
  const lbl = checkLabels(changes.labels)
  if (et === undefined && lbl === undefined && changes.targetIds === undefined) throw invalidInput('a Key Registration Update needs an expiry, labels or target IDs')
  const pc = secContent(ROOT, { et, lbl, [N.targetIDs]: changes.targetIds === undefined ? undefined : [...changes.targetIds] })
  const { primitive } = await session.request(OPERATION.UPDATE, keyPath(session, relative), { pc, expect: RSC.UPDATED })
  const members = responseMembers('Key Registration Update', primitive.pc, TYPE)
  if (members[N.keyValue] !== undefined) throw invalidResponse('MEF Key Registration Update response carries the key value')
  const expiry = optionalText('Key Registration Update', members, 'et')
  const labels = optionalTexts('Key Registration Update', members, 'lbl')
  const targetIds = optionalTexts('Key Registration Update', members, N.targetIDs)
  return {
    ...(expiry === undefined ? {} : { expiry }),
    ...(labels === undefined ? {} : { labels }),
    ...(targetIds === undefined ? {} : { targetIds }),
  }
}

/** MEF Key De-Registration by the Source: DELETE `<MEFBase>/<RelativeKeyID>` (2002). */
export async function deregisterMefKey(session: MefSession, keyIdentifier: string): Promise<void> {
  await session.request(OPERATION.DELETE, keyPath(session, relativeKeyIdOf(session, keyIdentifier)), { expect: RSC.DELETED })
}
