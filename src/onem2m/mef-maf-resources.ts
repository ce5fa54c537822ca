/**
 * Typed readers and writers of the MEF/MAF resource representations of our TS-0032 proposal
 * (mef-maf-interface.md §3.3, §3.4, §3.6, §4.1): `<MAFBase>`/`<MEFBase>`, client registrations
 * and symmetric key registrations. Names come from mef-maf-names.ts only. Readers of client
 * requests enforce the Create/Update columns (M, O, NP); readers of server responses are
 * tolerant of members they do not know.
 */
import { SecretBytes } from '../core/index.js'
import { malformed, OneM2mError } from './errors.js'
import type { JsonObject, JsonValue } from './json.js'
import { definedMembers, MemberReader } from './member-readers.js'
import { MEF_MAF_NAMES as N, MEF_MAF_RESOURCE_TYPE, MEF_MAF_ROOT } from './mef-maf-names.js'
import { DEFAULT_SCHEMA_REGISTRY, readRepresentation, writeRepresentation } from './representation.js'
import type { ResourceSchema } from './resource-schemas.js'

export type MefMafServer = 'maf' | 'mef'

const FQDN_RE = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

function schemaOf(root: string): ResourceSchema {
  const schema = DEFAULT_SCHEMA_REGISTRY.byRootName.get(`sec:${root}`)
  if (schema === undefined) throw new OneM2mError('M2MSEC_ONEM2M_MALFORMED', 'internal', `mef-maf-names has no schema for ${root}`)
  return schema
}

function fqdn(reader: MemberReader, name: string, where: string): string | undefined {
  const value = reader.text(name, 253)
  if (value !== undefined && !FQDN_RE.test(value)) throw malformed(`${where}.${name} is not an FQDN`)
  return value
}

/** Strict base64 (RFC 4648 §4) of a key; the bytes become SecretBytes at once. */
export function readBase64Key(reader: MemberReader, name: string, where: string): SecretBytes | undefined {
  const text = reader.text(name, 1024)
  if (text === undefined) return undefined
  if (!BASE64_RE.test(text)) throw malformed(`${where}.${name} is not base64 (length ${text.length})`)
  return new SecretBytes(new Uint8Array(Buffer.from(text, 'base64')))
}

/** Common attributes a server writes on every resource (§3.2). */
export interface CommonAttributes {
  readonly ri: string
  readonly rn: string
  readonly pi?: string
  readonly ct?: string
  readonly lt?: string
  readonly et?: string
  readonly lbl?: readonly string[]
}

function common(c: Partial<CommonAttributes>, ty: number): Record<string, JsonValue | undefined> {
  return { ty, ri: c.ri, rn: c.rn, pi: c.pi, ct: c.ct, lt: c.lt, et: c.et, lbl: c.lbl }
}

function readCommon(r: MemberReader): Partial<CommonAttributes> {
  return definedMembers({ ri: r.text('ri'), rn: r.text('rn'), pi: r.text('pi'), ct: r.timestamp('ct'), lt: r.timestamp('lt'), et: r.timestamp('et'), lbl: r.texts('lbl') }) as Partial<CommonAttributes>
}

// ---- <MAFBase> / <MEFBase> (§3.3) ----

export interface ServerBase extends CommonAttributes {
  readonly fqdn: string
  readonly suids?: readonly number[]
  /** MEF only (TS-0003 Table 12.2-1 deviceConfigURI). */
  readonly dcu?: string
  readonly poa?: readonly string[]
  readonly srv: readonly string[]
}

export function writeServerBase(server: MefMafServer, base: ServerBase): JsonObject {
  const root = server === 'maf' ? MEF_MAF_ROOT.mafBase : MEF_MAF_ROOT.mefBase
  const ty = server === 'maf' ? MEF_MAF_RESOURCE_TYPE.MAF_BASE : MEF_MAF_RESOURCE_TYPE.MEF_BASE
  return writeRepresentation(schemaOf(root), definedMembers({
    ...common(base, ty), [N.fqdn]: base.fqdn, [N.supportedSUIDs]: base.suids, [N.deviceConfigURI]: server === 'mef' ? base.dcu : undefined,
    [N.pointOfAccess]: base.poa, [N.supportedReleaseVersions]: base.srv,
  }))
}

