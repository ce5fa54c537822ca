/**
 * How the MAF names a MAF Client (frameworks.md OQ-20, OQ-33, OQ-7): the Absolute CSE-ID /
 * AE-ID bound to its credential when the MAF knows one, otherwise the Credential-ID of the
 * credential of its MAF Handshake — `11-<KmID>`, and `11-<KeID>` for a remotely provisioned Km
 * that has no KmID yet (OQ-7: "before assignment use KeID as identifier"). Pure functions.
 */
import { M2mSecError, credentialIdForKmId, parseAeId, parseCseId, parseKmId } from '../../core/index.js'
import type { BoundEntity } from '../../store/index.js'

function parsesAs(parse: (text: string) => { readonly form: string }, text: string): boolean {
  try {
    return parse(text).form === 'absolute'
  } catch (error) {
    if (error instanceof M2mSecError && error.code === 'M2MSEC_ID_INVALID') return false
    throw error
  }
}

/** True for an Absolute CSE-ID or AE-ID (`//sp/...`). */
export function isAbsoluteEntityId(id: string): boolean {
  return parsesAs(parseAeId, id) || parsesAs(parseCseId, id)
}

/**
 * The bound entity of an Absolute AE-ID or CSE-ID, undefined for anything else (a Credential-ID
 * EnroleeID, OQ-20). `//sp/Sxyz` is read as an AE-ID: both grammars accept it, and an S-type
 * stem names an AE in TS-0001.
 */
export function boundEntityOf(id: string): BoundEntity | undefined {
  if (parsesAs(parseAeId, id)) return { kind: 'ae', ids: [id] }
  if (parsesAs(parseCseId, id)) return { kind: 'cse', ids: [id] }
  return undefined
}

/**
 * `11-<identity>` for a KmID or a KeID used in its place (OQ-7, OQ-33).
 * @throws CoreError M2MSEC_ID_INVALID when the identity fits no KmID grammar.
 */
export function kmCredentialId(identity: string): string {
  return credentialIdForKmId(parseKmId(identity))
}

/** The distinct, non-empty values of `ids` in order. */
export function distinctIds(ids: readonly (string | undefined)[]): readonly string[] {
  return [...new Set(ids.filter((id): id is string => id !== undefined && id.length > 0))]
}
