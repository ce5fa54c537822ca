/**
 * The MAF key procedures as a MAF Client (TS-0003 8.8.2.7–8.8.2.10; frameworks.md §7.2 steps
 * 3–4; mef-maf-interface.md §3.6, §4.1). Key Registration without a Key Value derives Kc and
 * KcID from `EXPORTER-oneM2M-Connection` of the pinned session that carries the CREATE (10.3.1):
 * the device computes the Key Identifier hex(KcID)@MAF-FQDN itself (10.3.5) and refuses an answer
 * naming another RelativeKeyID. Key Retrieval is Entity B's side: it takes the Key Identifier it
 * saw as psk_identity and returns Kc with its metadata.
 */
import {
  EXPORTER_LABEL_CONNECTION, EXPORTER_LENGTH, SUID, connectionKeyFromExport, formatKeyIdentifier, parseKeyIdentifier, splitKeyIdentifier, toHex,
  type SecretBytes,
} from '../../core/index.js'
import {
  MEF_MAF_NAMES as N, MEF_MAF_RESOURCE_TYPE, MEF_MAF_ROOT, OPERATION, RSC, formatTimestamp, isJsonObject, parseTimestamp, readRepresentation, readSymmKeyReg,
  type JsonObject, type SymmKeyReg,
} from '../../onem2m/index.js'
import { ClientError, invalidInput, invalidResponse } from '../errors.js'
import type { MafSession } from './maf-session.js'

const ROOT = `sec:${MEF_MAF_ROOT.symmKeyReg}`
export const DEFAULT_MAF_KEY_LIFETIME_MS = 24 * 3_600_000

export interface MafKeyRegistrationRequest {
  readonly adminFqdn: string
  /** m2m:suid 32–35; default 32 (MAF-Based SAEF). */
  readonly suid?: number
  /** IdB (SAEF/ESPrim: exactly one Absolute AE-ID/CSE-ID; ESData: one or more). */
  readonly targetIds: readonly string[]
  /** Proposed expiry; the MAF assigns the one in force. Default now + 1 day. */
  readonly expiresAt?: Date
  readonly labels?: readonly string[]
  /** A self-generated 32-byte key; absent → Kc from the session export. */
  readonly keyValue?: SecretBytes
}

export interface RegisteredMafKey {
  /** `RelativeKeyID@MAF-FQDN`: the psk_identity towards Entity B (frameworks.md §7.2 step 4). */
  readonly keyIdentifier: string
  readonly relativeKeyId: string
  /** Kc: the PSK towards Entity B, used whole (OQ-13). */
  readonly key: SecretBytes
  readonly expiresAt: Date
  readonly suid: number
  readonly targetIds: readonly string[]
  /** Source MAF Client ID as the MAF recorded it. */
  readonly clientId: string
}

export interface RetrievedMafKey {
  readonly keyIdentifier: string
  readonly key: SecretBytes
  readonly expiresAt: Date
  readonly suid: number
  /** IdA, or the Credential-ID `11-<KmID>` when the MAF knows no IdA (OQ-20, OQ-33): bind the SA to it. */
  readonly sourceClientId: string
  readonly adminFqdn: string
  readonly labels: readonly string[]
}

function readKey(what: string, pc: unknown): SymmKeyReg {
  try {
    return readSymmKeyReg(pc as JsonObject)
  } catch (cause) {
    throw invalidResponse(`${what} response is not a <symmKeyReg>`, cause)
  }
}

function timeOf(text: string, what: string): Date {
  const at = parseTimestamp(text)
  if (at === undefined) throw invalidResponse(`${what} expirationTime is not an m2m:timestamp`)
  return at
}

