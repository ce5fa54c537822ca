/**
 * RETRIEVE of `<MAFBase>` (mef-maf-interface.md §3.3): the MAF-ID and the SUIDs it serves on Key
 * Registration (32–35, §4.6). Any authenticated client may read it; UPDATE and DELETE are 4005.
 */
import { MEF_MAF_PATHS, RSC, writeServerBase } from '../../../onem2m/index.js'
import type { MafProcedure } from '../context.js'
import { reply } from '../reply.js'
import { MAF_KEY_SUIDS } from './key-rules.js'

export const retrieveMafBase: MafProcedure = (request, deps) => {
  const base = writeServerBase('maf', { ri: MEF_MAF_PATHS.mafBaseName, rn: MEF_MAF_PATHS.mafBaseName, fqdn: deps.config.fqdn, suids: MAF_KEY_SUIDS, srv: ['3'] })
  return Promise.resolve(reply(request.primitive, RSC.OK, base))
}
