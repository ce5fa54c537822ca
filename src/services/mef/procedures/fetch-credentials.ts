/**
 * fetchCredentials for Enrolment Targets (TS-0003 8.3.2.1 "Use of Remotely Provisioned
 * Credential" step f; frameworks.md §10.5 d–f; wire form mef-maf-interface.md §6, OQ-8): a MAF
 * (SUID 21, Km) or a Registrar CSE (SUID 22, Kpsa) authenticated by its FQDN certificate asks for
 * the key it shares with the Enrolee behind a KeID. Checks in the order of §10.5 e:
 * (i) Ke by KeID, (ii) this Target (`fr`) is configured for this Enrolee with this SUID,
 * (iii) the key from Ke by the one function the Enrolee also uses (deriveEnrolmentTargetKey,
 * OQ-6 mode from configuration), (iv) the Enrolee-ID, (v) the lifetime, never beyond Ke's.
 *
 * Failures carry `stat: false` in the body beside the rsc (§6), so this procedure answers them
 * itself instead of throwing. Every answer, granted or refused, is audited with its reason.
 */
import {
  credentialIdForKpmId, deriveEnrolmentTargetKey, isSuid, isRspfProvisioned, SUID, type SecretBytes,
} from '../../../core/index.js'
import { RSC, formatTimestamp, writeFetchCredentialsResult, type FetchCredentialsTarget } from '../../../onem2m/index.js'
import type { EnroleeRecord } from '../../../store/index.js'
import type { OneM2mReply } from '../../../transport/index.js'
import { appendMefAudit, MEF_AUDIT_ACTION, refusedOutcome } from '../audit.js'
import type { MefDeps, MefRequest } from '../context.js'
import { enroleeCertificateCredentialId } from '../enrolee-certificate.js'
import { enrolmentTargetsOf } from '../operator/enrolee-view.js'
import { reply } from '../reply.js'

type Decision =
  | { readonly ok: true; readonly key: SecretBytes; readonly enid: string; readonly lifetime: Date }
  | { readonly ok: false; readonly rsc: number; readonly reason: string; readonly text: string }

/** The Enrolee-ID handed to Targets: the configured CSE-ID/AE-ID, else the Credential-ID (OQ-20). */
export function enroleeIdForTargets(enrolee: EnroleeRecord): string {
  if (enrolee.enroleeId !== undefined) return enrolee.enroleeId
  if (enrolee.credentialKind === 'psk') return credentialIdForKpmId(enrolee.credentialIdentity)
  if (enrolee.credentialKind === 'certificate') {
    const id = enroleeCertificateCredentialId(enrolee)
    if (id !== undefined) return id
  }
  return enrolee.credentialIdentity
}

function refuse(rsc: number, reason: string, text: string): Decision {
  return { ok: false, rsc, reason, text }
}

/** SUIDs this MEF can derive in its mode (D-3: 21–25; seed-000 mode: 21 Km and 22 Kpsa only). */
function derivable(suid: number, deps: MefDeps): boolean {
  if (!isSuid(suid) || !isRspfProvisioned(suid)) return false
  return deps.config.targetKeyMode === 'usage-constrained' || suid === SUID.RSPF_MAF || suid === SUID.RSPF_SAEF
}

/** RETRIEVE `fetchCredentials/<KeID>/<SUID>` from a 'target' peer (router checked `fr` and Host). */
export async function fetchCredentials(request: MefRequest, deps: MefDeps, target: FetchCredentialsTarget): Promise<OneM2mReply> {
  const peer = request.peer
  const targetId = request.primitive.fr ?? ''
  const now = request.now
  const decision = await deps.store.transaction(async (tx): Promise<Decision> => {
    const decide = async (): Promise<Decision> => {
      if (peer.kind !== 'target') return refuse(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, 'not-a-target', 'only an Enrolment Target may fetch credentials')
      const enrolment = await tx.enrolments.find(target.keId, now)
      if (enrolment === undefined) return refuse(RSC.NOT_FOUND, 'unknown-ke-id', 'no enrolment for this KeID')
      try {
        const enrolee = await tx.enrolees.get(enrolment.enroleeRef)
        if (enrolee === undefined || enrolee.status !== 'active') return refuse(RSC.NOT_FOUND, 'enrolee-inactive', 'no enrolment for this KeID')
        const grant = enrolmentTargetsOf(enrolee).find((t) => t.targetId === targetId && t.suid === target.suid)
        if (grant === undefined) return refuse(RSC.ORIGINATOR_HAS_NO_PRIVILEGE, 'target-not-authorised', 'this Target may not fetch this SUID for this Enrolee')
        if (!derivable(target.suid, deps)) return refuse(RSC.CONTENTS_UNACCEPTABLE, 'suid-not-served', `SUID ${target.suid} is not derived by this MEF`)
        let key: SecretBytes
        try {
          key = deriveEnrolmentTargetKey(enrolment.ke, { targetId, suid: target.suid, ...(grant.derivationId === undefined ? {} : { derivationId: grant.derivationId }) }, deps.config.targetKeyMode)
        } catch {
          // A Target ID the derivation cannot use (an AE without Enrolment-Target-ID, OQ-4) is our configuration's fault.
          return refuse(RSC.INTERNAL_SERVER_ERROR, 'derivation-failed', 'no key can be derived for this Target')
        }
        const cap = grant.keyLifetimeMs === undefined ? enrolment.expiresAt.getTime() : Math.min(enrolment.expiresAt.getTime(), now.getTime() + grant.keyLifetimeMs)
        return { ok: true, key, enid: enroleeIdForTargets(enrolee), lifetime: new Date(cap) }
      } finally {
        enrolment.ke.wipe()
      }
    }
    const result = await decide()
    await appendMefAudit(tx, deps, {
      action: MEF_AUDIT_ACTION.fetchCredentials, at: now, outcome: result.ok ? 'ok' : refusedOutcome(result.reason),
      subject: { keId: target.keId, suid: target.suid, targetId, targetFqdn: peer.kind === 'target' ? peer.fqdn : null },
    })
    return result
  })
  if (!decision.ok) return reply(request.primitive, decision.rsc, writeFetchCredentialsResult({ stat: false, errs: decision.text }))
  try {
    const pc = writeFetchCredentialsResult({ stat: true, cred: decision.key, enid: decision.enid, lftm: formatTimestamp(decision.lifetime) })
    return reply(request.primitive, RSC.OK, pc)
  } finally {
    decision.key.wipe()
  }
}
