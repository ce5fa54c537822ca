/**
 * MEF Client Registration, Configuration Retrieval, Registration Update and De-Registration
 * (TS-0003 8.3.5.2.3–8.3.5.2.6, frameworks.md §15.3) on `<mefClientReg>` (our TS-0032
 * proposal, mef-maf-interface.md §3.4, §4.1). The MEF-FQDN parameter is the Host/SNI, checked
 * by the router. The MEF Client ID is the peer's Client ID (OQ-20). The first registration on
 * a bootstrap session also stores that session's Enrolment Key (enrolment.ts); a registration
 * made on a new session for an adminFQDN the client is already registered with supersedes the
 * old one (re-enrolment). Ending a registration — de-registration, supersession — ends the key
 * registrations made under it; shortening it caps their expiry.
 */
import {
  MEF_MAF_NAMES, MEF_MAF_PATHS, MEF_MAF_RESOURCE_TYPE, RSC, formatTimestamp, malformed, parseTimestamp, readClientRegCreate, readClientRegUpdate,
  refused, writeClientReg, writeRepresentation, schemaForType, type ClientReg, type JsonObject, type JsonValue,
} from '../../../onem2m/index.js'
import type { ClientRegistration, StoreTx } from '../../../store/index.js'
import { ownRegistration, requireEnrolee } from '../access.js'
import { appendMefAudit, MEF_AUDIT_ACTION } from '../audit.js'
import { initialCommand } from '../client-command-queue.js'
import type { MefDeps, MefRequest } from '../context.js'
import {
  endPriorEnrolments, enrolFromSession, markSessionEnrolled, registeredOnSession, sessionEnrolment, type SessionEnrolment,
} from '../enrolment.js'
import { reply } from '../reply.js'
import type { OneM2mReply } from '../../../transport/index.js'

const BASE = MEF_MAF_PATHS.mefBaseName

/** Audit outcome of a CREATE that replaced an earlier session's registration (stable: operators filter on it). */
export const CLIENT_REGISTRATION_SUPERSEDED = 'superseded'

/** The `to` of a registration's command child (mef-maf-interface.md §4.2, §4.4). */
export function commandPath(regId: string): string {
  return `${BASE}/${regId}/${MEF_MAF_PATHS.mefClientCmdName}`
}

function futureTime(text: string, now: Date, what: string): Date {
  const at = parseTimestamp(text)
  // TS-0004: an expirationTime in the past is a bad request, not an instant expiry.
  if (at === undefined || at.getTime() <= now.getTime()) throw malformed(`${what} must be a future m2m:timestamp`)
  return at
}

function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The full `<mefClientReg>` representation (with the `<mefClientCmd>` childResource reference, K5). */
export function registrationRepresentation(reg: ClientRegistration): JsonObject {
  const resource: ClientReg = {
    ri: reg.regId, rn: reg.regId, pi: BASE, ct: formatTimestamp(reg.createdAt), lt: formatTimestamp(reg.updatedAt),
    et: formatTimestamp(reg.expiresAt), ...(reg.labels.length > 0 ? { lbl: reg.labels } : {}), adfq: reg.adminFqdn, clid: reg.clientId,
    ...(reg.assignedKeyId === undefined ? {} : { asid: reg.assignedKeyId }),
    ...(isJsonObject(reg.clientCfg) ? { ccfg: reg.clientCfg } : {}),
    ch: [{ nm: MEF_MAF_PATHS.mefClientCmdName, typ: MEF_MAF_RESOURCE_TYPE.MEF_CLIENT_CMD, val: commandPath(reg.regId) }],
  }
  return writeClientReg('mef', resource)
}

/**
 * The registration of this client for `adfq` that a CREATE would collide with, when it may be
 * superseded: one made on an earlier session, or one that expired but was not yet purged (its
 * row would still hold the (client, adfq) slot). The same session asking again while its
 * registration lives is a duplicate — it already holds that registration and its Ke — and gets 4105.
 */
async function supersedable(tx: StoreTx, deps: MefDeps, request: MefRequest, clientId: string, adfq: string): Promise<ClientRegistration | undefined> {
  // `new Date(0)`: expired rows too, which the store keeps until deleteExpired runs.
  const existing = await tx.clientRegistrations.findByClient('mef', deps.config.fqdn, clientId, adfq, new Date(0))
  const live = existing !== undefined && existing.expiresAt.getTime() > request.now.getTime()
  if (live && registeredOnSession(request.session, existing.regId)) {
    throw refused(RSC.CONFLICT, `client is already registered for ${adfq} as ${existing.regId} on this session`)
  }
  return existing
}

