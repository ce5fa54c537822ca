/**
 * MAF Client Registration, Configuration Retrieval, Registration Update and De-Registration as a
 * MAF Client (TS-0003 8.8.2.3–8.8.2.6; mef-maf-interface.md §3.4, §4.1). After a registration
 * on a KeID session the MAF returns the KmID it assigned (`asid`, OQ-7/OQ-29): the device uses it
 * as psk_identity from then on, with the same key.
 */
import {
  MEF_MAF_NAMES as N, MEF_MAF_RESOURCE_TYPE, MEF_MAF_ROOT, OPERATION, RSC, formatTimestamp, isJsonObject, parseTimestamp, readClientReg, readRepresentation,
  type JsonObject,
} from '../../onem2m/index.js'
import { invalidInput, invalidResponse } from '../errors.js'
import type { MafSession } from './maf-session.js'

const ROOT = `sec:${MEF_MAF_ROOT.mafClientReg}`

export const DEFAULT_MAF_REGISTRATION_LIFETIME_MS = 30 * 24 * 3_600_000

export interface MafRegistrationRequest {
  /** Administrating stakeholder FQDN (adminFQDN). */
  readonly adminFqdn: string
  /** Proposed expiry; default now + 30 days. */
  readonly expiresAt?: Date
  readonly labels?: readonly string[]
}

export interface MafRegistration {
  /** mafClientRegID. */
  readonly regId: string
  /** `to` of the registration for the later procedures. */
  readonly path: string
  readonly clientId: string
  readonly adminFqdn: string
  readonly expiresAt: Date
  readonly labels: readonly string[]
  /** The MAF-assigned KmID, when the Km was remotely provisioned (8.8.2.3 assignedSymmKeyID). */
  readonly assignedKmId?: string
}

function checked<T>(what: string, read: () => T): T {
  try {
    return read()
  } catch (cause) {
    throw invalidResponse(`${what} response is not a <mafClientReg>`, cause)
  }
}

/** The root member's object of a MAF representation, or an invalid-response error. */
function membersOf(what: string, pc: unknown): JsonObject {
  const value = checked(what, () => readRepresentation(pc as JsonObject, MEF_MAF_RESOURCE_TYPE.MAF_CLIENT_REG).value)
  if (!isJsonObject(value)) throw invalidResponse(`${what} response root is not an object`)
  return value
}

function timeOf(text: string, what: string): Date {
  const at = parseTimestamp(text)
  if (at === undefined) throw invalidResponse(`${what} expirationTime is not an m2m:timestamp`)
  return at
}

/** `maf/<regId>` */
export function mafRegistrationPath(session: MafSession, regId: string): string {
  if (!/^[A-Za-z0-9._~-]+$/.test(regId)) throw invalidInput(`registration id '${regId.slice(0, 40)}' is not a resource name`)
  return `${session.base}/${regId}`
}

/**
 * MAF Client Registration (CREATE `maf`, ty 32002).
 * @throws M2MSEC_CLIENT_REFUSED (4105 already registered for this adfq, 4000, 4106…), M2MSEC_CLIENT_RESPONSE_INVALID
 */
export async function mafRegister(session: MafSession, request: MafRegistrationRequest): Promise<MafRegistration> {
  const et = request.expiresAt ?? new Date(Date.now() + DEFAULT_MAF_REGISTRATION_LIFETIME_MS)
  const pc = { [ROOT]: { et: formatTimestamp(et), [N.adminFQDN]: request.adminFqdn, ...(request.labels ? { lbl: [...request.labels] } : {}) } }
  const { primitive } = await session.request(OPERATION.CREATE, session.base, { ty: MEF_MAF_RESOURCE_TYPE.MAF_CLIENT_REG, pc, expect: RSC.CREATED })
  const reg = checked('MAF Client Registration', () => readClientReg('maf', primitive.pc))
  // 8.3.9.9.x-style check: the stakeholder we asked for is the one registered.
  if (reg.adfq !== request.adminFqdn) throw invalidResponse('MAF Client Registration answered another adminFQDN')
  return {
    regId: reg.ri, path: mafRegistrationPath(session, reg.ri), clientId: reg.clid, adminFqdn: reg.adfq, expiresAt: timeOf(reg.et, 'MAF Client Registration'),
    labels: reg.lbl ?? [], ...(reg.asid === undefined ? {} : { assignedKmId: reg.asid }),
  }
}

/**
 * MAF Client Configuration Retrieval (RETRIEVE `<mafClientReg>#ccfg`): the `ccfg` object.
 * @throws M2MSEC_CLIENT_REFUSED (4004 when the stakeholder left no configuration)
 */
export async function mafRetrieveConfiguration(session: MafSession, regId: string): Promise<JsonObject> {
  const { primitive } = await session.request(OPERATION.RETRIEVE, `${mafRegistrationPath(session, regId)}#${N.clientCfg}`, { expect: RSC.OK })
  const ccfg = membersOf('MAF Client Configuration Retrieval', primitive.pc)[N.clientCfg]
  if (!isJsonObject(ccfg)) throw invalidResponse(`MAF Client Configuration Retrieval response has no ${N.clientCfg} object`)
  return ccfg
}

export interface MafRegistrationChanges {
  readonly expiresAt?: Date
  readonly labels?: readonly string[]
}

/** MAF Client Registration Update: only what was asked comes back, plus `assignedKmId` when the MAF rolled Km. */
export async function mafUpdateRegistration(session: MafSession, regId: string, changes: MafRegistrationChanges): Promise<{ expiresAt?: Date; labels?: readonly string[]; assignedKmId?: string }> {
  if (changes.expiresAt === undefined && changes.labels === undefined) throw invalidInput('a registration update needs an expiry or labels')
  const pc = { [ROOT]: { ...(changes.expiresAt ? { et: formatTimestamp(changes.expiresAt) } : {}), ...(changes.labels ? { lbl: [...changes.labels] } : {}) } }
  const { primitive } = await session.request(OPERATION.UPDATE, mafRegistrationPath(session, regId), { pc, expect: RSC.UPDATED })
  const v = membersOf('MAF Client Registration Update', primitive.pc)
  return {
    ...(typeof v.et === 'string' ? { expiresAt: timeOf(v.et, 'MAF Client Registration Update') } : {}),
    ...(Array.isArray(v.lbl) ? { labels: v.lbl.filter((l: unknown): l is string => typeof l === 'string') } : {}),
    ...(typeof v[N.assignedSymmKeyID] === 'string' ? { assignedKmId: v[N.assignedSymmKeyID] as string } : {}),
  }
}

/** MAF Client De-Registration (DELETE `<mafClientReg>` → 2002). */
export async function mafDeregister(session: MafSession, regId: string): Promise<void> {
  await session.request(OPERATION.DELETE, mafRegistrationPath(session, regId), { expect: RSC.DELETED })
}
