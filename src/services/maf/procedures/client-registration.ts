/**
 * MAF Client Registration, Configuration Retrieval, Registration Update and De-Registration
 * (TS-0003 8.8.2.3–8.8.2.6, frameworks.md §7.4.2–§7.4.5) on `<mafClientReg>` (our TS-0032
 * proposal, mef-maf-interface.md §3.4, §4.1). The MAF-FQDN parameter is the Host/SNI, checked by
 * the router. The MAF Client ID follows OQ-20. On a session authenticated with a KeID the MAF
 * assigns a KmID to the Km it fetched from the MEF (`asid`, OQ-7/OQ-29, km-assignment.ts), and
 * the registration never outlives that Km's MEF-given lifetime.
 */
import {
  MEF_MAF_NAMES, MEF_MAF_PATHS, MEF_MAF_RESOURCE_TYPE, RSC, formatTimestamp, isJsonObject, malformed, readClientRegCreate, readClientRegUpdate,
  refused, schemaForType, writeClientReg, writeRepresentation, type ClientReg, type JsonObject, type JsonValue,
} from '../../../onem2m/index.js'
import type { ClientRegistration, PskCredential, StoreTx } from '../../../store/index.js'
import type { OneM2mReply } from '../../../transport/index.js'
import { ownRegistration } from '../access.js'
import { MAF_AUDIT_ACTION, auditedProcedure } from '../audit.js'
import type { MafDeps, MafPeer, MafRequest } from '../context.js'
import { reply } from '../reply.js'
import { after, grantExpiry } from './expiry.js'
import { allocateKmId, bindKmIdRow, keIdCredentialOf, linkKeIdRow, liveAssignedKmId } from './km-assignment.js'

const BASE = MEF_MAF_PATHS.mafBaseName

/** The full `<mafClientReg>` representation. */
export function registrationRepresentation(reg: ClientRegistration): JsonObject {
  const resource: ClientReg = {
    ri: reg.regId, rn: reg.regId, pi: BASE, ct: formatTimestamp(reg.createdAt), lt: formatTimestamp(reg.updatedAt),
    et: formatTimestamp(reg.expiresAt), ...(reg.labels.length > 0 ? { lbl: reg.labels } : {}), adfq: reg.adminFqdn, clid: reg.clientId,
    ...(reg.assignedKeyId === undefined ? {} : { asid: reg.assignedKeyId }),
    ...(isJsonObject(reg.clientCfg) ? { ccfg: reg.clientCfg } : {}),
  }
  return writeClientReg('maf', resource)
}

function schema() {
  const found = schemaForType(MEF_MAF_RESOURCE_TYPE.MAF_CLIENT_REG)
  if (found === undefined) throw refused(RSC.INTERNAL_SERVER_ERROR, 'no schema for mafClientReg')
  return found
}

interface Assignment {
  readonly kmId: string
  readonly credentialId: string
  readonly keRow: PskCredential
}

/** A new KmID for the Km of a KeID session, unless one is already live for it (then undefined). */
async function assignmentFor(tx: StoreTx, deps: MafDeps, keRow: PskCredential, now: Date): Promise<Assignment | undefined> {
  if ((await liveAssignedKmId(tx, keRow, now)) !== undefined) return undefined
  const { kmId, credentialId } = await allocateKmId(tx, deps.config)
  return { kmId, credentialId, keRow }
}

/** Writes the KmID rows of `assignment` for `reg` and links the KeID row to the registration's Client identity. */
async function storeAssignment(tx: StoreTx, assignment: Assignment, reg: ClientRegistration): Promise<void> {
  await bindKmIdRow(tx, assignment.kmId, assignment.keRow.key, assignment.keRow, reg.regId, reg.credentialId, reg.expiresAt)
  await linkKeIdRow(tx, assignment.keRow, reg.credentialId)
}

/** MAF Client Registration (8.8.2.3): CREATE `maf`, ty 32002 → 2001 with the full resource. */
export async function createClientRegistration(request: MafRequest, deps: MafDeps): Promise<OneM2mReply> {
  const { peer, now } = request
  const reg = await auditedProcedure({ deps, action: MAF_AUDIT_ACTION.clientRegistration, peer, now }, async (tx, subject) => {
    const body = readClientRegCreate('maf', request.primitive.pc)
    subject.adminFqdn = body.adfq
    const keRow = peer.credential === 'ke-id' ? await keIdCredentialOf(tx, peer, now) : undefined
    const expiresAt = grantExpiry(body.et, now, [after(now, deps.config.registrationMaxLifetimeMs), keRow?.expiresAt])
    const assignment = keRow === undefined ? undefined : await assignmentFor(tx, deps, keRow, now)
    // OQ-20: the bound Absolute ID when known; else the Credential-ID of the credential the client uses from now on.
    const clientId = assignment !== undefined && keRow?.boundEntity === undefined ? assignment.credentialId : peer.clientId
    const credentialId = assignment?.credentialId ?? peer.credentialId
    const existing = await tx.clientRegistrations.findByClient('maf', deps.config.fqdn, clientId, body.adfq, now)
    if (existing !== undefined) throw refused(RSC.CONFLICT, `client is already registered for ${body.adfq} as ${existing.regId}`)
    const created = await tx.clientRegistrations.create({
      issuer: 'maf', serverFqdn: deps.config.fqdn, clientId, credentialId, adminFqdn: body.adfq, labels: body.lbl ?? [], expiresAt,
      ...(assignment === undefined ? {} : { assignedKey: { keyId: assignment.kmId, key: assignment.keRow.key } }),
    })
    if (assignment !== undefined) await storeAssignment(tx, assignment, created)
    Object.assign(subject, { regId: created.regId, registeredClientId: clientId, ...(assignment ? { assignedKmId: assignment.kmId } : {}) })
    return created
  })
  return reply(request.primitive, RSC.CREATED, registrationRepresentation(reg), `${BASE}/${reg.regId}`)
}

