/**
 * One security association as the gateway holds it (TS-0003 8.2.1; wire.md §6 "SA → {peer kind,
 * Credential-ID, allowed IDs}"): what the SAEF said about the credential, and the entity the
 * context is bound to — filled at handshake time and refined when an AE registers on it.
 */
import type { BoundEntity } from '../../store/index.js'
import type { SecurityContext } from './saef/index.js'

export class GatewaySession {
  readonly context: SecurityContext
  #bound: BoundEntity | undefined

  constructor(context: SecurityContext, bound: BoundEntity | undefined) {
    this.context = context
    this.#bound = bound
  }

  /** The CSE-ID or allowed AE-IDs, undefined while the context is bound to its Credential-ID only. */
  get bound(): BoundEntity | undefined {
    return this.#bound
  }

  /** Records the entity learnt at registration or re-read from the store. */
  bind(entity: BoundEntity): void {
    this.#bound = entity
  }
}
