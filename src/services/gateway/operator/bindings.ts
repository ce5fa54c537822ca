/**
 * Security-context bindings as the operator sees them (frameworks.md §4.3 step 2, §18 Entity B
 * row): Credential-ID → Absolute AE-ID(s) or CSE-ID, whether configured, delivered by the MEF or
 * the MAF, or assigned by the gateway. Listing and forgetting one (the entity must then be
 * re-bound at its next registration); forgetting appends an audit event.
 */
import type { IdentityBindingRecord, Store } from '../../../store/index.js'
import { actorOf, linkOf, operatorError, type GatewayOperatorOptions } from './operator-context.js'
import { checkPage, pageOf, type Page, type PageOptions } from './page.js'

export interface BindingView {
  readonly credentialId: string
  readonly entityKind: IdentityBindingRecord['entityKind']
  readonly entityIds: readonly string[]
  readonly source: IdentityBindingRecord['source']
  readonly expiresAt?: Date
  readonly createdAt: Date
}

function view(b: IdentityBindingRecord): BindingView {
  return {
    credentialId: b.credentialId, entityKind: b.entityKind, entityIds: [...b.entityIds], source: b.source,
    ...(b.expiresAt === undefined ? {} : { expiresAt: b.expiresAt }), createdAt: b.createdAt,
  }
}

/** One page of bindings in Credential-ID order, expired ones included. */
export async function listBindings(store: Store, options: PageOptions = {}): Promise<Page<BindingView>> {
  const { cursor, limit } = checkPage(options)
  const rows = await store.transaction((tx) => tx.identityBindings.list({ limit: limit + 1, ...(cursor === undefined ? {} : { afterCredentialId: cursor }) }))
  const page = pageOf(rows, limit, (r) => r.credentialId)
  return { ...page, items: page.items.map(view) }
}

/** @throws GatewayOperatorError M2MSEC_GATEWAY_OPERATOR_NOT_FOUND */
export async function deleteBinding(store: Store, credentialId: string, options: GatewayOperatorOptions = {}): Promise<void> {
  try {
    await store.transaction(async (tx) => {
      await tx.identityBindings.delete(credentialId)
      await tx.audit.append({ ...(options.now === undefined ? {} : { at: options.now }), actor: actorOf(options), action: 'binding.delete', subject: { credentialId }, outcome: 'success' }, linkOf(options))
    })
  } catch (error) {
    throw operatorError(error, `binding for ${credentialId}`)
  }
}
