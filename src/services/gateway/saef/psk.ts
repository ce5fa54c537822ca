/**
 * Provisioned Symmetric Key SAEF (TS-0003 8.2.2.1; frameworks.md §5, §10.5): the psk_identity is
 * a KpsaID whose Kpsa the gateway holds (store, usage 'saef'), or a KeID of the configured MEF,
 * for which the Kpsa is fetched inside the handshake with `fetchCredentials/<KeID>/22`
 * (8.3.2.1 "Use of Remotely Provisioned Credential"; OQ-8) and kept sealed until the lifetime
 * the MEF gave. The Credential-ID is `12-<KpsaID>` (frameworks.md §4.4, OQ-2); the bound
 * entity is the one configured with the Kpsa, or the MEF's EnroleeID when it is an absolute ID.
 *
 * OQ-35 allows trying MEF Key Retrieval before fetchCredentials; the gateway is an Enrolment
 * Target here, so a KeID names an enrolment and fetchCredentials alone is asked (as D-100).
 */
import { M2mSecError, SUID, credentialIdForKpsaId, parseFqdn, parseKeId, parseKpsaId, splitKeId } from '../../../core/index.js'
import { configInvalid } from '../errors.js'
import { boundEntityOf } from '../entity-binding.js'
import { abortable, dropIfPastCap, outcomeOfRow, recheckStoredKey, singleFlight, storeFetchedKey } from './fetched-key.js'
import type { PeerCredential, Saef, SaefDeps, SaefFactory, SaefOutcome } from './saef.js'

export interface PskSaefConfig {
  /** MEF-FQDN whose KeIDs are fetched (needs deps.fetchKpsa). */
  readonly mefFqdn?: string
}

// RSPF-provisioned key for an SAEF (TS-0004 m2m:suid 22): what a Registrar fetches.
const SUID_SAEF_REGISTRAR = SUID.RSPF_SAEF

function tryId<T>(parse: () => T): T | undefined {
  try {
    return parse()
  } catch (error) {
    if (error instanceof M2mSecError && error.code === 'M2MSEC_ID_INVALID') return undefined
    throw error
  }
}

function readConfig(config: unknown, deps: SaefDeps): { mefFqdn?: string } {
  if (config === undefined || config === null) return {}
  if (typeof config !== 'object') throw configInvalid('the psk SAEF configuration must be an object')
  const mefFqdn = (config as { mefFqdn?: unknown }).mefFqdn
  if (mefFqdn === undefined) return {}
  if (typeof mefFqdn !== 'string' || tryId(() => parseFqdn(mefFqdn)) === undefined) throw configInvalid('psk.mefFqdn is not an FQDN')
  if (deps.fetchKpsa === undefined) throw configInvalid('psk.mefFqdn needs a MEF link to fetch Kpsa from')
  return { mefFqdn: mefFqdn.toLowerCase() }
}

/** The KeID in `identity` when it names an enrolment at `mefFqdn`. */
export function mefKeIdOf(identity: string, mefFqdn: string | undefined): string | undefined {
  if (mefFqdn === undefined) return undefined
  const keId = tryId(() => parseKeId(identity))
  return keId !== undefined && splitKeId(keId).fqdn === mefFqdn ? keId : undefined
}

/** `12-<KpsaID>` of a psk_identity, or of the identity itself when it fits no KpsaID grammar. */
function credentialIdOf(identity: string): string {
  const kpsaId = tryId(() => parseKpsaId(identity))
  return (kpsaId === undefined ? undefined : tryId(() => credentialIdForKpsaId(kpsaId))) ?? `12-${identity}`
}

export const createPskSaef: SaefFactory = (deps, rawConfig): Saef => {
  const config = readConfig(rawConfig, deps)
  const shared = singleFlight<SaefOutcome>()
  const fetchAndStore = async (keId: string): Promise<SaefOutcome> => {
    const outcome = await deps.fetchKpsa!(keId)
    return storeFetchedKey('psk', deps, outcome, (enroleeId) => ({
      identity: keId, credentialId: credentialIdOf(keId), suid: SUID_SAEF_REGISTRAR,
      ...(boundEntityOf(enroleeId) === undefined ? {} : { boundEntity: boundEntityOf(enroleeId)! }),
    }))
  }
  const lookup = async (identity: string): Promise<SaefOutcome | undefined> => {
    const found = await deps.store.reader.findPskByIdentity('saef', identity, deps.now())
    if (!found.ok) return found.refusal === 'unknown-identity' ? undefined : { ok: false, refusal: found.refusal }
    const row = found.credential
    // A fetched Kpsa past the gateway's cap counts as not held: the MEF is asked again (D-191).
    // Configured rows have no cap: the hot path skips the extra await.
    if (row.owner.kind === 'retrieved' && (await dropIfPastCap(deps, row))) return undefined
    // The fallback Credential-ID is parsed only for rows stored without one.
    return outcomeOfRow('psk', row, row.credentialId ?? credentialIdOf(identity), deps.fetchedKeyMaxAgeMs)
  }
  return {
    name: 'psk',
    accepts: (credential: PeerCredential) => credential.kind === 'psk',
    resolve: async (credential, signal) => {
      if (credential.kind !== 'psk') return { ok: false, refusal: 'not-allowed' }
      const local = await lookup(credential.identity)
      if (local !== undefined) return local
      const keId = mefKeIdOf(credential.identity, config.mefFqdn)
      if (keId === undefined) return { ok: false, refusal: 'unknown-identity' }
      // The same KeID in another spelling (OQ-2) names the key already held.
      const held = keId === credential.identity ? undefined : await lookup(keId)
      if (held !== undefined) return held
      return abortable(shared(keId, () => fetchAndStore(keId)), signal)
    },
    recheck: (context) => recheckStoredKey(deps, context),
  }
}
