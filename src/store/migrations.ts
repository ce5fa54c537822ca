/**
 * Versioned schema migrations, one list for both engines (ARCHITECTURE.md §3 "Storage"). Each
 * migration is append-only: once released its body never changes; a schema change is a new
 * version. Only column types differ per engine (blob vs bytea), so each step receives them.
 * Every identifier that the spec requires to be unique carries a primary key or unique index
 * (issue 4: "no key identifier is ever issued twice").
 */
import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { Database } from './schema.js'

export type StoreDialect = 'sqlite' | 'postgres'

export interface ColumnTypes {
  readonly blob: ReturnType<typeof sql.raw>
  readonly time: 'bigint'
}

export interface Migration {
  readonly version: number
  readonly name: string
  readonly up: (db: Kysely<Database>, types: ColumnTypes) => Promise<void>
}

export function columnTypes(dialect: StoreDialect): ColumnTypes {
  return { blob: sql.raw(dialect === 'postgres' ? 'bytea' : 'blob'), time: 'bigint' }
}

async function createIdentityTables(db: Kysely<Database>, t: ColumnTypes): Promise<void> {
  await db.schema.createTable('issued_identifiers')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('issued_at', t.time, (c) => c.notNull())
    .addPrimaryKeyConstraint('issued_identifiers_pk', ['scope', 'value'])
    .execute()
  await db.schema.createTable('enrolees')
    .addColumn('enrolee_ref', 'text', (c) => c.primaryKey())
    .addColumn('credential_kind', 'text', (c) => c.notNull())
    .addColumn('credential_identity', 'text', (c) => c.notNull())
    .addColumn('trust_anchor_pem', 'text')
    .addColumn('enrolee_id', 'text')
    .addColumn('enrolment_lifetime_ms', t.time, (c) => c.notNull())
    .addColumn('config_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .addUniqueConstraint('enrolees_credential_uq', ['credential_kind', 'credential_identity'])
    .execute()
  await db.schema.createTable('enrolee_targets')
    .addColumn('enrolee_ref', 'text', (c) => c.notNull().references('enrolees.enrolee_ref').onDelete('cascade'))
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('suid', 'integer', (c) => c.notNull())
    .addColumn('key_lifetime_ms', t.time)
    .addPrimaryKeyConstraint('enrolee_targets_pk', ['enrolee_ref', 'target_id', 'suid'])
    .execute()
  await db.schema.createTable('enrolments')
    .addColumn('ke_id', 'text', (c) => c.primaryKey())
    .addColumn('mef_fqdn', 'text', (c) => c.notNull())
    .addColumn('relative_ke_id', 'text', (c) => c.notNull())
    .addColumn('enrolee_ref', 'text', (c) => c.notNull().references('enrolees.enrolee_ref').onDelete('cascade'))
    .addColumn('ke_sealed', t.blob, (c) => c.notNull())
    .addColumn('expires_at', t.time, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addUniqueConstraint('enrolments_relative_uq', ['mef_fqdn', 'relative_ke_id'])
    .execute()
  await db.schema.createIndex('enrolments_enrolee_ix').on('enrolments').column('enrolee_ref').execute()
  await db.schema.createIndex('enrolments_expiry_ix').on('enrolments').column('expires_at').execute()
}

async function createKeyTables(db: Kysely<Database>, t: ColumnTypes): Promise<void> {
  await db.schema.createTable('psk_credentials')
    .addColumn('usage', 'text', (c) => c.notNull())
    .addColumn('identity', 'text', (c) => c.notNull())
    .addColumn('key_sealed', t.blob, (c) => c.notNull())
    .addColumn('owner_kind', 'text', (c) => c.notNull())
    .addColumn('owner_ref', 'text', (c) => c.notNull())
    .addColumn('bound_entity_kind', 'text')
    .addColumn('bound_entity_ids_json', 'text', (c) => c.notNull())
    .addColumn('credential_id', 'text')
    .addColumn('suid', 'integer')
    .addColumn('expires_at', t.time)
    .addColumn('revoked_at', t.time)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addPrimaryKeyConstraint('psk_credentials_pk', ['usage', 'identity'])
    .execute()
  await db.schema.createIndex('psk_credentials_owner_ix').on('psk_credentials').columns(['owner_kind', 'owner_ref']).execute()
  await db.schema.createTable('client_registrations')
    .addColumn('reg_id', 'text', (c) => c.primaryKey())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('server_fqdn', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('credential_id', 'text', (c) => c.notNull())
    .addColumn('admin_fqdn', 'text', (c) => c.notNull())
    .addColumn('labels_json', 'text', (c) => c.notNull())
    .addColumn('assigned_key_id', 'text')
    .addColumn('client_cfg_json', 'text')
    .addColumn('cmd_id', 'text')
    .addColumn('cmd_description_json', 'text')
    .addColumn('cmd_status', 'integer')
    .addColumn('expires_at', t.time, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    // mef-maf-interface.md §4.5: one registration per client and administrating stakeholder.
    .addUniqueConstraint('client_registrations_client_uq', ['issuer', 'server_fqdn', 'client_id', 'admin_fqdn'])
    .addUniqueConstraint('client_registrations_key_uq', ['issuer', 'server_fqdn', 'assigned_key_id'])
    .execute()
  await db.schema.createTable('key_registrations')
    .addColumn('issuer_fqdn', 'text', (c) => c.notNull())
    .addColumn('relative_key_id', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('key_sealed', t.blob, (c) => c.notNull())
    .addColumn('suid', 'integer', (c) => c.notNull())
    .addColumn('source_client_id', 'text', (c) => c.notNull())
    .addColumn('source_reg_id', 'text')
    .addColumn('target_ids_json', 'text', (c) => c.notNull())
    .addColumn('labels_json', 'text', (c) => c.notNull())
    .addColumn('admin_fqdn', 'text', (c) => c.notNull())
    .addColumn('expires_at', t.time, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .addPrimaryKeyConstraint('key_registrations_pk', ['issuer_fqdn', 'relative_key_id'])
    .execute()
  await db.schema.createIndex('key_registrations_expiry_ix').on('key_registrations').column('expires_at').execute()
}

async function createPolicyTables(db: Kysely<Database>, t: ColumnTypes): Promise<void> {
  await db.schema.createTable('identity_bindings')
    .addColumn('credential_id', 'text', (c) => c.primaryKey())
    .addColumn('entity_kind', 'text', (c) => c.notNull())
    .addColumn('entity_ids_json', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('expires_at', t.time)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute()
  await db.schema.createTable('app_rules')
    .addColumn('rule_id', 'text', (c) => c.primaryKey())
    .addColumn('applicable_cred_ids_json', 'text')
    .addColumn('allowed_app_ids_json', 'text', (c) => c.notNull())
    .addColumn('allowed_aes_json', 'text', (c) => c.notNull())
    .addColumn('allowed_role_ids_json', 'text', (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute()
  await db.schema.createTable('cas')
    .addColumn('ca_id', 'text', (c) => c.primaryKey())
    .addColumn('cert_pem', 'text', (c) => c.notNull())
    .addColumn('key_sealed', t.blob, (c) => c.notNull())
    .addColumn('next_serial', t.time, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute()
  await db.schema.createTable('issued_certificates')
    .addColumn('ca_id', 'text', (c) => c.notNull().references('cas.ca_id'))
    .addColumn('serial', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull().unique())
    .addColumn('cert_pem', 'text', (c) => c.notNull())
    .addColumn('not_before', t.time, (c) => c.notNull())
    .addColumn('not_after', t.time, (c) => c.notNull())
    .addColumn('issued_at', t.time, (c) => c.notNull())
    .addColumn('revoked_at', t.time)
    .addColumn('revocation_reason', 'integer')
    .addPrimaryKeyConstraint('issued_certificates_pk', ['ca_id', 'serial'])
    .execute()
  await db.schema.createTable('service_keys')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('key_sealed', t.blob, (c) => c.notNull())
    .addColumn('public_info', 'text')
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute()
}

async function createAuditTables(db: Kysely<Database>, t: ColumnTypes): Promise<void> {
  await db.schema.createTable('audit_events')
    .addColumn('seq', t.time, (c) => c.primaryKey())
    .addColumn('at', t.time, (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_json', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .execute()
  await db.schema.createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('last_seq', t.time, (c) => c.notNull())
    .addColumn('last_hash', 'text', (c) => c.notNull())
    .execute()
  await db.insertInto('audit_head').values({ id: 1, last_seq: 0, last_hash: '' }).execute()
}

/** The ordered migration list. Never edit a released entry: append a new version. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    up: async (db, t) => {
      await createIdentityTables(db, t)
      await createKeyTables(db, t)
      await createPolicyTables(db, t)
      await createAuditTables(db, t)
    },
  },
]