/** The RelativeKeyID of a Key Identifier that names this session's MAF. */
export function mafRelativeKeyIdOf(session: MafSession, keyIdentifier: string): string {
  let parts
  try {
    parts = splitKeyIdentifier(parseKeyIdentifier(keyIdentifier))
  } catch (cause) {
    throw invalidInput(`'${keyIdentifier.slice(0, 80)}' is not a Key Identifier`, cause)
  }
  if (parts.fqdn !== session.fqdn) throw invalidInput(`Key Identifier names MAF ${parts.fqdn}, this session is with ${session.fqdn}`)
  return parts.relative
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

/**
 * MAF Key Registration (CREATE `maf`, ty 32006) on the pinned session.
 * @throws M2MSEC_CLIENT_REFUSED (4102 SUID, 4000 tgis, 4103 not registered, 4105 …),
 *   M2MSEC_CLIENT_RESPONSE_INVALID (another RelativeKeyID, SUID, adfq or tgis than asked)
 */
export async function mafKeyRegister(session: MafSession, request: MafKeyRegistrationRequest): Promise<RegisteredMafKey> {
  const suid = request.suid ?? SUID.MAF_SAEF
  const et = request.expiresAt ?? new Date(Date.now() + DEFAULT_MAF_KEY_LIFETIME_MS)
  const pc = {
    [ROOT]: {
      et: formatTimestamp(et), [N.adminFQDN]: request.adminFqdn, [N.SUID]: suid, [N.targetIDs]: [...request.targetIds],
      ...(request.labels ? { lbl: [...request.labels] } : {}),
      ...(request.keyValue ? { [N.keyValue]: Buffer.from(request.keyValue.reveal()).toString('base64') } : {}),
    },
  }
  // Both ends export from the same session; ours is taken before the request so it cannot race a close.
  const exported = request.keyValue === undefined ? connectionKeyFromExport(session.exportKeyingMaterial(EXPORTER_LABEL_CONNECTION, EXPORTER_LENGTH).reveal()) : undefined
  try {
    const { primitive } = await session.request(OPERATION.CREATE, session.base, { ty: MEF_MAF_RESOURCE_TYPE.SYMM_KEY_REG, pc, expect: RSC.CREATED })
    const reg = readKey('MAF Key Registration', primitive.pc)
    if (exported !== undefined && reg.rkid.toUpperCase() !== toHex(exported.kcId)) {
      throw invalidResponse('MAF Key Registration answered a RelativeKeyID other than hex(KcID) of this session (OQ-12)')
    }
    if (reg.suid !== suid || reg.adfq !== request.adminFqdn || !sameList(reg.tgis, request.targetIds)) {
      throw invalidResponse('MAF Key Registration answered another SUID, adminFQDN or target list than requested')
    }
    const key = exported?.kc ?? (request.keyValue as SecretBytes)
    return {
      keyIdentifier: formatKeyIdentifier(reg.rkid, session.fqdn), relativeKeyId: reg.rkid.toUpperCase(), key,
      expiresAt: timeOf(reg.et, 'MAF Key Registration'), suid: reg.suid, targetIds: reg.tgis, clientId: reg.clid,
    }
  } catch (error) {
    exported?.kc.wipe()
    throw error
  }
}

/**
 * MAF Key Retrieval by a Target (RETRIEVE `maf/<RelativeKeyID>`).
 * @param expectedSuid the SUID of the security feature that presented the Key Identifier (8.8.2.8 pre-condition): another SUID is refused.
 * @throws M2MSEC_CLIENT_REFUSED (4103 not a Target, 4004 unknown or expired), M2MSEC_CLIENT_RESPONSE_INVALID (no key, wrong SUID)
 */
export async function mafKeyRetrieve(session: MafSession, keyIdentifier: string, expectedSuid: number = SUID.MAF_SAEF): Promise<RetrievedMafKey> {
  const relative = mafRelativeKeyIdOf(session, keyIdentifier)
  const { primitive } = await session.request(OPERATION.RETRIEVE, `${session.base}/${relative}`, { expect: RSC.OK })
  const reg = readKey('MAF Key Retrieval', primitive.pc)
  if (reg.kyv === undefined) throw invalidResponse('MAF Key Retrieval answered without a Key Value (this client is the Source, not a Target)')
  if (reg.suid !== expectedSuid) {
    reg.kyv.wipe()
    throw new ClientError('M2MSEC_CLIENT_RESPONSE_INVALID', 'forbidden', `the key is registered for SUID ${reg.suid}, not ${expectedSuid}`)
  }
  return {
    keyIdentifier: formatKeyIdentifier(relative, session.fqdn), key: reg.kyv, expiresAt: timeOf(reg.et, 'MAF Key Retrieval'), suid: reg.suid,
    sourceClientId: reg.clid, adminFqdn: reg.adfq, labels: reg.lbl ?? [],
  }
}

export interface MafKeyChanges {
  readonly expiresAt?: Date
  readonly labels?: readonly string[]
  readonly targetIds?: readonly string[]
}

/** MAF Key Registration Update (UPDATE `maf/<RelativeKeyID>`): the values now in force for what was asked. */
export async function mafKeyUpdate(session: MafSession, keyIdentifier: string, changes: MafKeyChanges): Promise<{ expiresAt?: Date; labels?: readonly string[]; targetIds?: readonly string[] }> {
  if (changes.expiresAt === undefined && changes.labels === undefined && changes.targetIds === undefined) throw invalidInput('a key update needs an expiry, labels or targets')
  const relative = mafRelativeKeyIdOf(session, keyIdentifier)
  const pc = {
    [ROOT]: {
      ...(changes.expiresAt ? { et: formatTimestamp(changes.expiresAt) } : {}), ...(changes.labels ? { lbl: [...changes.labels] } : {}),
      ...(changes.targetIds ? { [N.targetIDs]: [...changes.targetIds] } : {}),
    },
  }
  const { primitive } = await session.request(OPERATION.UPDATE, `${session.base}/${relative}`, { pc, expect: RSC.UPDATED })
  let value
  try {
    value = readRepresentation(primitive.pc, MEF_MAF_RESOURCE_TYPE.SYMM_KEY_REG).value
  } catch (cause) {
    throw invalidResponse('MAF Key Registration Update response is not a <symmKeyReg>', cause)
  }
  if (!isJsonObject(value)) throw invalidResponse('MAF Key Registration Update response root is not an object')
  const tgis = value[N.targetIDs]
  return {
    ...(typeof value.et === 'string' ? { expiresAt: timeOf(value.et, 'MAF Key Registration Update') } : {}),
    ...(Array.isArray(value.lbl) ? { labels: value.lbl.filter((l): l is string => typeof l === 'string') } : {}),
    ...(Array.isArray(tgis) ? { targetIds: tgis.filter((l): l is string => typeof l === 'string') } : {}),
  }
}

/** MAF Key De-Registration (DELETE `maf/<RelativeKeyID>` → 2002). */
export async function mafKeyDeregister(session: MafSession, keyIdentifier: string): Promise<void> {
  await session.request(OPERATION.DELETE, `${session.base}/${mafRelativeKeyIdOf(session, keyIdentifier)}`, { expect: RSC.DELETED })
}
