/**
 * The gateway as Enrolment Target of the MEF (TS-0003 8.3.2.1 "Use of Remotely Provisioned
 * Credential" c–g; frameworks.md §10.5; mef-maf-interface.md §6): `GET /fetchCredentials/<KeID>/22`
 * over key-server-link.ts; the answer's `cred` is the Kpsa, `enid` the Enrolee-ID the context is
 * bound to when absolute, `lftm` its lifetime. 4004/4103 are refusals (the handshake fails like an
 * unknown identity); 5xxx or an unreadable answer throws.
 */
import { SUID } from '../../core/index.js'
import { RSC, fetchCredentialsTo, parseTimestamp, readFetchCredentialsResult } from '../../onem2m/index.js'
import { retrieveFrom, serverFailed, type GatewayCredential, type KeyServerLink } from './key-server-link.js'
import type { KpsaFetcher } from './saef/index.js'

const CODE = 'M2MSEC_GATEWAY_MEF_UNAVAILABLE'

/** A fetcher bound to one MEF; `fr` is the gateway's Absolute CSE-ID. */
export function createMefKpsaFetcher(mef: KeyServerLink, credential: GatewayCredential, fr: string, timeoutMs?: number): KpsaFetcher {
  return async (keId) => {
    const decoded = await retrieveFrom(mef, credential, fr, fetchCredentialsTo({ keId, suid: SUID.RSPF_SAEF }), CODE, timeoutMs)
    const response = decoded.primitive
    if (response.rsc >= 5000) throw serverFailed(CODE, `the MEF answered fetchCredentials with ${response.rsc}`)
    if (response.rsc !== RSC.OK) return { ok: false, rsc: response.rsc }
    let result
    try {
      result = readFetchCredentialsResult(response.pc)
    } catch (error) {
      throw serverFailed(CODE, 'the MEF fetchCredentials answer is unreadable', error, 'internal')
    }
    if (!result.stat) return { ok: false, rsc: response.rsc }
    const expiresAt = parseTimestamp(result.lftm)
    if (expiresAt === undefined) {
      result.cred.wipe()
      throw serverFailed(CODE, 'the MEF fetchCredentials lifetime is not an m2m:timestamp', undefined, 'internal')
    }
    return { ok: true, key: result.cred, ownerId: result.enid, expiresAt }
  }
}