/**
 * RETRIEVE of a registration: with `#ccfg` it is MAF Client Configuration Retrieval (8.8.2.4,
 * 4004 when the stakeholder configured nothing), otherwise the whole resource.
 */
export async function retrieveClientRegistration(request: MafRequest, deps: MafDeps, regId: string, attribute: string | undefined): Promise<OneM2mReply> {
  const { peer, now } = request
  const action = attribute === undefined ? MAF_AUDIT_ACTION.clientRegistration : MAF_AUDIT_ACTION.clientConfiguration
  const reg = await auditedProcedure({ deps, action, peer, now }, async (tx, subject) => {
    subject.regId = regId
    if (attribute !== undefined && attribute !== MEF_MAF_NAMES.clientCfg) throw malformed(`attribute ${attribute} cannot be retrieved alone`)
    const found = await ownRegistration(tx, deps.config, peer, regId, now)
    if (attribute !== undefined && !isJsonObject(found.clientCfg)) throw refused(RSC.NOT_FOUND, `no client configuration is associated with ${regId}`)
    return found
  })
  if (attribute === undefined) return reply(request.primitive, RSC.OK, registrationRepresentation(reg))
  return reply(request.primitive, RSC.OK, writeRepresentation(schema(), { [MEF_MAF_NAMES.clientCfg]: reg.clientCfg as JsonObject }))
}

/** The Km roll of 8.8.2.5: a KeID session whose Km is not the registration's gets a new KmID. */
async function rollFor(tx: StoreTx, deps: MafDeps, peer: MafPeer, reg: ClientRegistration, now: Date): Promise<{ keRow?: PskCredential; assignment?: Assignment }> {
  if (peer.credential !== 'ke-id') return {}
  const keRow = await keIdCredentialOf(tx, peer, now)
  const current = await liveAssignedKmId(tx, keRow, now)
  if (current !== undefined && current === reg.assignedKeyId) return { keRow }
  const { kmId } = await allocateKmId(tx, deps.config)
  // The registration keeps its Credential-ID: the Client ID must not change under its owner.
  return { keRow, assignment: { kmId, credentialId: reg.credentialId, keRow } }
}

/**
 * MAF Client Registration Update (8.8.2.5): UPDATE with et and/or lbl → 2004 echoing only those,
 * plus `asid` when this KeID session established a new Km. A remotely provisioned Km bounds the
 * registration: extending past its MEF-given lifetime needs a KeID session with a fresh Ke.
 */
export async function updateClientRegistration(request: MafRequest, deps: MafDeps, regId: string): Promise<OneM2mReply> {
  const { peer, now } = request
  const { updated, assigned, etChanged, lblChanged } = await auditedProcedure({ deps, action: MAF_AUDIT_ACTION.clientRegistrationUpdate, peer, now }, async (tx, subject) => {
    const body = readClientRegUpdate('maf', request.primitive.pc)
    subject.regId = regId
    const reg = await ownRegistration(tx, deps.config, peer, regId, now)
    const { keRow, assignment } = await rollFor(tx, deps, peer, reg, now)
    const kmBound = keRow?.expiresAt ?? (reg.assignedKeyId === undefined ? undefined : reg.expiresAt)
    const expiresAt = body.et === undefined ? undefined : grantExpiry(body.et, now, [after(now, deps.config.registrationMaxLifetimeMs), kmBound])
    const result = await tx.clientRegistrations.update(regId, {
      ...(expiresAt ? { expiresAt } : {}), ...(body.lbl ? { labels: body.lbl } : {}),
      ...(assignment ? { assignedKey: { keyId: assignment.kmId, key: assignment.keRow.key } } : {}),
    }, now)
    if (assignment !== undefined) await storeAssignment(tx, assignment, result)
    Object.assign(subject, { fields: [...(expiresAt ? ['et'] : []), ...(body.lbl ? ['lbl'] : [])], ...(assignment ? { assignedKmId: assignment.kmId } : {}) })
    return { updated: result, assigned: assignment !== undefined, etChanged: expiresAt !== undefined, lblChanged: body.lbl !== undefined }
  })
  const changed: Record<string, JsonValue> = {}
  if (etChanged) changed.et = formatTimestamp(updated.expiresAt)
  if (lblChanged) changed.lbl = [...updated.labels]
  if (assigned && updated.assignedKeyId !== undefined) changed[MEF_MAF_NAMES.assignedSymmKeyID] = updated.assignedKeyId
  return reply(request.primitive, RSC.UPDATED, writeRepresentation(schema(), changed))
}

/** MAF Client De-Registration (8.8.2.6): DELETE → 2002; its KmID and the keys it registered go with it. */
export async function deleteClientRegistration(request: MafRequest, deps: MafDeps, regId: string): Promise<OneM2mReply> {
  const { peer, now } = request
  await auditedProcedure({ deps, action: MAF_AUDIT_ACTION.clientDeregistration, peer, now }, async (tx, subject) => {
    subject.regId = regId
    await ownRegistration(tx, deps.config, peer, regId, now)
    subject.keysRemoved = await tx.keyRegistrations.deleteBySourceRegistration(regId)
    await tx.clientRegistrations.delete(regId)
  })
  return reply(request.primitive, RSC.DELETED)
}
