/**
 * MEF and MAF client registrations (frameworks.md §7.4.2–§7.4.5, §15.3; mef-maf-interface.md
 * §3.4–§3.5): the registration record both sides keep, the Client ID the server associates
 * with the authenticated client (OQ-20), the Credential-ID of the handshake credential, the
 * assigned KmID/KpmID with its key when it was remotely provisioned, the stakeholder's client
 * configuration, and — MEF only — the current MEF Client Command (§19). The assigned key lives
 * in psk_credentials (usage = issuer) so the next MAF/MEF Handshake finds it.
 */
import type { SecretBytes } from '../core/index.js'
import type { RepoContext } from './context.js'
import { StoreError } from './errors.js'
import { guarded } from './guard.js'
import { identifierAllocator, randomPrefixedId } from './identifiers.js'
import { pskCredentialRepo } from './psk-credentials.js'
import { decodeJson, decodeList, decodeLiteral, encodeJson, encodeList, fromMs, toMs } from './row-codec.js'
import type { JsonValue } from './row-codec.js'
import type { ClientRegistrationRow } from './schema.js'

export type Issuer = 'mef' | 'maf'
const ISSUERS: readonly Issuer[] = ['mef', 'maf']

/** The current `<mefClientCmd>` of a registration (frameworks.md §19.1). */
export interface ClientCommand {
  readonly cmdId: string
  readonly description: JsonValue
  readonly status: number
}

export interface NewClientRegistration {
  readonly issuer: Issuer
  readonly serverFqdn: string
  readonly clientId: string
  readonly credentialId: string
  readonly adminFqdn: string
  readonly labels: readonly string[]
  readonly expiresAt: Date
  /** Remotely provisioned Km (MAF) / Kpm (MEF) and the id the server assigned to it. */
  readonly assignedKey?: { readonly keyId: string; readonly key: SecretBytes }
  readonly clientCfg?: JsonValue
  readonly command?: ClientCommand
}

export interface ClientRegistration {
  readonly regId: string
  readonly issuer: Issuer
  readonly serverFqdn: string
  readonly clientId: string
  readonly credentialId: string
  readonly adminFqdn: string
  readonly labels: readonly string[]
  readonly assignedKeyId?: string
  readonly clientCfg?: JsonValue
  readonly command?: ClientCommand
  readonly expiresAt: Date
  readonly createdAt: Date
  readonly updatedAt: Date
}

export interface ClientRegistrationUpdate {
  readonly expiresAt?: Date
  readonly labels?: readonly string[]
  readonly clientCfg?: JsonValue | null
  /** A newly established remotely provisioned key replaces the previous one (§7.4.4). */
  readonly assignedKey?: { readonly keyId: string; readonly key: SecretBytes }
}

export interface ClientRegistrationRepo {
  /** @throws StoreError M2MSEC_STORE_CONFLICT when this client already registered with this adminFQDN, or the key id is taken. */
  create(registration: NewClientRegistration): Promise<ClientRegistration>
  /** Undefined when unknown or expired at `now`. */
  get(regId: string, now: Date): Promise<ClientRegistration | undefined>
  findByClient(issuer: Issuer, serverFqdn: string, clientId: string, adminFqdn: string, now: Date): Promise<ClientRegistration | undefined>
  listByClient(issuer: Issuer, serverFqdn: string, clientId: string, now: Date): Promise<readonly ClientRegistration[]>
  /** Every registration in regId order, expired ones included (admin listings; metadata only, no key). */
  list(options?: { readonly issuer?: Issuer; readonly afterRegId?: string; readonly limit?: number }): Promise<readonly ClientRegistration[]>
  /** @throws StoreError M2MSEC_STORE_NOT_FOUND (also when expired) */
  update(regId: string, update: ClientRegistrationUpdate, now: Date): Promise<ClientRegistration>
  /** @throws StoreError M2MSEC_STORE_NOT_FOUND */
  setCommand(regId: string, command: ClientCommand): Promise<void>
  /** Deletes the registration and its assigned key. @throws StoreError M2MSEC_STORE_NOT_FOUND */
  delete(regId: string): Promise<void>
  deleteExpired(now: Date): Promise<number>
}

