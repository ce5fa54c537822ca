/**
 * MEF Client Registration and its companions, device side (TS-0003 §8.3.5.2.3–§8.3.5.2.6; wire
 * form mef-maf-interface.md §3.4, §4.1 — OUR PROPOSAL for TS-0032): CREATE `<mefClientReg>`
 * under `<MEFBase>`, RETRIEVE its `ccfg`, UPDATE `et`/`lbl`, DELETE. The registration is
 * addressed as `<MEFBase>/<resource name>` (`mef/ecr…`), the structured form §3.9 lists.
 */
import { type JsonObject, MEF_MAF_NAMES as N, MEF_MAF_RESOURCE_TYPE, MEF_MAF_ROOT, OPERATION, readClientReg, RSC } from '../onem2m/index.js'
import { invalidInput, invalidResponse } from './errors.js'
import { checkLabels, expiryTimestamp, optionalText, optionalTexts, readResponse, responseMembers, secContent } from './mef-content.js'
import type { MefSession } from './mef-session.js'

/** Lifetime asked for when the caller names none; the MEF may shorten it (§3.4 `et`). */
export const DEFAULT_REGISTRATION_LIFETIME_MS = 365 * 24 * 3_600_000

export interface MefClientRegistrationRequest {
  /** adminFQDN: the administrating stakeholder (mandatory). */
  readonly adminFqdn: string
  readonly labels?: readonly string[]
  /** Requested expirationTime, or a lifetime from now; default DEFAULT_REGISTRATION_LIFETIME_MS. */
  readonly expiry?: Date
  readonly lifetimeMs?: number
}

/** What the MEF returned for `<mefClientReg>` (TS-0003 Table 8.3.5.2.3 response). */
export interface MefClientRegistration {
  /** MEFClientRegID (`ri`). */
  readonly regId: string
  /** Resource name, the last segment of the registration's path. */
  readonly resourceName: string
  /** MEF Client ID the MEF bound to this session's credential (OQ-20); `fr` of later requests. */
  readonly clientId: string
  /** expirationTime in force (m2m:timestamp). */
  readonly expiry: string
  readonly adminFqdn: string
  readonly labels?: readonly string[]
  /** KpmID assigned when Kpm was remotely provisioned (OQ-20). */
  readonly assignedSymmKeyId?: string
  /** `to` of the `<mefClientCmd>` child (K5), when the MEF listed it. */
  readonly commandPath?: string
}

export interface MefClientConfiguration {
  /** The `ccfg` object as received (unknown members kept, §3.8). */
  readonly raw: JsonObject
  /** MEF Key Registration Configurations the stakeholder pushed (`krc`). */
  readonly keyRegistrationConfigs: readonly MefKeyRegistrationConfig[]
  readonly vendorInformation?: string
}

/** sec:keyRegCfg (TS-0003 §12.4.3, mef-maf-interface.md §5.2). */
export interface MefKeyRegistrationConfig {
  readonly adminFqdn: string
  readonly suid: number
  readonly targetIds?: readonly string[]
  readonly expiry?: string
  readonly labels?: readonly string[]
}

export interface MefClientRegistrationChanges {
  readonly expiry?: string
  readonly labels?: readonly string[]
  readonly assignedSymmKeyId?: string
}

const TYPE = MEF_MAF_RESOURCE_TYPE.MEF_CLIENT_REG
const ROOT = MEF_MAF_ROOT.mefClientReg
const REG_NAME_RE = /^[A-Za-z0-9._~-]{1,128}$/

/** `to` of a registration: `<MEFBase>/<name>`. */
export function registrationPath(session: MefSession, regName: string): string {
  if (!REG_NAME_RE.test(regName)) throw invalidInput('a MEFClientRegID is letters, digits, . _ ~ - (at most 128)')
  return `${session.endpoint.base}/${regName}`
}

/**
 * MEF Client Registration: CREATE `<mefClientReg>` (ty 32004) on `session`. On success the
 * session's `fr` becomes the MEF Client ID the MEF returned. On a new session this is also
 * re-enrolment: an earlier registration of this client for the same adminFQDN is superseded by
 * the MEF, and the Ke of earlier sessions stops working (docs/decisions.md, issue 5).
 * @throws M2MSEC_CLIENT_INPUT_INVALID, M2MSEC_CLIENT_REFUSED (4103 not authorised, 4105 already
 *   registered for this adminFQDN on this same session, 4106 `fr` not the credential's…),
 *   M2MSEC_CLIENT_RESPONSE_INVALID, and the session's errors.
 */
