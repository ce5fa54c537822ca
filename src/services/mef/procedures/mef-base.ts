/**
 * RETRIEVE of `<MEFBase>` (mef-maf-interface.md §3.3, §4.3): the MEF-ID, the SUIDs it serves
 * (21–25, the RSPF-provisioned ones, §4.6) and the release versions. Any authenticated client
 * may read it; UPDATE and DELETE are 4005 (router).
 */
import { MEF_MAF_PATHS, RSC, writeServerBase } from '../../../onem2m/index.js'
import type { OneM2mReply } from '../../../transport/index.js'
import type { MefDeps, MefRequest } from '../context.js'
import { reply } from '../reply.js'

/** SUIDs of keys the MEF provisions (m2m:suid 21–25). */
export const MEF_SUPPORTED_SUIDS: readonly number[] = [21, 22, 23, 24, 25]

export function retrieveMefBase(request: MefRequest, deps: MefDeps): Promise<OneM2mReply> {
  const base = writeServerBase('mef', {
    ri: MEF_MAF_PATHS.mefBaseName, rn: MEF_MAF_PATHS.mefBaseName, fqdn: deps.config.fqdn, suids: MEF_SUPPORTED_SUIDS, srv: ['3'],
  })
  return Promise.resolve(reply(request.primitive, RSC.OK, base))
}
