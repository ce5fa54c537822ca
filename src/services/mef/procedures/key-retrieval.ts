/**
 * MEF Key Retrieval (TS-0003 8.3.5.2.8; frameworks.md §15.3; mef-maf-interface.md §3.7, §4.1):
 * RETRIEVE `mef/<RelativeKeyID>`.
 *
 * A peer whose authenticated identity is in the registration's target list gets the Key Value
 * with the metadata of Table 8.3.5.2.8-2; the Source reads its registration without the key;
 * anyone else gets 4103. An unknown or expired RelativeKeyID — including a RelativeKeID, which
 * lives in the same namespace but names an enrolment, not a key registration (OQ-35) — is 4004.
 */
import { RSC, refused } from '../../../onem2m/index.js'
import type { JsonObject } from '../../../onem2m/index.js'
import type { KeyRegistration } from '../../../store/index.js'
import type { MefPeer, MefProcedure } from '../context.js'
import { KEY_AUDIT_ACTION, auditedKeyProcedure } from './key-audit.js'
import { relativeKeyIdOf, sourceView, targetView } from './key-resource.js'
import { isAuthorisedTarget, isSource } from './key-rules.js'

/**
 * The representation `peer` may see (§3.7). The Source already holds the key (it exported or
 * generated it), so it never gets it back, even when it lists itself as a Target.
 * @throws OneM2mError 4103 for anyone else.
 */
function viewFor(peer: MefPeer, registration: KeyRegistration): JsonObject {
  if (isSource(peer, registration.sourceClientId)) return sourceView(registration)
  if (isAuthorisedTarget(peer, registration.targetIds)) return targetView(registration, registration.key)
  throw refused(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, 'the originator is not an authorised Target of this key')
}

/**
 * RETRIEVE `mef/<RelativeKeyID>`: 2000 with the Target's view (with `kyv`) or the Source's view
 * (without).
 * @throws OneM2mError 4004 (unknown, expired, or not a key registration address), 4103 (neither
 *         Source nor an authorised Target), 4000 (malformed `to`).
 */
export const retrieveKey: MefProcedure = async (request, deps) => {
  const { primitive, peer, now } = request
  return auditedKeyProcedure({ deps, action: KEY_AUDIT_ACTION.retrieval, peer, now }, async (tx, subject) => {
    const relativeKeyId = relativeKeyIdOf(primitive.to, deps.config.fqdn)
    subject.relativeKeyId = relativeKeyId
    const registration = await tx.keyRegistrations.find(deps.config.fqdn, relativeKeyId, now)
    if (registration === undefined) throw refused(RSC.NOT_FOUND, 'no key registration with this RelativeKeyID')
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