/**
 * Removes a registration with everything under it — its `<mefClientCmd>` (a column of the same
 * row), its assigned key and the key registrations it is the Source registration of — so no
 * key outlives the registration it was made under. Returns the number of key registrations removed.
 */
async function removeRegistration(tx: StoreTx, regId: string): Promise<number> {
  const keys = await tx.keyRegistrations.deleteBySourceRegistration(regId)
  await tx.clientRegistrations.delete(regId)
  return keys
}

/**
 * MEF Client Registration (8.3.5.2.3): CREATE `mef`, ty 32004 → 2001 with the full resource.
 *
 * Re-enrolment (docs/decisions.md, issue 5): when this client already holds a live
 * registration for `adfq` made on an earlier session, the CREATE supersedes it in the same
 * transaction — the old registration, its command child and its key registrations are deleted,
 * this session's Ke/KeID is stored, the enrolee's other enrolments end (enrolment.ts) and the
 * new registration is created; one audit event (outcome `superseded`) names both ids.
 * @throws OneM2mError 4000 (body, et), 4103 (a Target), 4105 (a second CREATE for the same
 *         adfq on the same session), 4106 (enrolee revoked or unknown).
 */
export async function createClientRegistration(request: MefRequest, deps: MefDeps): Promise<OneM2mReply> {
  const peer = requireEnrolee(request)
  const body = readClientRegCreate('mef', request.primitive.pc)
  const expiresAt = futureTime(body.et, request.now, 'et')
  const { reg, enrolment } = await deps.store.transaction(async (tx) => {
    const enrolee = await tx.enrolees.get(peer.enroleeRef)
    // Re-read in the transaction: an enrolee revoked after its handshake neither registers nor enrols.
    if (enrolee === undefined || enrolee.status !== 'active') throw refused(RSC.ORIGINATOR_NOT_AUTHENTICATED, 'enrolee is not active')
    const previous = await supersedable(tx, deps, request, peer.clientId, body.adfq)
    const deletedKeyRegistrations = previous === undefined ? 0 : await removeRegistration(tx, previous.regId)
    const enrolment: SessionEnrolment = sessionEnrolment(request.session) ?? (await enrolFromSession(tx, deps, request.session, enrolee, request.now))
    const endedKeIds = previous === undefined ? [] : await endPriorEnrolments(tx, enrolee.enroleeRef, enrolment.keId, request.now)
    const created = await tx.clientRegistrations.create({
      issuer: 'mef', serverFqdn: deps.config.fqdn, clientId: peer.clientId, credentialId: peer.credentialId, adminFqdn: body.adfq,
      labels: body.lbl ?? [], expiresAt, command: initialCommand(peer.clientId),
    })
    const subject = { regId: created.regId, clientId: peer.clientId, credentialId: peer.credentialId, adminFqdn: body.adfq, keId: enrolment.keId }
    await appendMefAudit(tx, deps, previous === undefined
      ? { action: MEF_AUDIT_ACTION.clientRegistration, at: request.now, outcome: 'ok', subject }
      : {
          action: MEF_AUDIT_ACTION.clientRegistration, at: request.now, outcome: CLIENT_REGISTRATION_SUPERSEDED,
          subject: { ...subject, supersededRegId: previous.regId, endedKeIds, deletedKeyRegistrations },
        })
    return { reg: created, enrolment }
  })
  markSessionEnrolled(request.session, enrolment, reg.regId)
  return reply(request.primitive, RSC.CREATED, registrationRepresentation(reg), `${BASE}/${reg.regId}`)
}

/**
 * RETRIEVE of a registration: with `#ccfg` it is MEF Client Configuration Retrieval (8.3.5.2.4,
 * 4004 when the stakeholder configured nothing), otherwise the whole resource.
 */
