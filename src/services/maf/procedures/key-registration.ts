/**
 * MAF Key Registration (TS-0003 8.8.2.7; frameworks.md §7.2 step 3, §7.4.6; mef-maf-interface.md
 * §3.6, §4.1): CREATE `maf` with ty 32006 and `{"sec:skr": {et, lbl?, adfq, suid, tgis?, kyv?}}`.
 *
 * The Source holds a MAF Client Registration for `adfq` (pre-condition 2). Without `kyv` the key
 * is Kc exported from the very TLS session carrying the request under `EXPORTER-oneM2M-Connection`
 * (10.3.1), and RelativeKeyID = hex(KcID) (10.3.5, OQ-12): Key Identifier = `hex(KcID)@MAF-FQDN`.
 * That id was never issued before or the request is refused (4105), because the Source derives
 * the same id itself and cannot be told another. The MAF assigns the lifetime: the earliest of
 * the proposal, now + kcLifetimeMs and the Source's registration expiry. The key is stored
 * sealed; the response never carries it.
 */
import { EXPORTER_LABEL_CONNECTION, EXPORTER_LENGTH, connectionKeyFromExport, toHex } from '../../../core/index.js'
import type { SecretBytes } from '../../../core/index.js'
import { RSC, readSymmKeyRegCreate, refused } from '../../../onem2m/index.js'
import { sourceRegistrationFor } from '../access.js'
import { MAF_AUDIT_ACTION, auditedProcedure } from '../audit.js'
import type { MafProcedure, MafSession } from '../context.js'
import { after, grantExpiry } from './expiry.js'
import { keyRegistrationResourceId, sourceView } from './key-resource.js'
import { checkKeyValueLength, checkServedSuid, checkTargetIds } from './key-rules.js'

interface RegisteredKey {
  /** hex(KcID) for an exported key; absent for a supplied one (the store picks a fresh id). */
  readonly relativeKeyId?: string
  readonly key: SecretBytes
  readonly origin: 'exported' | 'supplied'
}

/** Kc and hex(KcID) from this session's export (TS-0003 10.3.1, OQ-1, OQ-12). */
function exportedKey(session: MafSession): RegisteredKey {
  const material = session.exportKeyingMaterial(EXPORTER_LABEL_CONNECTION, EXPORTER_LENGTH)
  try {
    const { kcId, kc } = connectionKeyFromExport(material.reveal())
    return { relativeKeyId: toHex(kcId), key: kc, origin: 'exported' }
  } finally {
    material.wipe()
  }
}

/**
 * CREATE `maf` (ty 32006): 2001 with the Source's view of the new `<symmKeyReg>`.
 * @throws OneM2mError 4000 (malformed Content, wrong `tgis` for the SUID, bad `kyv` length, `et`
 *         not in the future), 4102 (SUID not 32–35), 4103 (no MAF Client Registration for
 *         `adfq`), 4105 (RelativeKeyID issued before).
 */
export const registerKey: MafProcedure = async (request, deps) => {
  const { primitive, peer, session, now } = request
  return auditedProcedure({ deps, action: MAF_AUDIT_ACTION.keyRegistration, peer, now }, async (tx, subject) => {
    const body = readSymmKeyRegCreate(primitive.pc)
    let exported: RegisteredKey | undefined
    try {
      Object.assign(subject, { suid: body.suid, adfq: body.adfq })
      checkServedSuid(body.suid)
      const targetIds = checkTargetIds(body.suid, body.tgis)
      if (body.kyv !== undefined) checkKeyValueLength(body.kyv.length)
      const registration = await sourceRegistrationFor(tx, deps.config, peer, body.adfq, now)
      const expiresAt = grantExpiry(body.et, now, [after(now, deps.config.kcLifetimeMs), registration.expiresAt])
      // Export only once the request is acceptable: a refused one leaves no key behind.
      exported = body.kyv === undefined ? exportedKey(session) : undefined
      const key: RegisteredKey = exported ?? { key: body.kyv as SecretBytes, origin: 'supplied' }
      subject.keyOrigin = key.origin
      if (key.relativeKeyId !== undefined) {
        subject.relativeKeyId = key.relativeKeyId
        if (await tx.identifiers.isIssued(deps.config.fqdn, key.relativeKeyId)) {
          throw refused(RSC.CONFLICT, 'the exported RelativeKeyID was issued before; register from a new TLS session')
        }
      }
      const created = await tx.keyRegistrations.create({
        issuer: 'maf', issuerFqdn: deps.config.fqdn, ...(key.relativeKeyId === undefined ? {} : { relativeKeyId: key.relativeKeyId }),
        key: key.key, suid: body.suid, sourceClientId: registration.clientId, sourceRegId: registration.regId,
        targetIds, labels: body.lbl ?? [], adminFqdn: body.adfq, expiresAt,
      })
      Object.assign(subject, { relativeKeyId: created.relativeKeyId, targetIds: [...targetIds], expiresAt: expiresAt.toISOString() })
      return {
        response: { rsc: RSC.CREATED, rqi: primitive.rqi, ...(primitive.rvi === undefined ? {} : { rvi: primitive.rvi }), pc: sourceView(created) },
        createdResourceId: keyRegistrationResourceId(created.relativeKeyId),
      }
    } finally {
      // Best effort (SecretBytes.wipe): the sealed copy in the store is the one that lives on.
      body.kyv?.wipe()
      exported?.key.wipe()
    }
  })
}
