/**
 * MAF-Based SAEF (TS-0003 8.2.2.3; frameworks.md §7.2 steps 4–6): psk_identity is a Key
 * Identifier `<RelativeKeyID>@<MAF-FQDN>` naming a configured MAF; on first sight the gateway
 * runs MAF Key Retrieval (8.8.2.8) for the RelativeKeyID during the handshake, checks the SUID is
 * 32 (MAF-distributed key for SAEF, TS-0004 m2m:suid), and keeps Kc sealed until its
 * expirationTime. An expired Kc fails the handshake, which tells Entity A to redo MAF Key
 * Registration (§7.2 step 6). Binding (OQ-20, OQ-33): the Source MAF Client ID when it is an
 * Absolute CSE-ID/AE-ID; its Credential-ID form (`11-<KmID>`) when it is one; else `12-<Key Identifier>`.
 */
import {
  M2mSecError, SUID, credentialIdForKeyIdentifier, hasCredentialIdForm, parseCredentialId, parseFqdn, parseKeyIdentifier, splitKeyIdentifier,
} from '../../../core/index.js'
import { boundEntityOf } from '../entity-binding.js'
import { configInvalid } from '../errors.js'
import { abortable, dropIfPastCap, outcomeOfRow, recheckStoredKey, singleFlight, storeFetchedKey } from './fetched-key.js'
import type { KeyFetchOutcome, PeerCredential, Saef, SaefFactory, SaefOutcome } from './saef.js'

export interface MafSaefConfig {
  /** FQDNs of the MAFs this gateway retrieves keys from. */
  readonly mafFqdns: readonly string[]
}

/** RelativeKeyID = hexBinary(KcID), 32 hex digits (OQ-12); the MAF issues no other form for SAEF keys. */
const MAF_IDENTITY_RE = /^([0-9A-Fa-f]{32})@([A-Za-z0-9.-]{1,253})$/

function readConfig(config: unknown): ReadonlySet<string> {
  const fqdns = (config as { mafFqdns?: unknown } | undefined)?.mafFqdns
  if (!Array.isArray(fqdns) || fqdns.length === 0) throw configInvalid('maf.mafFqdns must list at least one MAF FQDN')
  return new Set(fqdns.map((fqdn: unknown) => {
    try {
      return parseFqdn(String(fqdn)).toLowerCase()
    } catch {
      throw configInvalid('maf.mafFqdns holds something that is not an FQDN')
    }
  }))
}

function credentialIdOf(clientId: string, keyIdentifier: string): string {
  if (hasCredentialIdForm(clientId)) {
    try {
      return parseCredentialId(clientId).id
    } catch (error) {
      if (!(error instanceof M2mSecError && error.code === 'M2MSEC_ID_INVALID')) throw error
    }
  }
  return credentialIdForKeyIdentifier(parseKeyIdentifier(keyIdentifier))
}

export const createMafSaef: SaefFactory = (deps, rawConfig): Saef => {
  const mafs = readConfig(rawConfig)
  if (deps.retrieveKc === undefined) throw configInvalid('the maf SAEF needs a MAF link for Key Retrieval')
  const retrieveKc = deps.retrieveKc
  const shared = singleFlight<SaefOutcome>()
  const mafOf = (identity: string): string | undefined => {
    const m = MAF_IDENTITY_RE.exec(identity)
    const fqdn = m?.[2]?.toLowerCase()
    return fqdn !== undefined && mafs.has(fqdn) ? fqdn : undefined
  }
  const retrieveAndStore = async (keyIdentifier: string): Promise<SaefOutcome> => {
    const { relative, fqdn } = splitKeyIdentifier(parseKeyIdentifier(keyIdentifier))
    const outcome: KeyFetchOutcome = await retrieveKc(fqdn, relative)
    // TS-0003 8.2.2.3: B checks the key is limited to the MAF-based SAEF.
    if (outcome.ok && outcome.suid !== SUID.MAF_SAEF) {
      outcome.key.wipe()
      return { ok: false, refusal: 'not-allowed', detail: { suid: outcome.suid ?? -1 } }
    }
    return storeFetchedKey('maf', deps, outcome, (clientId) => ({
      identity: keyIdentifier, credentialId: credentialIdOf(clientId, keyIdentifier), suid: SUID.MAF_SAEF,
      ...(boundEntityOf(clientId) === undefined ? {} : { boundEntity: boundEntityOf(clientId)! }),
    }))
  }
  return {
    name: 'maf',
    accepts: (credential: PeerCredential) => credential.kind === 'psk' && mafOf(credential.identity) !== undefined,
    resolve: async (credential, signal) => {
      if (credential.kind !== 'psk' || mafOf(credential.identity) === undefined) return { ok: false, refusal: 'not-allowed' }
      const keyIdentifier = parseKeyIdentifier(credential.identity)
      const found = await deps.store.reader.findPskByIdentity('saef', keyIdentifier, deps.now())
      // A Kc past the gateway's cap (not its MAF lifetime) is retrieved again (D-191).
      const pastCap = found.ok && (await dropIfPastCap(deps, found.credential))
      if (found.ok && !pastCap) return outcomeOfRow('maf', found.credential, credentialIdForKeyIdentifier(keyIdentifier), deps.fetchedKeyMaxAgeMs)
      // Expired or revoked: no new retrieval; A must register a new Kc (§7.2 step 6).
      if (!found.ok && found.refusal !== 'unknown-identity') return { ok: false, refusal: found.refusal }
      return abortable(shared(keyIdentifier, () => retrieveAndStore(keyIdentifier)), signal)
    },
    recheck: (context) => recheckStoredKey(deps, context),
  }
}
