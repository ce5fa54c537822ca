/**
 * MAF/MEF Client Configuration, the `ccfg` attribute of a client registration (our TS-0032
 * proposal, mef-maf-interface.md §3.8): the sec:keyRegCfg entries (TS-0003 §12.4.3, §5.2) the
 * administrating stakeholder pushes, under `krc`, and an optional vendor string `vsi`. The
 * reader takes the short-named value a representation reader produced (readClientReg) and
 * ignores members it does not know, as §3.8 asks; the writer emits short names only.
 */
import { malformed } from './errors.js'
import type { JsonObject, JsonValue } from './json.js'
import { definedMembers, MemberReader } from './member-readers.js'
import { MEF_MAF_NAMES as N } from './mef-maf-names.js'

/** sec:keyRegCfg (TS-0003 §12.4.3): used as mafKeyRegCfg and mefKeyRegCfg. */
export interface KeyRegCfg {
  readonly et?: string
  readonly lbl?: readonly string[]
  readonly adfq: string
  /** m2m:suid; range-checked like a Key Registration's SUID, not against the defined set. */
  readonly suid: number
  readonly tgis?: readonly string[]
}

export interface ClientCfg {
  /** Empty when the configuration carries no `krc`. */
  readonly krc: readonly KeyRegCfg[]
  readonly vsi?: string
}

/** At most this many configurations are read; a stakeholder pushes a handful. */
const MAX_KEY_REG_CFGS = 64

function readKeyRegCfg(item: JsonValue, where: string): KeyRegCfg {
  const r = new MemberReader(item, where)
  return definedMembers({
    et: r.timestamp('et'), lbl: r.texts('lbl'), adfq: r.requiredText(N.adminFQDN, 253),
    suid: r.requiredInt(N.SUID, 0, 99), tgis: r.texts(N.targetIDs),
  }) as unknown as KeyRegCfg
}

/**
 * Reads a `ccfg` value (short member names).
 * @throws M2MSEC_ONEM2M_MALFORMED naming the member when `krc` is not a list or an entry lacks
 *   `adfq`/`suid` or holds a member of the wrong type.
 */
export function readClientCfg(value: JsonValue, where: string = N.clientCfg): ClientCfg {
  const r = new MemberReader(value, where)
  const list = r.raw(N.keyRegCfgs)
  if (list !== undefined && (!Array.isArray(list) || list.length > MAX_KEY_REG_CFGS)) {
    throw malformed(`${where}.${N.keyRegCfgs} must be a list of at most ${MAX_KEY_REG_CFGS} objects`)
  }
  const krc = ((list ?? []) as readonly JsonValue[]).map((item, i) => readKeyRegCfg(item, `${where}.${N.keyRegCfgs}[${i}]`))
  const vsi = r.text(N.vendorInformation)
  return vsi === undefined ? { krc } : { krc, vsi }
}

/** Writes a `ccfg` value; `krc` is left out when empty. */
export function writeClientCfg(cfg: ClientCfg): JsonObject {
  const krc = cfg.krc.map((k) => definedMembers({
    et: k.et, lbl: k.lbl, [N.adminFQDN]: k.adfq, [N.SUID]: k.suid, [N.targetIDs]: k.tgis,
  }))
  return definedMembers({ [N.keyRegCfgs]: krc.length === 0 ? undefined : krc, [N.vendorInformation]: cfg.vsi })
}