export async function registerMefClient(session: MefSession, request: MefClientRegistrationRequest, now = new Date()): Promise<MefClientRegistration> {
  if (request.adminFqdn.length === 0) throw invalidInput('adminFQDN is mandatory for MEF Client Registration')
  const pc = secContent(ROOT, {
    et: expiryTimestamp(request, now, DEFAULT_REGISTRATION_LIFETIME_MS),
    lbl: checkLabels(request.labels),
    [N.adminFQDN]: request.adminFqdn,
  })
  const { primitive, createdResourceId } = await session.request(OPERATION.CREATE, session.endpoint.base, { ty: TYPE, pc, expect: RSC.CREATED })
  const reg = readResponse('Client Registration', () => readClientReg('mef', primitive.pc))
  const resourceName = reg.rn ?? lastSegment(createdResourceId) ?? reg.ri
  if (!REG_NAME_RE.test(resourceName)) throw invalidResponse('MEF Client Registration response: the registration name is not a plain segment')
  const command = reg.ch?.find((c) => c.typ === MEF_MAF_RESOURCE_TYPE.MEF_CLIENT_CMD)
  session.useOriginator(reg.clid)
  return {
    regId: reg.ri, resourceName, clientId: reg.clid, expiry: reg.et, adminFqdn: reg.adfq,
    ...(reg.lbl === undefined ? {} : { labels: reg.lbl }),
    ...(reg.asid === undefined ? {} : { assignedSymmKeyId: reg.asid }),
    ...(command === undefined ? {} : { commandPath: command.val }),
  }
}

function lastSegment(to: string | undefined): string | undefined {
  if (to === undefined) return undefined
  const segments = to.split('/').filter((s) => s.length > 0)
  return segments[segments.length - 1]
}

/**
 * MEF Client Configuration Retrieval: RETRIEVE `<mefClientReg>#ccfg`.
 * @throws M2MSEC_CLIENT_REFUSED 4004 when no configuration is associated (or the registration is unknown).
 */
export async function retrieveMefClientConfiguration(session: MefSession, regName: string): Promise<MefClientConfiguration> {
  const { primitive } = await session.request(OPERATION.RETRIEVE, `${registrationPath(session, regName)}#${N.clientCfg}`, { expect: RSC.OK })
  const members = responseMembers('Client Configuration Retrieval', primitive.pc, TYPE)
  const raw = members[N.clientCfg]
  if (raw === undefined || raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalidResponse(`MEF Client Configuration Retrieval response has no ${N.clientCfg} object`)
  }
  const ccfg = raw as JsonObject
  const list = ccfg[N.keyRegCfgs]
  if (list !== undefined && !Array.isArray(list)) throw invalidResponse(`${N.clientCfg}.${N.keyRegCfgs} must be a list`)
  const vendorInformation = optionalText('Client Configuration Retrieval', ccfg, N.vendorInformation)
  return {
    raw: ccfg,
    keyRegistrationConfigs: (list ?? []).map((item, i) => keyRegistrationConfig(item, i)),
    ...(vendorInformation === undefined ? {} : { vendorInformation }),
  }
}

function keyRegistrationConfig(item: unknown, index: number): MefKeyRegistrationConfig {
  const what = `Client Configuration Retrieval ${N.keyRegCfgs}[${index}]`
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw invalidResponse(`MEF ${what} is not an object`)
  const members = item as JsonObject
  const adminFqdn = optionalText(what, members, N.adminFQDN)
  const suid = members[N.SUID]
  if (adminFqdn === undefined || typeof suid !== 'number' || !Number.isInteger(suid)) throw invalidResponse(`MEF ${what} needs ${N.adminFQDN} and an integer ${N.SUID}`)
  const targetIds = optionalTexts(what, members, N.targetIDs)
  const expiry = optionalText(what, members, 'et')
  const labels = optionalTexts(what, members, 'lbl')
  return {
    adminFqdn, suid,
    ...(targetIds === undefined ? {} : { targetIds }),
    ...(expiry === undefined ? {} : { expiry }),
    ...(labels === undefined ? {} : { labels }),
  }
}

/**
 * MEF Client Registration Update: UPDATE `et` and/or `lbl` (at least one).
 * @returns the attributes the MEF reports as in force (it may alter them).
 */
export async function updateMefClientRegistration(
  session: MefSession,
  regName: string,
  changes: { readonly expiry?: Date; readonly lifetimeMs?: number; readonly labels?: readonly string[] },
  now = new Date(),
): Promise<MefClientRegistrationChanges> {
  const et = expiryTimestamp(changes, now)
  const lbl = checkLabels(changes.labels)
  if (et === undefined && lbl === undefined) throw invalidInput('a Client Registration Update needs an expiry or labels')
  const pc = secContent(ROOT, { et, lbl })
  const { primitive } = await session.request(OPERATION.UPDATE, registrationPath(session, regName), { pc, expect: RSC.UPDATED })
  const members = responseMembers('Client Registration Update', primitive.pc, TYPE)
  const expiry = optionalText('Client Registration Update', members, 'et')
  const labels = optionalTexts('Client Registration Update', members, 'lbl')
  const asid = optionalText('Client Registration Update', members, N.assignedSymmKeyID)
  return {
    ...(expiry === undefined ? {} : { expiry }),
    ...(labels === undefined ? {} : { labels }),
    ...(asid === undefined ? {} : { assignedSymmKeyId: asid }),
  }
}

/** MEF Client De-Registration: DELETE the registration (2002). */
export async function deregisterMefClient(session: MefSession, regName: string): Promise<void> {
  await session.request(OPERATION.DELETE, registrationPath(session, regName), { expect: RSC.DELETED })
}
