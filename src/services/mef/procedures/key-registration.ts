/**
 * MEF Key Registration (TS-0003 8.3.5.2.7; frameworks.md §15.3; mef-maf-interface.md §3.6,
 * §4.1): CREATE `mef` with ty 32006 and `{"sec:skr": {et, lbl?, adfq, suid, tgis?, kyv?}}`.
 *
 * The Source MEF Client is an enrolee with a MEF Client Registration for the request's
 * adminFQDN (8.3.5.2.7 pre-conditions). The key is the one it supplied in `kyv`, or else Kc
 * exported from the very TLS session carrying the request under `EXPORTER-oneM2M-Connection`
 * (OQ-11), whose KcID gives the RelativeKeyID hex(KcID) (OQ-12). That id shares the MEF's
 * namespace with RelativeKeIDs (OQ-35): if it was ever issued, the request is refused (4105)
 * rather than answered under another id, because the Source derives the same id itself. The
 * key is stored sealed; the response never carries it.
 */
import { EXPORTER_LABEL_CONNECTION, EXPORTER_LENGTH, connectionKeyFromExport, toHex } from '../../../core/index.js'
import type { SecretBytes } from '../../../core/index.js'
import { RSC, malformed, parseTimestamp, readSymmKeyRegCreate, refused } from '../../../onem2m/index.js'
import type { SymmKeyRegCreate } from '../../../onem2m/index.js'
import type { ClientRegistration } from '../../../store/index.js'
import type { MefDeps, MefProcedure, MefSession } from '../context.js'
import { KEY_AUDIT_ACTION, auditedKeyProcedure } from './key-audit.js'
import { keyRegistrationResourceId, sourceView } from './key-resource.js'
import { sourceRegistrationFor } from './key-source.js'
import { checkKeyValueLength, checkServedSuid, checkTargetIds, grantExpiry } from './key-rules.js'

interface RegisteredKey {
  /** hex(KcID) for an exported key; absent for a supplied one (the store picks a fresh id). */
  readonly relativeKeyId?: string
  readonly key: SecretBytes
  readonly origin: 'exported' | 'supplied'
}

/** Kc and hex(KcID) from this session's export (TS-0003 10.3.1, OQ-11, OQ-12). */
function exportedKey(session: MefSession): RegisteredKey {
  const material = session.exportKeyingMaterial(EXPORTER_LABEL_CONNECTION, EXPORTER_LENGTH)
  try {
    const { kcId, kc } = connectionKeyFromExport(material.reveal())
    return { relativeKeyId: toHex(kcId), key: kc, origin: 'exported' }
  } finally {
    material.wipe()
  }
}

/** The new registration's target list and granted expiry (4102 / 4000 refusals). */
function checkedTerms(body: SymmKeyRegCreate, registration: ClientRegistration, deps: MefDeps, now: Date): { targetIds: readonly string[]; expiresAt: Date } {
  checkServedSuid(body.suid)
  const targetIds = checkTargetIds(body.suid, body.tgis)
  if (body.kyv !== undefined) checkKeyValueLength(body.kyv.length)
  const proposed = parseTimestamp(body.et)
  if (proposed === undefined) throw malformed('et is not an m2m:timestamp')
  const expiresAt = grantExpiry(proposed, {
    now, lifetimeLimit: new Date(now.getTime() + deps.config.maxKeyLifetimeMs), registrationExpiry: registration.expiresAt,
  })
  return { targetIds, expiresAt }
}

/**
 * CREATE `mef` (ty 32006): 2001 with the Source's view of the new `<symmKeyReg>`.
 * @throws OneM2mError 4000 (malformed Content, wrong `tgis` for the SUID, bad `kyv` length,
 *         `et` not in the future), 4102 (SUID not served), 4103 (a Target, or no MEF Client
 *         Registration for `adfq`), 4105 (RelativeKeyID issued before), 4106 (enrolee revoked).
 */
export const registerKey: MefProcedure = async (request, deps) => {
  const { primitive, peer, session, now } = request
  return auditedKeyProcedure({ deps, action: KEY_AUDIT_ACTION.registration, peer, now }, async (tx, subject) => {
    const body = readSymmKeyRegCreate(primitive.pc)
    let exported: RegisteredKey | undefined
    try {
      Object.assign(subject, { suid: body.suid, adfq: body.adfq })
      const registration = await sourceRegistrationFor(tx, peer, body.adfq, deps.config.fqdn, now)
      const { targetIds, expiresAt } = checkedTerms(body, registration, deps, now)
      // Export only once the request is acceptable: a refused one leaves no key behind.
      exported = body.kyv === undefined ? exportedKey(session) : undefined
      const key: RegisteredKey = exported ?? { key: body.kyv as SecretBytes, origin: 'supplied' }
      subject.keyOrigin = key.origin
      if (key.relativeKeyId !== undefined) {
        subject.relativeKeyId = key.relativeKeyId
        if (await tx.identifiers.isIssued(deps.config.fqdn.toLowerCase(), key.relativeKeyId)) {
          throw refused(RSC.CONFLICT, 'the exported RelativeKeyID was issued before; register from a new TLS session')
        }
      }
      const created = await tx.keyRegistrations.create({
        issuer: 'mef', issuerFqdn: deps.config.fqdn, ...(key.relativeKeyId === undefined ? {} : { relativeKeyId: key.relativeKeyId }),
        key: key.key, suid: body.suid, sourceClientId: registration.clientId, sourceRegId: registration.regId,
        targetIds, labels: body.lbl ?? [], adminFqdn: body.adfq, expiresAt,
      })
      subject.relativeKeyId = created.relativeKeyId
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
