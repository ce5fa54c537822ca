/**
 * Row shapes of every table, as Kysely sees them (one definition for both dialects). Times are
 * integer milliseconds since the Unix epoch (UTC): comparable in SQL, identical on SQLite and
 * PostgreSQL (bigint, parsed back to number). Lists and free-form objects are JSON text so the
 * same queries run on both engines; secrets are only ever `*_sealed` blobs (custody/sealer.ts).
 * Which state each column holds follows spec/frameworks.md §18 ("state each party keeps").
 */

/** Global identifier namespace: a value once issued in a scope is never issued again (OQ-35). */
export interface IssuedIdentifierRow {
  scope: string
  value: string
  kind: string
  issued_at: number
}

export interface EnroleeRow {
  enrolee_ref: string
  credential_kind: string
  credential_identity: string
  trust_anchor_pem: string | null
  enrolee_id: string | null
  enrolment_lifetime_ms: number
  config_json: string
  status: string
  created_at: number
  updated_at: number
}

export interface EnroleeTargetRow {
  enrolee_ref: string
  target_id: string
  suid: number
  key_lifetime_ms: number | null
}

export interface EnrolmentRow {
  ke_id: string
  mef_fqdn: string
  relative_ke_id: string
  enrolee_ref: string
  ke_sealed: Uint8Array
  expires_at: number
  created_at: number
}

export interface PskCredentialRow {
  usage: string
  identity: string
  key_sealed: Uint8Array
  owner_kind: string
  owner_ref: string
  bound_entity_kind: string | null
  bound_entity_ids_json: string
  credential_id: string | null
  suid: number | null
  expires_at: number | null
  revoked_at: number | null
  created_at: number
}

export interface ClientRegistrationRow {
  reg_id: string
  issuer: string
  server_fqdn: string
  client_id: string
  credential_id: string
  admin_fqdn: string
  labels_json: string
  assigned_key_id: string | null
  client_cfg_json: string | null
  cmd_id: string | null
  cmd_description_json: string | null
  cmd_status: number | null
  expires_at: number
  created_at: number
  updated_at: number
}

export interface KeyRegistrationRow {
  issuer_fqdn: string
  relative_key_id: string
  issuer: string
  key_sealed: Uint8Array
  suid: number
  source_client_id: string
  source_reg_id: string | null
  target_ids_json: string
  labels_json: string
  admin_fqdn: string
  expires_at: number
  created_at: number
  updated_at: number
}

export interface IdentityBindingRow {
  credential_id: string
  entity_kind: string
  entity_ids_json: string
  source: string
  expires_at: number | null
  created_at: number
}

export interface AppRuleRow {
  rule_id: string
  applicable_cred_ids_json: string | null
  allowed_app_ids_json: string
  allowed_aes_json: string
  allowed_role_ids_json: string
  created_at: number
}

export interface CaRow {
  ca_id: string
  cert_pem: string
  key_sealed: Uint8Array
  next_serial: number
  created_at: number
}

export interface IssuedCertificateRow {
  ca_id: string
  serial: string
  subject: string
  fingerprint: string
  cert_pem: string
  not_before: number
  not_after: number
  issued_at: number
  revoked_at: number | null
  revocation_reason: number | null
}

export interface ServiceKeyRow {
  name: string
  key_sealed: Uint8Array
  public_info: string | null
  created_at: number
}

export interface AuditEventRow {
  seq: number
  at: number
  actor: string
  action: string
  subject_json: string
  outcome: string
  prev_hash: string
  hash: string
}

/** One-row table serialising audit appends across connections (see audit-events.ts). */
export interface AuditHeadRow {
  id: number
  last_seq: number
  last_hash: string
}

export interface SchemaMigrationRow {
  version: number
  name: string
  applied_at: number
}

export interface Database {
  issued_identifiers: IssuedIdentifierRow
  enrolees: EnroleeRow
  enrolee_targets: EnroleeTargetRow
  enrolments: EnrolmentRow
  psk_credentials: PskCredentialRow
  client_registrations: ClientRegistrationRow
  key_registrations: KeyRegistrationRow
  identity_bindings: IdentityBindingRow
  app_rules: AppRuleRow
  cas: CaRow
  issued_certificates: IssuedCertificateRow
  service_keys: ServiceKeyRow
  audit_events: AuditEventRow
  audit_head: AuditHeadRow
  schema_migrations: SchemaMigrationRow
}