export function readServerBase(server: MefMafServer, content: JsonValue | undefined): ServerBase {
  const ty = server === 'maf' ? MEF_MAF_RESOURCE_TYPE.MAF_BASE : MEF_MAF_RESOURCE_TYPE.MEF_BASE
  const rep = readRepresentation(content, ty)
  const r = new MemberReader(rep.value, rep.root)
  const suids = r.raw(N.supportedSUIDs)
  if (suids !== undefined && !(Array.isArray(suids) && suids.every((s: JsonValue) => typeof s === 'number'))) throw malformed(`${rep.root}.${N.supportedSUIDs} must be a list of integers`)
  return definedMembers({
    ...readCommon(r), fqdn: fqdn(r, N.fqdn, rep.root) ?? r.requiredText(N.fqdn), suids: suids as JsonValue | undefined,
    dcu: r.text(N.deviceConfigURI), poa: r.texts(N.pointOfAccess), srv: r.texts(N.supportedReleaseVersions) ?? [],
  }) as unknown as ServerBase
}

// ---- <mafClientReg> / <mefClientReg> (§3.4) ----

function clientRegRoot(server: MefMafServer): string {
  return server === 'maf' ? MEF_MAF_ROOT.mafClientReg : MEF_MAF_ROOT.mefClientReg
}

function clientRegType(server: MefMafServer): number {
  return server === 'maf' ? MEF_MAF_RESOURCE_TYPE.MAF_CLIENT_REG : MEF_MAF_RESOURCE_TYPE.MEF_CLIENT_REG
}

export interface ClientRegCreate {
  readonly et: string
  readonly lbl?: readonly string[]
  readonly adfq: string
}

export interface ClientRegUpdate {
  readonly et?: string
  readonly lbl?: readonly string[]
}

/** m2m:childResourceRef of the `<mefClientCmd>` child (K5). */
export interface ChildResourceRef {
  readonly nm: string
  readonly typ: number
  readonly val: string
}

export interface ClientReg extends CommonAttributes {
  readonly et: string
  readonly adfq: string
  readonly clid: string
  readonly asid?: string
  readonly ccfg?: JsonObject
  readonly ch?: readonly ChildResourceRef[]
}

/**
 * Client Registration request Content (TS-0003 8.8.2.3 / 8.3.5.2.3): `et` and `adfq`
 * mandatory, `lbl` optional, nothing else.
 * @throws M2MSEC_ONEM2M_MALFORMED (4000) naming the member.
 */
export function readClientRegCreate(server: MefMafServer, content: JsonValue | undefined): ClientRegCreate {
  const rep = readRepresentation(content, clientRegType(server))
  const r = new MemberReader(rep.value, rep.root).only(['et', 'lbl', N.adminFQDN])
  return definedMembers({ et: r.requiredTimestamp('et'), lbl: r.texts('lbl'), adfq: fqdn(r, N.adminFQDN, rep.root) ?? r.requiredText(N.adminFQDN) }) as unknown as ClientRegCreate
}

/**
 * Client Registration Update Content: at least one of `et`, `lbl` (§4.1).
 * @throws M2MSEC_ONEM2M_MALFORMED (4000) when none or another member is present.
 */
export function readClientRegUpdate(server: MefMafServer, content: JsonValue | undefined): ClientRegUpdate {
  const rep = readRepresentation(content, clientRegType(server))
  const r = new MemberReader(rep.value, rep.root).only(['et', 'lbl'])
  if (r.keys().length === 0) throw malformed(`${rep.root} update needs et or lbl`)
  return definedMembers({ et: r.timestamp('et'), lbl: r.texts('lbl') }) as ClientRegUpdate
}

export function writeClientReg(server: MefMafServer, reg: ClientReg): JsonObject {
  return writeRepresentation(schemaOf(clientRegRoot(server)), definedMembers({
    ...common(reg, clientRegType(server)), [N.adminFQDN]: reg.adfq, [N.clientID]: reg.clid,
    [N.assignedSymmKeyID]: reg.asid, [N.clientCfg]: reg.ccfg,
    ch: reg.ch?.map((c) => ({ nm: c.nm, typ: c.typ, val: c.val })),
  }))
}

/** Reads a registration returned by the server (client side). */
export function readClientReg(server: MefMafServer, content: JsonValue | undefined): ClientReg {
  const rep = readRepresentation(content, clientRegType(server))
  const r = new MemberReader(rep.value, rep.root)
  const chRaw = r.raw('ch')
  const ch = chRaw === undefined ? undefined : (Array.isArray(chRaw) ? (chRaw as readonly JsonValue[]) : []).map((item, i) => {
    const c = new MemberReader(item, `${rep.root}.ch[${i}]`)
    return { nm: c.requiredText('nm'), typ: c.requiredInt('typ'), val: c.requiredText('val') }
  })
  const ccfg = r.object(N.clientCfg) === undefined ? undefined : (r.raw(N.clientCfg) as JsonObject)
  return definedMembers({
    ...readCommon(r), ri: r.requiredText('ri'), et: r.requiredTimestamp('et'), adfq: r.requiredText(N.adminFQDN),
    clid: r.requiredText(N.clientID), asid: r.text(N.assignedSymmKeyID), ccfg, ch: ch as JsonValue | undefined,
  }) as unknown as ClientReg
}

