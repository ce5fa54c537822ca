/**
 * MAF Key De-Registration (TS-0003 8.8.2.10; frameworks.md §7.4.9; mef-maf-interface.md §4.1):
 * DELETE `maf/<RelativeKeyID>` by its Source. The MAF stops distributing the key at once; the
 * RelativeKeyID stays issued (never reused, store D-53).
 */
import { RSC, refused } from '../../../onem2m/index.js'
import { MAF_AUDIT_ACTION, auditedProcedure } from '../audit.js'
import type { MafProcedure } from '../context.js'
import { isSource } from './key-rules.js'

/** @throws OneM2mError 4004 (unknown or expired), 4103 (not the Source). */
export function deregisterKey(relativeKeyId: string): MafProcedure {
  return async (request, deps) => {
    const { primitive, peer, now } = request
    return auditedProcedure({ deps, action: MAF_AUDIT_ACTION.keyDeregistration, peer, now }, async (tx, subject) => {
      subject.relativeKeyId = relativeKeyId
      const current = await tx.keyRegistrations.find(deps.config.fqdn, relativeKeyId, now)
      if (current === undefined) throw refused(RSC.NOT_FOUND, 'no live key registration with this RelativeKeyID')
      current.key.wipe()
      if (!isSource(peer, current.sourceClientId)) throw refused(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, 'only the Source MAF Client may remove this key registration')
      await tx.keyRegistrations.delete(deps.config.fqdn, relativeKeyId)
      return { response: { rsc: RSC.DELETED, rqi: primitive.rqi, ...(primitive.rvi === undefined ? {} : { rvi: primitive.rvi }) } }
    })
  }
}
