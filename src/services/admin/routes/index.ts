// Every admin API route, in document order: the one list app.ts registers and the tests compare with /openapi.json.
import type { AdminRoute } from '../route.js'
import { AUDIT_ROUTES } from './audit.js'
import { BINDING_ROUTES } from './bindings.js'
import { CLIENT_REGISTRATION_ROUTES } from './client-registrations.js'
import { ENROLEE_IMPORT_ROUTES } from './enrolee-imports.js'
import { ENROLEE_ROUTES } from './enrolees.js'
import { ENROLMENT_ROUTES } from './enrolments.js'
import { KEY_REGISTRATION_ROUTES } from './key-registrations.js'
import { PSK_CREDENTIAL_ROUTES } from './psk-credentials.js'
import { RULE_ROUTES } from './rules.js'
import { SYSTEM_ROUTES } from './system.js'

export const ADMIN_ROUTES: readonly AdminRoute[] = [
  ...SYSTEM_ROUTES, ...ENROLEE_ROUTES, ...ENROLEE_IMPORT_ROUTES, ...ENROLMENT_ROUTES, ...CLIENT_REGISTRATION_ROUTES,
  ...KEY_REGISTRATION_ROUTES, ...PSK_CREDENTIAL_ROUTES, ...BINDING_ROUTES, ...RULE_ROUTES, ...AUDIT_ROUTES,
]