// ---- <symmKeyReg> (§3.6) ----

export interface SymmKeyRegCreate {
  readonly et: string
  readonly lbl?: readonly string[]
  readonly adfq: string
  readonly suid: number
  readonly tgis?: readonly string[]
  /** Self-generated key; absent means "export it from this TLS session". */
  readonly kyv?: SecretBytes
}

export interface SymmKeyRegUpdate {
  readonly et?: string
  readonly lbl?: readonly string[]
  readonly tgis?: readonly string[]
}

export interface SymmKeyReg extends CommonAttributes {
  /** RelativeKeyID; also the resource name. */
  readonly rkid: string
  readonly et: string
  readonly adfq: string
  readonly suid: number
  readonly tgis: readonly string[]
  readonly clid: string
  readonly kyv?: SecretBytes
}

const SKR = MEF_MAF_ROOT.symmKeyReg
const SKR_TYPE = MEF_MAF_RESOURCE_TYPE.SYMM_KEY_REG

/**
 * Key Registration request Content (TS-0003 8.8.2.7 / 8.3.5.2.7).
 * @throws M2MSEC_ONEM2M_MALFORMED (4000) naming the member.
 */
export function readSymmKeyRegCreate(content: JsonValue | undefined): SymmKeyRegCreate {
  const rep = readRepresentation(content, SKR_TYPE)
  const r = new MemberReader(rep.value, rep.root).only(['et', 'lbl', N.adminFQDN, N.SUID, N.targetIDs, N.keyValue])
  const request = definedMembers({
    et: r.requiredTimestamp('et'), lbl: r.texts('lbl'), adfq: fqdn(r, N.adminFQDN, rep.root) ?? r.requiredText(N.adminFQDN),
    suid: r.requiredInt(N.SUID, 0, 99), tgis: r.texts(N.targetIDs),
  }) as unknown as SymmKeyRegCreate
  return withKey(request, readBase64Key(r, N.keyValue, rep.root))
}

function withKey<T extends object>(value: T, kyv: SecretBytes | undefined): T {
  return kyv === undefined ? value : { ...value, kyv }
}

/** Key Registration Update Content: at least one of `et`, `lbl`, `tgis`. */
export function readSymmKeyRegUpdate(content: JsonValue | undefined): SymmKeyRegUpdate {
  const rep = readRepresentation(content, SKR_TYPE)
  const r = new MemberReader(rep.value, rep.root).only(['et', 'lbl', N.targetIDs])
  if (r.keys().length === 0) throw malformed(`${rep.root} update needs et, lbl or ${N.targetIDs}`)
  return definedMembers({ et: r.timestamp('et'), lbl: r.texts('lbl'), tgis: r.texts(N.targetIDs) }) as SymmKeyRegUpdate
}

/**
 * The representation of a key registration. `kyv` is written only when `includeKey` is set
 * (Key Retrieval by a Target client, §3.7), never in the Source's CREATE/UPDATE responses.
 */
export function writeSymmKeyReg(reg: SymmKeyReg, includeKey: boolean): JsonObject {
  const key = includeKey && reg.kyv !== undefined ? Buffer.from(reg.kyv.reveal()).toString('base64') : undefined
  return writeRepresentation(schemaOf(SKR), definedMembers({
    ...common(reg, SKR_TYPE), [N.relativeKeyID]: reg.rkid, [N.adminFQDN]: reg.adfq, [N.SUID]: reg.suid,
    [N.targetIDs]: reg.tgis, [N.clientID]: reg.clid, [N.keyValue]: key,
  }))
}

/** Reads a key registration returned by the server (Source or Target client side). */
export function readSymmKeyReg(content: JsonValue | undefined): SymmKeyReg {
  const rep = readRepresentation(content, SKR_TYPE)
  const r = new MemberReader(rep.value, rep.root)
  const rkid = r.text(N.relativeKeyID) ?? r.requiredText('rn')
  const base = definedMembers({
    ...readCommon(r), rn: r.text('rn') ?? rkid, ri: r.text('ri') ?? rkid, rkid, et: r.requiredTimestamp('et'),
    adfq: r.requiredText(N.adminFQDN), suid: r.requiredInt(N.SUID), tgis: r.texts(N.targetIDs) ?? [], clid: r.requiredText(N.clientID),
  }) as unknown as SymmKeyReg
  return withKey(base, readBase64Key(r, N.keyValue, rep.root))
}
