/**
 * `<mefClientCmd>` representations (mef-maf-interface.md §3.5, §4.2, §5.3; TS-0003 8.3.9 and
 * 12.4.4–12.4.10): the MEF issues a command (cmid, cmdd, cmst 10/11) and the client reports its
 * status (cmid, cmst). cmdArgs is a choice of exactly one member.
 */
import { clip, malformed } from './errors.js'
import type { JsonObject, JsonValue } from './json.js'
import { definedMembers, MemberReader } from './member-readers.js'
import { MEF_MAF_NAMES as N, MEF_MAF_RESOURCE_TYPE } from './mef-maf-names.js'
import { readRepresentation, schemaForType, writeRepresentation } from './representation.js'
import type { ResourceSchema } from './resource-schemas.js'

export type CmdArgs =
  | { readonly kind: 'noMoreCmd'; readonly rtdu: string }
  | { readonly kind: 'certProv'; readonly cppi: number; readonly uri: string; readonly cstp: number; readonly csbj: string }
  | { readonly kind: 'devCfg'; readonly dcu: string }
  | { readonly kind: 'moNode'; readonly obp: string; readonly otid: number; readonly otsa?: { readonly suid: number } }
  | { readonly kind: 'ibcProv'; readonly uri: string }

export interface CmdDescription {
  readonly ccid: number
  readonly tgid?: string
  readonly args: CmdArgs
}

export interface ClientCmd {
  /** Compared as text: TS-0032 8.6.1's type is unknown (mef-maf-interface.md Q4). */
  readonly cmid: string
  readonly cmdd: CmdDescription
  readonly cmst: number
}

export interface ClientCmdReport {
  readonly cmid: string
  readonly cmst: number
}

const TYPE = MEF_MAF_RESOURCE_TYPE.MEF_CLIENT_CMD
const ARG_MEMBER: Readonly<Record<CmdArgs['kind'], string>> = {
  noMoreCmd: N.noMoreCmdArgs, certProv: N.certProvCmdArgs, devCfg: N.devCfgCmdArgs, moNode: N.MONodeCmdArgs, ibcProv: N.ibcProvCmdArgs,
}

function schema(): ResourceSchema {
  return schemaForType(TYPE) as ResourceSchema
}

function cmidOf(r: MemberReader): string {
  const raw = r.raw(N.cmdID)
  if (typeof raw === 'number' && Number.isSafeInteger(raw)) return String(raw)
  return r.requiredText(N.cmdID, 64)
}

function readArgs(r: MemberReader): CmdArgs {
  const keys = r.keys()
  if (keys.length !== 1) throw malformed(`${N.cmdArgs} must hold exactly one argument member (has ${keys.length})`)
  const a = r.requiredObject(keys[0] as string)
  switch (keys[0]) {
    case N.noMoreCmdArgs:
      return { kind: 'noMoreCmd', rtdu: a.requiredText(N.retryDuration, 64) }
    case N.certProvCmdArgs:
      return { kind: 'certProv', cppi: a.requiredInt(N.certProvProtocolID), uri: a.requiredText(N.URI), cstp: a.requiredInt(N.certSubjectType), csbj: a.requiredText(N.certSubjectID) }
    case N.devCfgCmdArgs:
      return { kind: 'devCfg', dcu: a.requiredText(N.deviceConfigURI) }
    case N.MONodeCmdArgs: {
      const otsa = a.object(N.objectTypeSpecificArgs)
      // OQ-17: accept the wrapped form {"apma": {"suid": n}} on input, never emit it.
      const args = otsa?.object(N.authProfileMONodeArgs) ?? otsa
      const base = { kind: 'moNode' as const, obp: a.requiredText(N.objectPath), otid: a.requiredInt(N.objectTypeID) }
      return args === undefined ? base : { ...base, otsa: { suid: args.requiredInt(N.SUID) } }
    }
    case N.ibcProvCmdArgs:
      return { kind: 'ibcProv', uri: a.requiredText(N.URI) }
    default:
      throw malformed(`unknown command argument '${clip(keys[0] as string, 32)}'`)
  }
}

function argValue(args: CmdArgs): JsonObject {
  // Explicit member names, so swapping mef-maf-names.ts changes the wire and nothing else.
  switch (args.kind) {
    case 'noMoreCmd':
      return { [N.retryDuration]: args.rtdu }
    case 'certProv':
      return { [N.certProvProtocolID]: args.cppi, [N.URI]: args.uri, [N.certSubjectType]: args.cstp, [N.certSubjectID]: args.csbj }
    case 'devCfg':
      return { [N.deviceConfigURI]: args.dcu }
    case 'moNode':
      return definedMembers({ [N.objectPath]: args.obp, [N.objectTypeID]: args.otid, [N.objectTypeSpecificArgs]: args.otsa === undefined ? undefined : { [N.SUID]: args.otsa.suid } })
    case 'ibcProv':
      return { [N.URI]: args.uri }
  }
}

function writeArgs(args: CmdArgs): JsonObject {
  return { [ARG_MEMBER[args.kind]]: argValue(args) }
}

/** The MEF's representation of a command (RETRIEVE and UPDATE responses). */
export function writeClientCmd(cmd: ClientCmd, common: Readonly<Record<string, JsonValue | undefined>> = {}): JsonObject {
  return writeRepresentation(schema(), definedMembers({
    ...common, [N.cmdID]: cmd.cmid, [N.cmdStatusCode]: cmd.cmst,
    [N.cmdDescription]: definedMembers({ [N.cmdClassID]: cmd.cmdd.ccid, [N.targetID]: cmd.cmdd.tgid, [N.cmdArgs]: writeArgs(cmd.cmdd.args) }),
  }))
}

/** Reads a command returned by the MEF (client side). */
export function readClientCmd(content: JsonValue | undefined): ClientCmd {
  const rep = readRepresentation(content, TYPE)
  const r = new MemberReader(rep.value, rep.root)
  const d = r.requiredObject(N.cmdDescription)
  const tgid = d.text(N.targetID)
  const cmdd: CmdDescription = { ccid: d.requiredInt(N.cmdClassID), ...(tgid === undefined ? {} : { tgid }), args: readArgs(d.requiredObject(N.cmdArgs)) }
  return { cmid: cmidOf(r), cmdd, cmst: r.requiredInt(N.cmdStatusCode) }
}

/**
 * Client Command Update Content: exactly cmid and cmst (TS-0003 8.3.9.3; unparsable → 4000, K9).
 * @throws M2MSEC_ONEM2M_MALFORMED (4000).
 */
export function readClientCmdReport(content: JsonValue | undefined): ClientCmdReport {
  const rep = readRepresentation(content, TYPE)
  const r = new MemberReader(rep.value, rep.root).only([N.cmdID, N.cmdStatusCode])
  return { cmid: cmidOf(r), cmst: r.requiredInt(N.cmdStatusCode) }
}

export function writeClientCmdReport(report: ClientCmdReport): JsonObject {
  return writeRepresentation(schema(), { [N.cmdID]: report.cmid, [N.cmdStatusCode]: report.cmst })
}
