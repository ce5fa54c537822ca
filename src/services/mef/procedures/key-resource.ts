/**
 * The `<symmKeyReg>` resource of the MEF as the key procedures see it (mef-maf-interface.md
 * §3.6, §3.7, §3.9, §4.1; TS-0003 8.3.5.2.7–8.3.5.2.10): the RelativeKeyID a `to` addresses,
 * and the three views of a stored registration — the Source's (never `kyv`), a Target's (with
 * `kyv`, without the target list), and the changed attributes an Update answers with. All
 * names come from the onem2m writers.
 */
import type { SecretBytes } from '../../../core/index.js'
import {
  MEF_MAF_NAMES, MEF_MAF_PATHS, OneM2mError, RSC, formatTimestamp, isJsonObject, malformed, parseTo, refused, writeSymmKeyReg,
} from '../../../onem2m/index.js'
import type { JsonObject, JsonValue, SymmKeyReg } from '../../../onem2m/index.js'
import type { KeyRegistrationSummary } from '../../../store/index.js'

/** RelativeKeyIDs this MEF issues: 32 hex digits (hex(KcID) or a random value, OQ-2/OQ-12). */
const RELATIVE_KEY_ID_RE = /^[0-9A-Fa-f]{32}$/
const MAX_TO_LENGTH = 512

/**
 * The RelativeKeyID addressed by `to`: `mef/<RelativeKeyID>` or `//<MEF-FQDN>/mef/<RelativeKeyID>`
 * (§3.9), upper-cased (OQ-2). Anything else names no key registration here.
 * @throws OneM2mError 4004 NOT_FOUND for another path or a value that is no RelativeKeyID;
 *         4000 for a malformed `to` or a partial (`#attribute`) address.
 */
export function relativeKeyIdOf(to: string, mefFqdn: string): string {
  const target = parseTo(to, MAX_TO_LENGTH)
  if (target.attribute !== undefined) throw malformed('a key registration is addressed as a whole, not by attribute')
  const segments = target.form === 'absolute' && target.segments[0]?.toLowerCase() === mefFqdn.toLowerCase()
    ? target.segments.slice(1)
    : target.form === 'cse-relative' ? target.segments : []
  const [base, relative] = segments
  if (segments.length !== 2 || base !== MEF_MAF_PATHS.mefBaseName || relative === undefined || !RELATIVE_KEY_ID_RE.test(relative)) {
    throw refused(RSC.NOT_FOUND, 'no key registration at this address')
  }
  return relative.toUpperCase()
}

/** `mef/<RelativeKeyID>`: the resource ID a CREATE answers with (Content-Location). */
export function keyRegistrationResourceId(relativeKeyId: string): string {
  return `${MEF_MAF_PATHS.mefBaseName}/${relativeKeyId}`
}

function symmKeyRegOf(r: KeyRegistrationSummary, key?: SecretBytes): SymmKeyReg {
  return {
    ri: r.relativeKeyId, rn: r.relativeKeyId, pi: MEF_MAF_PATHS.mefBaseName,
    ct: formatTimestamp(r.createdAt), lt: formatTimestamp(r.updatedAt), et: formatTimestamp(r.expiresAt),
    ...(r.labels.length === 0 ? {} : { lbl: r.labels }),
    rkid: r.relativeKeyId, adfq: r.adminFqdn, suid: r.suid, tgis: r.targetIds, clid: r.sourceClientId,
    ...(key === undefined ? {} : { kyv: key }),
  }
}

function rootAndBody(representation: JsonObject): [string, JsonObject] {
  const [root, body] = Object.entries(representation)[0] ?? []
  if (root === undefined || !isJsonObject(body)) {
    throw new OneM2mError('M2MSEC_ONEM2M_MALFORMED', 'internal', 'writeSymmKeyReg returned no root member')
  }
  return [root, body]
}

/** What the Source sees (CREATE response, its own RETRIEVE): everything but `kyv` (§3.7). */
export function sourceView(r: KeyRegistrationSummary): JsonObject {
  return writeSymmKeyReg(symmKeyRegOf(r), false)
}

/**
 * What an authorised Target receives (TS-0003 Table 8.3.5.2.8-2): expirationTime, Source MEF
 * Client ID, labels, adminFQDN, SUID and the Key Value. The target list is left out: one
 * Target has no need to learn who else may read the key (ESData lists name several).
 */
export function targetView(r: KeyRegistrationSummary, key: SecretBytes): JsonObject {
  const [root, body] = rootAndBody(writeSymmKeyReg(symmKeyRegOf(r, key), true))
  const rest = Object.fromEntries(Object.entries(body).filter(([name]) => name !== MEF_MAF_NAMES.targetIDs))
  return { [root]: rest }
}

/** Which updatable attributes an Update request carried (TS-0003 Table 8.3.5.2.9-1). */
export interface RequestedChanges {
  readonly et: boolean
  readonly lbl: boolean
  readonly tgis: boolean
}

/**
 * The Update response (TS-0003 Table 8.3.5.2.9-2, §4.1): only the attributes the request
 * carried, each with the value now in force (an emptied label list answers `[]`).
 */
export function changedView(r: KeyRegistrationSummary, requested: RequestedChanges): JsonObject {
  const [root, body] = rootAndBody(writeSymmKeyReg(symmKeyRegOf(r), false))
  const changed: Record<string, JsonValue> = {}
  if (requested.et && body.et !== undefined) changed.et = body.et
  if (requested.lbl) changed.lbl = body.lbl ?? []
  const tgis = body[MEF_MAF_NAMES.targetIDs]
  if (requested.tgis && tgis !== undefined) changed[MEF_MAF_NAMES.targetIDs] = tgis
  return { [root]: changed }
}
