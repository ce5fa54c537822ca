/**
 * The port through which the admin API reaches service policy it must not import (ARCHITECTURE.md
 * §2: a service never imports another service): the MEF's enrolee functions and the gateway's
 * rule / Kpsa / binding functions. `m2msec up` (src/cli/up/admin-role.ts) wires the real ones in;
 * tests pass fakes. Shapes are JSON-like records of our own, so nothing here names a type of
 * another service. Every mutating operation receives the actor and appends its audit event.
 */
import type { AuditLinker } from '../../store/index.js'

/** A JSON-shaped record as an operation returns it (dates may be Date objects; they serialise as ISO text). */
export type AdminRecord = { readonly [key: string]: unknown }

export interface AdminPageQuery {
  /** The operation's own cursor (the API wraps it opaquely). */
  readonly cursor?: string
  readonly limit: number
}

export interface AdminPage {
  readonly items: readonly AdminRecord[]
  readonly nextCursor?: string
}

/** Who acts and how the audit chain is linked, for every write. */
export interface AdminWriteContext {
  /** `admin:token` or `admin:<operator certificate URI>`. */
  readonly actor: string
  readonly auditLink: AuditLinker
  readonly now: Date
}

export interface ImportProgressReport {
  readonly done: number
  readonly total: number
  readonly imported: number
  readonly rejected: number
}

/** A bulk import whose content parsed as a whole; `run` writes the rows. */
export interface PreparedImport {
  readonly total: number
  run(onProgress: (progress: ImportProgressReport) => void): Promise<{ readonly imported: number; readonly rejected: readonly AdminRecord[] }>
}

export interface EnroleePatch {
  readonly enrolmentExpiry?: string
  readonly targets?: readonly unknown[]
  /** null removes it. */
  readonly enroleeId?: string | null
}

export interface RuleBody {
  readonly applicableCredIds: readonly string[]
  readonly allowedAppIds: readonly string[]
  readonly allowedAes: readonly string[]
  readonly allowedRoleIds: readonly string[]
}

export interface KpsaBody {
  readonly identity: string
  /** Hex or `base64:` text. */
  readonly key: string
  readonly bind?: { readonly kind: 'ae' | 'cse'; readonly id: string }
  readonly expiresAt?: Date
}

/**
 * What the admin API needs from the MEF and gateway operator policy. Each method throws coded
 * errors (`M2mSecError`, bad input with a `field`), which the API maps to HTTP statuses.
 */
export interface AdminOperations {
  listEnrolees(page: AdminPageQuery): Promise<AdminPage>
  /** `input` is the request body as parsed JSON (EnroleeInput of the MEF operator). */
  addEnrolee(input: unknown, context: AdminWriteContext): Promise<AdminRecord>
  /** The enrolee (`enrolee`) and its live enrolments (`enrolments`). */
  showEnrolee(selector: string): Promise<AdminRecord>
  updateEnrolee(selector: string, patch: EnroleePatch, context: AdminWriteContext): Promise<AdminRecord>
  deleteEnrolee(selector: string, context: AdminWriteContext): Promise<void>
  revokeEnrolee(selector: string, context: AdminWriteContext): Promise<AdminRecord>
  /** Parses the whole content first (a malformed file throws and nothing is written). */
  prepareImport(format: 'csv' | 'json', content: string, context: AdminWriteContext): PreparedImport
  listEnrolments(page: AdminPageQuery & { readonly enrolee?: string }): Promise<AdminPage>
  listRules(page: AdminPageQuery): Promise<AdminPage>
  putRule(ruleId: string, body: RuleBody, context: AdminWriteContext): Promise<{ readonly rule: AdminRecord; readonly replaced: boolean }>
  deleteRule(ruleId: string, context: AdminWriteContext): Promise<void>
  listKpsa(page: AdminPageQuery): Promise<AdminPage>
  addKpsa(body: KpsaBody, context: AdminWriteContext): Promise<AdminRecord>
  revokeKpsa(identity: string, context: AdminWriteContext): Promise<AdminRecord>
  removeKpsa(identity: string, context: AdminWriteContext): Promise<void>
  listBindings(page: AdminPageQuery): Promise<AdminPage>
  deleteBinding(credentialId: string, context: AdminWriteContext): Promise<void>
}
