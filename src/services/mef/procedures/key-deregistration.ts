/**
 * MEF Key De-Registration (TS-0003 8.3.5.2.10; frameworks.md §15.3; mef-maf-interface.md
 * §3.7, §4.1): DELETE `mef/<RelativeKeyID>` by the Source; the MEF stops distributing the key
 * and answers 2002. The RelativeKeyID stays issued, so it is never handed out again.
 *
 * Unlike Update, a Source whose enrolee record was revoked may still withdraw its key: that
 * only narrows who can obtain it.
 */
import { RSC, refused } from '../../../onem2m/index.js'
import type { MefProcedure } from '../context.js'
import { KEY_AUDIT_ACTION, auditedKeyProcedure } from './key-audit.js'
import { relativeKeyIdOf } from './key-resource.js'
import { requireSource } from './key-source.js'

/**
 * DELETE `mef/<RelativeKeyID>`: 2002 without Content.
 * @throws OneM2mError 4004 (unknown or expired), 4103 (not the Source), 4000 (malformed `to`).
 */
export const deregisterKey: MefProcedure = async (request, deps) => {
  const { primitive, peer, now } = request
  return auditedKeyProcedure({ deps, action: KEY_AUDIT_ACTION.deregistration, peer, now }, async (tx, subject) => {
    const relativeKeyId = relativeKeyIdOf(primitive.to, deps.config.fqdn)
    subject.relativeKeyId = relativeKeyId
    const found = await tx.keyRegistrations.find(deps.config.fqdn, relativeKeyId, now)
    if (found === undefined) throw refused(RSC.NOT_FOUND, 'no key registration with this RelativeKeyID')
    found.key.wipe()
    subject.suid = found.suid
    requireSource(peer, found)
    await tx.keyRegistrations.delete(deps.config.fqdn, relativeKeyId)
    return { response: { rsc: RSC.DELETED, rqi: primitive.rqi, ...(primitive.rvi === undefined ? {} : { rvi: primitive.rvi }) } }
  })
}
