// The public surface of the admin service (src/services/admin): what `m2msec up` and `serve admin` start.
export { createAdminService } from './service.js'
export type { AdminService, AdminServiceOptions } from './service.js'
export { buildAdminApp } from './app.js'
export type { AdminAppOptions, AdminEvent } from './app.js'
export { ADMIN_ROUTES } from './routes/index.js'
export type { AdminDeps, AdminRoute, MetricsSource } from './route.js'
export type {
  AdminOperations, AdminPage, AdminPageQuery, AdminRecord, AdminWriteContext, EnroleePatch, ImportProgressReport, KpsaBody, PreparedImport, RuleBody,
} from './operations.js'
export { importJobs } from './import-jobs.js'
export type { ImportJobs } from './import-jobs.js'
export { ADMIN_TOKEN_FILE, adminTokenHash, ensureAdminToken, generateAdminToken, readAdminTokenHash, rotateAdminToken } from './admin-token.js'
export { OPERATOR_URI_PREFIX } from './operator-auth.js'
export { AdminError } from './errors.js'
export type { AdminErrorCode } from './errors.js'
