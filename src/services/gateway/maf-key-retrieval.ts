/**
 * The gateway as Target MAF Client (TS-0003 8.8.2.8 MAF Key Retrieval; frameworks.md §7.2 step 4,
 * §7.4.7; mef-maf-interface.md §4.1): `GET /maf/<RelativeKeyID>` at the MAF named in the Key
 * Identifier, over the MAF Handshake with the gateway's certificate (key-server-link.ts). The
 * answer's `kyv` is Kc, `et` its lifetime, `clid` the Source MAF Client ID, `suid` its usage.
 */
import { MEF_MAF_PATHS, RSC, parseTimestamp, readSymmKeyReg } from '../../onem2m/index.js'
import { configInvalid } from './errors.js'
import { retrieveFrom, serverFailed, type GatewayCredential, type KeyServerLink } from './key-server-link.js'
import type { KcRetriever } from './saef/index.js'

const CODE = 'M2MSEC_GATEWAY_MAF_UNAVAILABLE'

/**
 * A retriever for the MAFs in `mafs` (by FQDN, lower case); `fr` is the gateway's Absolute CSE-ID.
 * @throws GatewayError M2MSEC_GATEWAY_CONFIG_INVALID (when called) for a MAF that is not configured.
 */
export function createMafKcRetriever(mafs: readonly KeyServerLink[], credential: GatewayCredential, fr: string, timeoutMs?: number): KcRetriever {
  const byFqdn = new Map(mafs.map((maf) => [maf.fqdn.toLowerCase(), maf]))
  return async (mafFqdn, relativeKeyId) => {
    const maf = byFqdn.get(mafFqdn.toLowerCase())
    if (maf === undefined) throw configInvalid(`no link configured for MAF ${mafFqdn}`)
    const decoded = await retrieveFrom(maf, credential, fr, `${MEF_MAF_PATHS.mafBaseName}/${relativeKeyId}`, CODE, timeoutMs)
    const response = decoded.primitive
    if (response.rsc >= 5000) throw serverFailed(CODE, `the MAF answered Key Retrieval with ${response.rsc}`)
    if (response.rsc !== RSC.OK) return { ok: false, rsc: response.rsc }
    let reg
    try {
      reg = readSymmKeyReg(response.pc)
    } catch (error) {
      throw serverFailed(CODE, 'the MAF Key Retrieval answer is unreadable', error, 'internal')
    }
    const expiresAt = parseTimestamp(reg.et)
    if (reg.kyv === undefined || expiresAt === undefined) {
      reg.kyv?.wipe()
      throw serverFailed(CODE, 'the MAF Key Retrieval answer has no key or no m2m:timestamp expiry', undefined, 'internal')
    }
    return { ok: true, key: reg.kyv, ownerId: reg.clid, expiresAt, suid: reg.suid }
  }
}
