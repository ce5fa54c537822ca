/**
 * The seam behind `m2msec psk …`: the gateway's operator-provisioned Kpsa (TS-0003 8.2.2.1; PSK
 * SAEF) on the local data directory through the gateway operator policy, or on a running admin API
 * (`/v1/psk-credentials`, issue 8). Remotely the key travels once, hex in the request body over the
 * admin TLS connection; no answer ever carries it (KpsaView is metadata).
 */
import { toHex } from '../../core/index.js'
import type { SecretBytes } from '../../core/index.js'
import { addKpsa, listKpsa, removeKpsa, revokeKpsa } from '../../services/gateway/index.js'
import type { BoundEntity } from '../../store/index.js'
import { adminRequest, adminServerFrom, segment, type AdminServer, type RemoteOptions } from '../admin-client.js'
import { nowOf, withStore, type OperatorCommandDeps } from './local-store.js'
import { pageFrom, queryOf, viewOf } from './remote-answer.js'

/** The gateway's Kpsa metadata view (its type is not exported by the gateway's index). */
export type KpsaView = Awaited<ReturnType<typeof addKpsa>>

export interface KpsaAddition {
  readonly identity: string
  /** Wiped once stored or sent. */
  readonly key: SecretBytes
  /** The `--bind` text and what it parsed to. */
  readonly bind?: { readonly text: string; readonly entity: BoundEntity }
}

export interface KpsaPage {
  readonly items: readonly KpsaView[]
  readonly nextCursor?: string
}

export interface PskBackend {
  add(addition: KpsaAddition): Promise<KpsaView>
  list(page: { readonly limit?: number; readonly cursor?: string }): Promise<KpsaPage>
  revoke(identity: string): Promise<KpsaView>
  remove(identity: string): Promise<void>
}

export function localPskBackend(deps: OperatorCommandDeps, dataDir: string): PskBackend {
  return {
    add: (a) => withStore(deps, dataDir, true, (store) => addKpsa(store, { identity: a.identity, key: a.key, ...(a.bind === undefined ? {} : { bind: a.bind.text }) })),
    list: (page) => withStore(deps, dataDir, false, (store) => listKpsa(store, { ...page, now: nowOf(deps) })),
    revoke: (identity) => withStore(deps, dataDir, false, (store) => revokeKpsa(store, identity)),
    remove: (identity) => withStore(deps, dataDir, false, (store) => removeKpsa(store, identity)),
  }
}

const KPSA_DATES = ['createdAt', 'expiresAt', 'revokedAt']

function kpsaOf(value: unknown): KpsaView {
  return viewOf<KpsaView>(value, 'Kpsa', KPSA_DATES)
}

export function remotePskBackend(server: AdminServer): PskBackend {
  const path = (identity: string): string => `/v1/psk-credentials/${segment(identity)}`
  return {
    add: async (a) => {
      try {
        const body = { identity: a.identity, key: toHex(a.key.reveal()), ...(a.bind === undefined ? {} : { bind: { kind: a.bind.entity.kind, id: a.bind.text } }) }
        return kpsaOf(await adminRequest(server, 'POST', '/v1/psk-credentials', body))
      } finally {
        a.key.wipe()
      }
    },
    list: async (page) => pageFrom(await adminRequest(server, 'GET', `/v1/psk-credentials${queryOf({ limit: page.limit, cursor: page.cursor })}`), 'Kpsa', kpsaOf),
    revoke: async (identity) => kpsaOf(await adminRequest(server, 'POST', `${path(identity)}/revoke`)),
    remove: async (identity) => void await adminRequest(server, 'DELETE', path(identity)),
  }
}

/** The admin API when `--server` (or M2MSEC_ADMIN_URL) names one, else the local data directory. */
export function pskBackend(deps: OperatorCommandDeps, options: RemoteOptions): PskBackend {
  const server = adminServerFrom(options)
  return server === undefined ? localPskBackend(deps, options.dataDir) : remotePskBackend(server)
}