export async function retrieveClientRegistration(request: MefRequest, deps: MefDeps, regId: string, attribute: string | undefined): Promise<OneM2mReply> {
  const peer = requireEnrolee(request)
  const reg = await deps.store.transaction((tx) => ownRegistration(tx, deps.config, peer, regId, request.now))
  if (attribute === undefined) return reply(request.primitive, RSC.OK, registrationRepresentation(reg))
  if (attribute !== MEF_MAF_NAMES.clientCfg) throw malformed(`attribute ${attribute} cannot be retrieved alone`)
  if (!isJsonObject(reg.clientCfg)) throw refused(RSC.NOT_FOUND, `no client configuration is associated with ${regId}`)
  const schema = schemaForType(MEF_MAF_RESOURCE_TYPE.MEF_CLIENT_REG)
  if (schema === undefined) throw refused(RSC.INTERNAL_SERVER_ERROR, 'no schema for mefClientReg')
  return reply(request.primitive, RSC.OK, writeRepresentation(schema, { [MEF_MAF_NAMES.clientCfg]: reg.clientCfg }))
}

/**
 * Caps the key registrations made under `reg` at its new expiry: a key never outlives the
 * Source registration it was granted under (key-rules.ts grantExpiry applies the same bound at
 * registration). Lengthening `et` leaves keys as they are. Returns how many were shortened.
 */
async function capKeyExpiry(tx: StoreTx, deps: MefDeps, reg: ClientRegistration, expiresAt: Date, now: Date): Promise<number> {
  const keys = await tx.keyRegistrations.listBySource(deps.config.fqdn, reg.clientId, now)
  const longer = keys.filter((k) => k.sourceRegId === reg.regId && k.expiresAt.getTime() > expiresAt.getTime())
  for (const key of longer) await tx.keyRegistrations.update(deps.config.fqdn, key.relativeKeyId, { expiresAt }, now)
  return longer.length
}

/**
 * MEF Client Registration Update (8.3.5.2.5): UPDATE with et and/or lbl → 2004 echoing only
 * those. A shorter `et` also shortens the registration's key registrations (capKeyExpiry).
 */
export async function updateClientRegistration(request: MefRequest, deps: MefDeps, regId: string): Promise<OneM2mReply> {
  const peer = requireEnrolee(request)
  const body = readClientRegUpdate('mef', request.primitive.pc)
  const expiresAt = body.et === undefined ? undefined : futureTime(body.et, request.now, 'et')
  const updated = await deps.store.transaction(async (tx) => {
    const current = await ownRegistration(tx, deps.config, peer, regId, request.now)
    const reg = await tx.clientRegistrations.update(regId, { ...(expiresAt ? { expiresAt } : {}), ...(body.lbl ? { labels: body.lbl } : {}) }, request.now)
    const cappedKeyRegistrations = expiresAt === undefined ? 0 : await capKeyExpiry(tx, deps, current, expiresAt, request.now)
    await appendMefAudit(tx, deps, {
      action: MEF_AUDIT_ACTION.clientRegistrationUpdate, at: request.now, outcome: 'ok',
      subject: { regId, clientId: peer.clientId, fields: [...(expiresAt ? ['et'] : []), ...(body.lbl ? ['lbl'] : [])], cappedKeyRegistrations },
    })
    return reg
  })
  const schema = schemaForType(MEF_MAF_RESOURCE_TYPE.MEF_CLIENT_REG)
  if (schema === undefined) throw refused(RSC.INTERNAL_SERVER_ERROR, 'no schema for mefClientReg')
  const changed: Record<string, JsonValue> = {}
  if (expiresAt !== undefined) changed.et = formatTimestamp(updated.expiresAt)
  if (body.lbl !== undefined) changed.lbl = [...updated.labels]
  return reply(request.primitive, RSC.UPDATED, writeRepresentation(schema, changed))
}

/**
 * MEF Client De-Registration (8.3.5.2.6): DELETE → 2002; the command child and the key
 * registrations made under the registration go with it, in the same transaction.
 */
export async function deleteClientRegistration(request: MefRequest, deps: MefDeps, regId: string): Promise<OneM2mReply> {
  const peer = requireEnrolee(request)
  await deps.store.transaction(async (tx) => {
    await ownRegistration(tx, deps.config, peer, regId, request.now)
    const deletedKeyRegistrations = await removeRegistration(tx, regId)
    await appendMefAudit(tx, deps, {
      action: MEF_AUDIT_ACTION.clientDeregistration, at: request.now, outcome: 'ok', subject: { regId, clientId: peer.clientId, deletedKeyRegistrations },
    })
  })
  return reply(request.primitive, RSC.DELETED)
}
