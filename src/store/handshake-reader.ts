/**
 * The narrow read side used on handshake and authorisation paths (STYLE.md §5: a read
 * interface for the handshake path, separate from the writers). Every method is a single
 * indexed query outside any transaction, takes `now`, and never yields an expired key.
 */
import type { RepoContext } from './context.js'
import { appRuleRepo } from './app-rules.js'
import type { AppRuleRecord } from './app-rules.js'
import { enroleeRepo } from './enrolees.js'
import type { EnroleeCredentialKind, EnroleeRecord } from './enrolees.js'
import { enrolmentRepo } from './enrolments.js'
import type { EnrolmentRecord } from './enrolments.js'
import { identityBindingRepo } from './identity-bindings.js'
import type { IdentityBindingRecord } from './identity-bindings.js'
import { keyRegistrationRepo } from './key-registrations.js'
import type { KeyRegistration } from './key-registrations.js'
import { pskCredentialRepo } from './psk-credentials.js'
import type { PskLookup, PskUsage } from './psk-credentials.js'

export interface HandshakeReader {
  /** PSK for a psk_identity at the MEF, MAF or an SAEF listener; a refusal carries its reason. */
  findPskByIdentity(usage: PskUsage, identity: string, now: Date): Promise<PskLookup>
  /** Ke for fetchCredentials (frameworks.md §10.5 e). */
  findEnrolment(keId: string, now: Date): Promise<EnrolmentRecord | undefined>
  /** Key Retrieval by a Target (§7.4.7, §15.3). */
  findKeyRegistration(issuerFqdn: string, relativeKeyId: string, now: Date): Promise<KeyRegistration | undefined>
  /** Enrolee behind a certificate or GBA identity (certificate RSPF, §11). */
  findEnroleeByCredential(kind: EnroleeCredentialKind, identity: string): Promise<EnroleeRecord | undefined>
  /** Credential-ID → CSE-ID / AE-IDs (§4.3). */
  findIdentityBinding(credentialId: string, now: Date): Promise<IdentityBindingRecord | undefined>
  /** All `<serviceSubscribedAppRule>` rules (wire.md §7.4). */
  listAppRules(): Promise<readonly AppRuleRecord[]>
}

export function handshakeReader(ctx: RepoContext): HandshakeReader {
  // Built once per reader, not per call: the reader serves every handshake (issue 7 bench), and a
  // repo keeps state per database handle, such as the PSK lookup's compiled query.
  const psk = pskCredentialRepo(ctx)
  const enrolments = enrolmentRepo(ctx)
  const keyRegistrations = keyRegistrationRepo(ctx)
  const enrolees = enroleeRepo(ctx)
  const bindings = identityBindingRepo(ctx)
  const appRules = appRuleRepo(ctx)
  return {
    findPskByIdentity: (usage, identity, now) => psk.find(usage, identity, now),
    findEnrolment: (keId, now) => enrolments.find(keId, now),
    findKeyRegistration: (fqdn, relative, now) => keyRegistrations.find(fqdn, relative, now),
    findEnroleeByCredential: (kind, identity) => enrolees.findByCredential(kind, identity),
    findIdentityBinding: (credentialId, now) => bindings.find(credentialId, now),
    listAppRules: () => appRules.list(),
  }
}
