/**
 * IBC credential provisioning Content (OUR PROPOSAL, mef-maf-interface.md §6a): the client
 * CREATEs `sec:ibcc` with exactly one of `eid` (initial) or `id1` (re-provisioning); the MEF
 * answers with ID_2, SSK, PVT and KPAK (RFC 6507), hex upper case, points uncompressed.
 */
import { SecretBytes, fromHex, toHex } from '../core/index.js'
import { malformed } from './errors.js'
import type { JsonObject, JsonValue } from './json.js'
import { MemberReader } from './member-readers.js'
import { MEF_MAF_NAMES as N, MEF_MAF_RESOURCE_TYPE } from './mef-maf-names.js'
import { readRepresentation, schemaForType, writeRepresentation } from './representation.js'
import type { ResourceSchema } from './resource-schemas.js'

export type IbcCredRequest = { readonly eid: string } | { readonly id1: string }

export interface IbcCredResponse {
  readonly id2: string
  readonly ssk: SecretBytes
  /** Uncompressed P-256 point, 65 bytes. */
  readonly pvt: Uint8Array
  readonly kpak: Uint8Array
}

const TYPE = MEF_MAF_RESOURCE_TYPE.IBC_CRED

function schema(): ResourceSchema {
  return schemaForType(TYPE) as ResourceSchema
}

function hexOf(r: MemberReader, name: string, bytes: number, where: string): Uint8Array {
  const text = r.requiredText(name, bytes * 2)
  if (text.length !== bytes * 2 || !/^[0-9A-Fa-f]+$/.test(text)) throw malformed(`${where}.${name} must be ${bytes * 2} hex digits`)
  return fromHex(text)
}

/**
 * The client's request: exactly one of `eid` and `id1`.
 * @throws M2MSEC_ONEM2M_MALFORMED (4000) for none, both, or another member.
 */
export function readIbcCredRequest(content: JsonValue | undefined): IbcCredRequest {
  const rep = readRepresentation(content, TYPE)
  const r = new MemberReader(rep.value, rep.root).only([N.entityID, N.ID_1])
  const eid = r.text(N.entityID)
  const id1 = r.text(N.ID_1, 4096)
  if ((eid === undefined) === (id1 === undefined)) throw malformed(`${rep.root} needs exactly one of ${N.entityID} and ${N.ID_1}`)
  return eid !== undefined ? { eid } : { id1: id1 as string }
}

export function writeIbcCredRequest(request: IbcCredRequest): JsonObject {
  return writeRepresentation(schema(), 'eid' in request ? { [N.entityID]: request.eid } : { [N.ID_1]: request.id1 })
}

export function writeIbcCredResponse(response: IbcCredResponse): JsonObject {
  return writeRepresentation(schema(), {
    [N.ID_2]: response.id2, [N.SSK]: toHex(response.ssk.reveal()), [N.PVT]: toHex(response.pvt), [N.KPAK]: toHex(response.kpak),
  })
}

/** Reads the MEF's answer (client side); SSK becomes SecretBytes at once. */
export function readIbcCredResponse(content: JsonValue | undefined): IbcCredResponse {
  const rep = readRepresentation(content, TYPE)
  const r = new MemberReader(rep.value, rep.root)
  return {
    id2: r.requiredText(N.ID_2, 4096),
    ssk: new SecretBytes(hexOf(r, N.SSK, 32, rep.root)),
    pvt: hexOf(r, N.PVT, 65, rep.root),
    kpak: hexOf(r, N.KPAK, 65, rep.root),
  }
}