function decode(row: ClientRegistrationRow): ClientRegistration {
  return {
    regId: row.reg_id,
    issuer: decodeLiteral(row.issuer, ISSUERS, 'client_registrations.issuer'),
    serverFqdn: row.server_fqdn,
    clientId: row.client_id,
    credentialId: row.credential_id,
    adminFqdn: row.admin_fqdn,
    labels: decodeList(row.labels_json, 'client_registrations.labels_json'),
    ...(row.assigned_key_id === null ? {} : { assignedKeyId: row.assigned_key_id }),
    ...(row.client_cfg_json === null ? {} : { clientCfg: decodeJson(row.client_cfg_json, 'client_registrations.client_cfg_json') }),
    ...(row.cmd_id === null || row.cmd_description_json === null || row.cmd_status === null ? {} : {
      command: { cmdId: row.cmd_id, description: decodeJson(row.cmd_description_json, 'client_registrations.cmd_description_json'), status: Number(row.cmd_status) },
    }),
    expiresAt: fromMs(row.expires_at),
    createdAt: fromMs(row.created_at),
    updatedAt: fromMs(row.updated_at),
  }
}

function notFound(regId: string): StoreError {
  return new StoreError('M2MSEC_STORE_NOT_FOUND', 'not-found', `no client registration ${regId}`)
}

