/**
 * MAF Key Retrieval (TS-0003 8.8.2.8; frameworks.md §7.2 step 4, §7.4.7; mef-maf-interface.md
 * §3.7, §4.1): RETRIEVE `maf/<RelativeKeyID>` by Entity B with the relative part of the Key
 * Identifier it received as psk_identity.
 *
 * A peer whose MAF Client ID is in the target list gets Key Value, expirationTime, SUID, labels,
 * adminFQDN and the Source MAF Client ID (IdA, or `11-<KmID>` when the MAF knows no IdA —
 * OQ-20/OQ-33); the Source reads its registration without the key; anyone else gets 4103. An
 * unknown or expired RelativeKeyID is 4004: an expired Kc is never handed out (§7.2 step 6).
 */
import { RSC, refused } from '../../../onem2m/index.js'
import type { JsonObject } from '../../../onem2m/index.js'
import type { KeyRegistration } from '../../../store/index.js'
import { MAF_AUDIT_ACTION, auditedProcedure } from '../audit.js'
import type { MafPeer, MafProcedure } from '../context.js'
import { sourceView, targetView } from './key-resource.js'
import { isAuthorisedTarget, isSource } from './key-rules.js'

/** @throws OneM2mError 4103 for a peer that is neither the Source nor a listed Target. */
function viewFor(peer: MafPeer, registration: KeyRegistration): JsonObject {
  // The Source already holds the key (it exported or generated it): it never gets it back.
  if (isSource(peer, registration.sourceClientId)) return sourceView(registration)
  if (isAuthorisedTarget(peer, registration.targetIds)) return targetView(registration, registration.key)
  throw refused(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, 'the originator is not an authorised Target of this key')
}

/** Builds the key-addressed procedures: the router has already parsed the RelativeKeyID. */
export function retrieveKey(relativeKeyId: string): MafProcedure {
  return async (request, deps) => {
    const { primitive, peer, now } = request
    return auditedProcedure({ deps, action: MAF_AUDIT_ACTION.keyRetrieval, peer, now }, async (tx, subject) => {
      subject.relativeKeyId = relativeKeyId
      const registration = await tx.keyRegistrations.find(deps.config.fqdn, relativeKeyId, now)
      if (registration === undefined) throw refused(RSC.NOT_FOUND, 'no live key registration with this RelativeKeyID')
      try {
        subject.suid = registration.suid
        const pc = viewFor(peer, registration)
        subject.view = isSource(peer, registration.sourceClientId) ? 'source' : 'target'
        return { response: { rsc: RSC.OK, rqi: primitive.rqi, ...(primitive.rvi === undefined ? {} : { rvi: primitive.rvi }), pc } }
      } finally {
        registration.key.wipe()
      }
    })
  }
}
