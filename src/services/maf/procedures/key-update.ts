/**
 * MAF Key Registration Update (TS-0003 8.8.2.9; frameworks.md §7.4.8; mef-maf-interface.md §4.1):
 * UPDATE `maf/<RelativeKeyID>` with at least one of `et`, `lbl`, `tgis`. Only the Source may
 * change a registration; the target list follows the same rules as at registration; the MAF
 * assigns the expiry within kcLifetimeMs (from now) and the Source's registration. The answer
 * carries only what the request carried (Table 8.8.2.9-2), never the key.
 */
import { RSC, readSymmKeyRegUpdate, refused } from '../../../onem2m/index.js'
import { MAF_AUDIT_ACTION, auditedProcedure } from '../audit.js'
import type { MafProcedure } from '../context.js'
import { after, grantExpiry } from './expiry.js'
import { changedView } from './key-resource.js'
import { checkTargetIds, isSource } from './key-rules.js'

/**
 * @throws OneM2mError 4000 (no updatable attribute, bad `tgis`, `et` not in the future), 4004
 *         (unknown or expired), 4103 (not the Source, or its MAF Client Registration ended).
 */
export function updateKeyRegistration(relativeKeyId: string): MafProcedure {
  return async (request, deps) => {
    const { primitive, peer, now } = request
    return auditedProcedure({ deps, action: MAF_AUDIT_ACTION.keyRegistrationUpdate, peer, now }, async (tx, subject) => {
      subject.relativeKeyId = relativeKeyId
      const body = readSymmKeyRegUpdate(primitive.pc)
      const current = await tx.keyRegistrations.find(deps.config.fqdn, relativeKeyId, now)
      if (current === undefined) throw refused(RSC.NOT_FOUND, 'no live key registration with this RelativeKeyID')
      current.key.wipe()
      if (!isSource(peer, current.sourceClientId)) throw refused(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, 'only the Source MAF Client may change this key registration')
      const registration = current.sourceRegId === undefined ? undefined : await tx.clientRegistrations.get(current.sourceRegId, now)
      if (registration === undefined) throw refused(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, 'the Source\'s MAF Client Registration has ended')
      const targetIds = body.tgis === undefined ? undefined : checkTargetIds(current.suid, body.tgis)
      const expiresAt = body.et === undefined ? undefined : grantExpiry(body.et, now, [after(now, deps.config.kcLifetimeMs), registration.expiresAt])
      const updated = await tx.keyRegistrations.update(deps.config.fqdn, relativeKeyId, {
        ...(expiresAt ? { expiresAt } : {}), ...(body.lbl ? { labels: body.lbl } : {}), ...(targetIds ? { targetIds } : {}),
      }, now)
      subject.fields = [...(expiresAt ? ['et'] : []), ...(body.lbl ? ['lbl'] : []), ...(targetIds ? ['tgis'] : [])]
      const pc = changedView(updated, { et: expiresAt !== undefined, lbl: body.lbl !== undefined, tgis: targetIds !== undefined })
      return { response: { rsc: RSC.UPDATED, rqi: primitive.rqi, ...(primitive.rvi === undefined ? {} : { rvi: primitive.rvi }), pc } }
    })
  }
}