export function clientRegistrationRepo(ctx: RepoContext): ClientRegistrationRepo {
  const { db } = ctx
  const psks = pskCredentialRepo(ctx)
  const putKey = async (regId: string, issuer: Issuer, key: { keyId: string; key: SecretBytes }, expiresAt: Date, credentialId: string): Promise<void> => {
    await psks.deleteByOwner('client-registration', regId)
    await psks.put({ usage: issuer, identity: key.keyId, key: key.key, owner: { kind: 'client-registration', ref: regId }, credentialId, expiresAt })
  }
  const get = async (regId: string, now: Date): Promise<ClientRegistration | undefined> => {
    const row = await db.selectFrom('client_registrations').selectAll()
      .where('reg_id', '=', regId).where('expires_at', '>', toMs(now)).executeTakeFirst()
    return row === undefined ? undefined : decode(row)
  }

  return {
    create: (r) => guarded('insert client registration', async () => {
      const fqdn = r.serverFqdn.toLowerCase()
      // mef-maf-interface.md §3.4: `mcr`/`ecr` + 16 upper-case letters/digits, opaque to clients.
      const regId = await identifierAllocator(ctx).allocate({
        scope: fqdn, kind: 'client-registration', generate: () => randomPrefixedId(r.issuer === 'maf' ? 'mcr' : 'ecr'),
      })
      const now = toMs(ctx.clock())
      const row: ClientRegistrationRow = {
        reg_id: regId, issuer: r.issuer, server_fqdn: fqdn, client_id: r.clientId, credential_id: r.credentialId,
        admin_fqdn: r.adminFqdn, labels_json: encodeList(r.labels), assigned_key_id: r.assignedKey?.keyId ?? null,
        client_cfg_json: r.clientCfg === undefined ? null : encodeJson(r.clientCfg),
        cmd_id: r.command?.cmdId ?? null,
        cmd_description_json: r.command === undefined ? null : encodeJson(r.command.description),
        cmd_status: r.command?.status ?? null,
        expires_at: toMs(r.expiresAt), created_at: now, updated_at: now,
      }
      await db.insertInto('client_registrations').values(row).execute()
      if (r.assignedKey !== undefined) await putKey(regId, r.issuer, r.assignedKey, r.expiresAt, r.credentialId)
      // Decoded from what was written, as a read-back would give it (the enrolment hot path saves a query).
      return decode(row)
    }),
    get: (regId, now) => guarded('read client registration', () => get(regId, now)),
    findByClient: (issuer, serverFqdn, clientId, adminFqdn, now) => guarded('read client registration', async () => {
      const row = await db.selectFrom('client_registrations').selectAll()
        .where('issuer', '=', issuer).where('server_fqdn', '=', serverFqdn.toLowerCase())
        .where('client_id', '=', clientId).where('admin_fqdn', '=', adminFqdn)
        .where('expires_at', '>', toMs(now)).executeTakeFirst()
      return row === undefined ? undefined : decode(row)
    }),
    listByClient: (issuer, serverFqdn, clientId, now) => guarded('list client registrations', async () => {
      const rows = await db.selectFrom('client_registrations').selectAll()
        .where('issuer', '=', issuer).where('server_fqdn', '=', serverFqdn.toLowerCase())
        .where('client_id', '=', clientId).where('expires_at', '>', toMs(now)).orderBy('reg_id').execute()
      return rows.map(decode)
    }),
    list: (options = {}) => guarded('list client registrations', async () => {
      let query = db.selectFrom('client_registrations').selectAll().orderBy('reg_id').limit(options.limit ?? 100)
      if (options.issuer !== undefined) query = query.where('issuer', '=', options.issuer)
      if (options.afterRegId !== undefined) query = query.where('reg_id', '>', options.afterRegId)
      return (await query.execute()).map(decode)
    }),
    update: (regId, u, now) => guarded('update client registration', async () => {
      const current = await get(regId, now)
      if (current === undefined) throw notFound(regId)
      await db.updateTable('client_registrations').set({
        updated_at: toMs(ctx.clock()),
        ...(u.expiresAt === undefined ? {} : { expires_at: toMs(u.expiresAt) }),
        ...(u.labels === undefined ? {} : { labels_json: encodeList(u.labels) }),
        ...(u.clientCfg === undefined ? {} : { client_cfg_json: u.clientCfg === null ? null : encodeJson(u.clientCfg) }),
        ...(u.assignedKey === undefined ? {} : { assigned_key_id: u.assignedKey.keyId }),
      }).where('reg_id', '=', regId).execute()
      const expiresAt = u.expiresAt ?? current.expiresAt
      if (u.assignedKey !== undefined) {
        await putKey(regId, current.issuer, u.assignedKey, expiresAt, current.credentialId)
      } else if (u.expiresAt !== undefined) {
        // The assigned key lives exactly as long as its registration.
        await db.updateTable('psk_credentials').set({ expires_at: toMs(expiresAt) })
          .where('owner_kind', '=', 'client-registration').where('owner_ref', '=', regId).execute()
      }
      const updated = await get(regId, new Date(0))
      if (updated === undefined) throw notFound(regId)
      return updated
    }),
    setCommand: (regId, command) => guarded('update client command', async () => {
      const result = await db.updateTable('client_registrations').set({
        cmd_id: command.cmdId, cmd_description_json: encodeJson(command.description), cmd_status: command.status,
        updated_at: toMs(ctx.clock()),
      }).where('reg_id', '=', regId).executeTakeFirst()
      if (Number(result.numUpdatedRows) === 0) throw notFound(regId)
    }),
    delete: (regId) => guarded('delete client registration', async () => {
      await psks.deleteByOwner('client-registration', regId)
      const result = await db.deleteFrom('client_registrations').where('reg_id', '=', regId).executeTakeFirst()
      if (Number(result.numDeletedRows) === 0) throw notFound(regId)
    }),
    deleteExpired: (now) => guarded('delete expired client registrations', async () => {
      const expired = await db.selectFrom('client_registrations').select('reg_id').where('expires_at', '<=', toMs(now)).execute()
      for (const { reg_id: regId } of expired) await psks.deleteByOwner('client-registration', regId)
      const result = await db.deleteFrom('client_registrations').where('expires_at', '<=', toMs(now)).executeTakeFirst()
      return Number(result.numDeletedRows)
    }),
  }
}
