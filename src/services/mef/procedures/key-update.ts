/**
 * MEF Key Registration Update (TS-0003 8.3.5.2.9; frameworks.md §15.3; mef-maf-interface.md
 * §3.7, §4.1): UPDATE `mef/<RelativeKeyID>` with `{"sec:skr": {et?, lbl?, tgis?}}`, at least one.
 *
 * Only the Source, still an active enrolee with its MEF Client Registration, may change a live
 * registration. A new target list obeys the SUID's cardinality as at registration; a new
 * expiry is bounded by the registration's creation + maxKeyLifetimeMs (so updates cannot
 * stretch a key's life without end) and by the Source's MEF Client Registration. The response
 * carries only the attributes the request named, with the values now in force.
 */
import { RSC, malformed, parseTimestamp, readSymmKeyRegUpdate, refused } from '../../../onem2m/index.js'
import type { SymmKeyRegUpdate } from '../../../onem2m/index.js'
import type { ClientRegistration, KeyRegistrationSummary, KeyRegistrationUpdate } from '../../../store/index.js'
import type { MefConfig, MefProcedure } from '../context.js'
import { KEY_AUDIT_ACTION, auditedKeyProcedure } from './key-audit.js'
import { changedView, relativeKeyIdOf } from './key-resource.js'
import { checkTargetIds, grantExpiry } from './key-rules.js'
import { liveSourceRegistration } from './key-source.js'

function checkedUpdate(
  body: SymmKeyRegUpdate, key: KeyRegistrationSummary, source: ClientRegistration, config: MefConfig, now: Date,
): KeyRegistrationUpdate {
  let expiresAt: Date | undefined
  if (body.et !== undefined) {
    const proposed = parseTimestamp(body.et)
    if (proposed === undefined) throw malformed('et is not an m2m:timestamp')
    expiresAt = grantExpiry(proposed, {
      now, lifetimeLimit: new Date(key.createdAt.getTime() + config.maxKeyLifetimeMs), registrationExpiry: source.expiresAt,
    })
  }
  return {
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(body.lbl === undefined ? {} : { labels: body.lbl }),
    ...(body.tgis === undefined ? {} : { targetIds: checkTargetIds(key.suid, body.tgis) }),
  }
}

/**
 * UPDATE `mef/<RelativeKeyID>`: 2004 with the requested attributes as now in force.
 * @throws OneM2mError 4004 (unknown or expired), 4103 (not the Source, or the Source is no
 *         longer registered), 4106 (Source revoked), 4000 (none of et/lbl/tgis, another member, wrong `tgis`
 *         cardinality, `et` not in the future).
 */
export const updateKeyRegistration: MefProcedure = async (request, deps) => {
  const { primitive, peer, now } = request
  return auditedKeyProcedure({ deps, action: KEY_AUDIT_ACTION.update, peer, now }, async (tx, subject) => {
    const relativeKeyId = relativeKeyIdOf(primitive.to, deps.config.fqdn)
    subject.relativeKeyId = relativeKeyId
    const found = await tx.keyRegistrations.find(deps.config.fqdn, relativeKeyId, now)
    if (found === undefined) throw refused(RSC.NOT_FOUND, 'no key registration with this RelativeKeyID')
    found.key.wipe() // metadata only from here on
    subject.suid = found.suid
    const source = await liveSourceRegistration(tx, peer, found, now)
    const body = readSymmKeyRegUpdate(primitive.pc)
    const change = checkedUpdate(body, found, source, deps.config, now)
    subject.changed = Object.keys(change)
    const updated = await tx.keyRegistrations.update(deps.config.fqdn, relativeKeyId, change, now)
    const pc = changedView(updated, { et: body.et !== undefined, lbl: body.lbl !== undefined, tgis: body.tgis !== undefined })
    return { response: { rsc: RSC.UPDATED, rqi: primitive.rqi, ...(primitive.rvi === undefined ? {} : { rvi: primitive.rvi }), pc } }
  })
}
