/**
 * AE-ID assignment at AE registration (wire.md §5.1–§5.2 step 6; TS-0001 §10.2.2.2, TS-0004
 * §7.4.5.2.1) and the originator forms the CSE accepts (wire.md §2.1, §6).
 *
 * | `fr` at CREATE <AE>       | AE-ID                                                      |
 * | absent or `C`             | `C` + random (this Registrar assigns: ACME's policy too)   |
 * | `S`                       | `S` + random (this CSE is the IN-CSE, so it also speaks for the SP) |
 * | an AE-ID-Stem `C…`/`S…`   | that stem, if free (re-registration, pre-provisioned stem, or the gateway's assignment) |
 * | `/<own csi>/C…`, `/S…`, `//<own sp>/…` | reduced to the stem, as above                  |
 * | anything else             | 4000 BAD_REQUEST                                           |
 * The resourceID of the <AE> equals its AE-ID-Stem (wire.md §5.2 step 6).
 */
import { randomBytes } from 'node:crypto'
import { parseAeId, toHex } from '../../core/index.js'
import { clip, malformed } from '../../onem2m/index.js'
import type { CseConfig } from './config.js'

/** `prefix` + 16 upper-case hex digits: 64 random bits, collision-free in practice. */
export function randomId(prefix: string): string {
  return `${prefix}${toHex(randomBytes(8))}`
}

/**
 * The AE-ID-Stem of an originator in any AE-ID form that names an AE registered (or registering)
 * here; undefined when `fr` is not an AE-ID of this CSE (a CSE-ID, another Registrar's AE …).
 */
export function localAeStem(fr: string, config: CseConfig): string | undefined {
  let parsed
  try {
    parsed = parseAeId(fr)
  } catch {
    return undefined
  }
  if (parsed.spId !== undefined && parsed.spId !== config.spId) return undefined
  if (parsed.stemType === 'C' && parsed.form !== 'cse-relative' && parsed.registrarCseId !== config.cseId) return undefined
  return parsed.stem
}

/**
 * The AE-ID-Stem a registering AE gets.
 * @throws OneM2mError 4000 when `fr` is neither absent, `C`, `S` nor an AE-ID of this CSE.
 */
export function assignAeId(fr: string | undefined, config: CseConfig): string {
  if (fr === undefined || fr === 'C') return randomId('C')
  if (fr === 'S') return randomId('S')
  const stem = localAeStem(fr, config)
  if (stem === undefined) throw malformed(`originator '${clip(fr)}' is not an AE-ID-Stem an AE may register with here`)
  return stem
}
