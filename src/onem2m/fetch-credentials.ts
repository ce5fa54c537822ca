/**
 * MEF credential fetch by an Enrolment Target (TS-0003 8.3.2.1 step f; wire form is OUR PROPOSAL,
 * mef-maf-interface.md §6): RETRIEVE `fetchCredentials/<KeID>/<SUID>` answered by
 * `{"sec:fcr": {"stat": true, "cred", "enid", "lftm"}}` or `{"sec:fcr": {"stat": false, "errs"}}`.
 */
import type { SecretBytes } from '../core/index.js'
import { clip, malformed } from './errors.js'
import type { JsonObject, JsonValue } from './json.js'
import { MemberReader } from './member-readers.js'
import { MEF_MAF_NAMES as N, MEF_MAF_PATHS, MEF_MAF_ROOT } from './mef-maf-names.js'
import { readBase64Key } from './mef-maf-resources.js'
import { readRepresentation, schemaForRoot, writeRepresentation } from './representation.js'
import type { ResourceSchema } from './resource-schemas.js'
import { parseTo } from './resource-id.js'

export interface FetchCredentialsTarget {
  /** `<hex RelativeKeID>@<MEF-FQDN>`, hex upper-cased (frameworks.md OQ-2). */
  readonly keId: string
  readonly suid: number
}

// sec:relKeyID characters, then '@' and an FQDN (TS-0003 10.3.4, 12.2).
const KE_ID_RE = /^([A-Za-z0-9._-]{1,64})@([A-Za-z0-9.-]{1,253})$/

function normaliseKeId(text: string): string {
  const m = KE_ID_RE.exec(text)
  if (m === null) throw malformed(`KeID '${clip(text)}' is not <relative-id>@<fqdn>`)
  const relative = m[1] as string
  return `${/^[0-9A-Fa-f]+$/.test(relative) ? relative.toUpperCase() : relative}@${(m[2] as string).toLowerCase()}`
}

/** The CSE-relative `to` of a fetch (`fetchCredentials/<KeID>/<SUID>`). */
export function fetchCredentialsTo(target: FetchCredentialsTarget): string {
  return `${MEF_MAF_PATHS.fetchCredentials}/${normaliseKeId(target.keId)}/${target.suid}`
}

/**
 * Recognises a fetchCredentials `to` (CSE-relative, or the SP-relative reading of the spec's
 * leading '/'). Returns undefined for any other target.
 * @throws M2MSEC_ONEM2M_MALFORMED when it is a fetchCredentials target with a bad KeID or SUID.
 */
export function parseFetchCredentialsTarget(to: string, maxLength = 2048): FetchCredentialsTarget | undefined {
  const target = parseTo(to, maxLength)
  if (target.form === 'absolute' || target.segments[0] !== MEF_MAF_PATHS.fetchCredentials) return undefined
  if (target.segments.length !== 3 || target.attribute !== undefined) throw malformed('fetchCredentials needs exactly /<KeID>/<SUID>')
  const suid = target.segments[2] as string
  if (!/^\d{1,3}$/.test(suid)) throw malformed(`fetchCredentials SUID '${clip(suid, 16)}' is not a decimal m2m:suid`)
  return { keId: normaliseKeId(target.segments[1] as string), suid: Number(suid) }
}

export type FetchCredentialsResult =
  | { readonly stat: true; readonly cred: SecretBytes; readonly enid: string; readonly lftm: string }
  | { readonly stat: false; readonly errs: string }

function schema(): ResourceSchema {
  return schemaForRoot(`sec:${MEF_MAF_ROOT.fetchCredentialsResult}`) as ResourceSchema
}

export function writeFetchCredentialsResult(result: FetchCredentialsResult): JsonObject {
  const value: JsonObject = result.stat
    ? { [N.status]: true, [N.credential]: Buffer.from(result.cred.reveal()).toString('base64'), [N.enroleeID]: result.enid, [N.lifetime]: result.lftm }
    : { [N.status]: false, [N.errorString]: result.errs }
  return writeRepresentation(schema(), value)
}

/**
 * Reads a fetchCredentials result (Enrolment Target side).
 * @throws M2MSEC_ONEM2M_MALFORMED when a success lacks cred/enid/lftm or the key is not base64.
 */
export function readFetchCredentialsResult(content: JsonValue | undefined): FetchCredentialsResult {
  const rep = readRepresentation(content)
  if (rep.schema !== schema()) throw malformed(`Content root ${rep.root} is not a fetchCredentials result`)
  const r = new MemberReader(rep.value, rep.root)
  const stat = r.bool(N.status)
  if (stat === undefined) throw malformed(`${rep.root}.${N.status} is mandatory`)
  if (!stat) return { stat: false, errs: r.text(N.errorString, 4096) ?? '' }
  const cred = readBase64Key(r, N.credential, rep.root)
  if (cred === undefined) throw malformed(`${rep.root}.${N.credential} is mandatory`)
  return { stat: true, cred, enid: r.requiredText(N.enroleeID), lftm: r.requiredTimestamp(N.lifetime) }
}
