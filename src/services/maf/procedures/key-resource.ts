/**
 * The MAF's `<symmKeyReg>` as the key procedures see it (mef-maf-interface.md §3.6, §3.7, §4.1;
 * TS-0003 Tables 8.8.2.7-2, 8.8.2.8-2, 8.8.2.9-2): the Source's view (never `kyv`), a Target's
 * view (with `kyv`, without the target list), and the changed attributes an Update answers with.
 */
import type { SecretBytes } from '../../../core/index.js'
import { MEF_MAF_NAMES, MEF_MAF_PATHS, OneM2mError, formatTimestamp, isJsonObject, writeSymmKeyReg } from '../../../onem2m/index.js'
import type { JsonObject, JsonValue, SymmKeyReg } from '../../../onem2m/index.js'
import type { KeyRegistrationSummary } from '../../../store/index.js'

/** `maf/<RelativeKeyID>`: the resource ID a CREATE answers with (Content-Location). */
export function keyRegistrationResourceId(relativeKeyId: string): string {
  return `${MEF_MAF_PATHS.mafBaseName}/${relativeKeyId}`
}

function symmKeyRegOf(r: KeyRegistrationSummary, key?: SecretBytes): SymmKeyReg {
  return {
    ri: r.relativeKeyId, rn: r.relativeKeyId, pi: MEF_MAF_PATHS.mafBaseName,
    ct: formatTimestamp(r.createdAt), lt: formatTimestamp(r.updatedAt), et: formatTimestamp(r.expiresAt),
    ...(r.labels.length === 0 ? {} : { lbl: r.labels }),
    rkid: r.relativeKeyId, adfq: r.adminFqdn, suid: r.suid, tgis: r.targetIds, clid: r.sourceClientId,
    ...(key === undefined ? {} : { kyv: key }),
  }
}

function rootAndBody(representation: JsonObject): [string, JsonObject] {
  const [root, body] = Object.entries(representation)[0] ?? []
  if (root === undefined || !isJsonObject(body)) throw new OneM2mError('M2MSEC_ONEM2M_MALFORMED', 'internal', 'writeSymmKeyReg returned no root member')
  return [root, body]
}

/** What the Source sees (CREATE response, its own RETRIEVE): everything but `kyv`. */
export function sourceView(r: KeyRegistrationSummary): JsonObject {
  return writeSymmKeyReg(symmKeyRegOf(r), false)
}

/** What an authorised Target receives (Table 8.8.2.8-2): et, Source MAF Client ID, lbl, adfq, SUID, Key Value. */
export function targetView(r: KeyRegistrationSummary, key: SecretBytes): JsonObject {
  const [root, body] = rootAndBody(writeSymmKeyReg(symmKeyRegOf(r, key), true))
  return { [root]: Object.fromEntries(Object.entries(body).filter(([name]) => name !== MEF_MAF_NAMES.targetIDs)) }
}

export interface RequestedChanges {
  readonly et: boolean
  readonly lbl: boolean
  readonly tgis: boolean
}

/** The Update response (Table 8.8.2.9-2): only the attributes the request carried, with the values in force. */
export function changedView(r: KeyRegistrationSummary, requested: RequestedChanges): JsonObject {
  const [root, body] = rootAndBody(writeSymmKeyReg(symmKeyRegOf(r), false))
  const changed: Record<string, JsonValue> = {}
  if (requested.et && body.et !== undefined) changed.et = body.et
  if (requested.lbl) changed.lbl = body.lbl ?? []
  const tgis = body[MEF_MAF_NAMES.targetIDs]
  if (requested.tgis && tgis !== undefined) changed[MEF_MAF_NAMES.targetIDs] = tgis
  return { [root]: changed }
}
