/**
 * The admin API's AdminOperations port wired to the MEF operator functions (enrolees,
 * enrolments, imports) and the gateway operator functions (rules, Kpsa, bindings) on one store:
 * the admin service imports neither service (ARCHITECTURE.md §2), the CLI joins them here.
 *
 * Both operator layers take the admin actor (`admin:token`, `admin:<operator certificate URI>`)
 * and stamp it on the audit event of the write itself, so each API write is one event naming who
 * acted (D-154). The policy — what an enrolee, a rule or a Kpsa may be — stays the services'.
 */
import type { AdminOperations, AdminRecord, AdminWriteContext } from '../../services/admin/index.js'
import {
  addKpsa, deleteBinding, GatewayOperatorError, deleteRule, listBindings, listKpsa, listRules, parseBind, putRule, removeKpsa, revokeKpsa,
} from '../../services/gateway/index.js'
import {
  addEnrolee, deleteEnrolee, enroleeInputFromJson, importEnrolees, listEnrolees, listEnrolments, parseImportFile, revokeEnrolee, showEnrolee, updateEnrolee,
} from '../../services/mef/operator/index.js'
import type { OperatorOptions } from '../../services/mef/operator/index.js'
import type { Store } from '../../store/index.js'

function gatewayOptions(context: AdminWriteContext): { actor: string; auditLink: AdminWriteContext['auditLink']; now: Date } {
  return { actor: context.actor, auditLink: context.auditLink, now: context.now }
}

function asRecord<T extends object>(value: T): AdminRecord {
  return value as unknown as AdminRecord
}

function mefOptions(context: AdminWriteContext): OperatorOptions {
  return { actor: context.actor, auditLink: context.auditLink }
}

/** The port on `store`; `onCredentialsChanged` runs after a Kpsa or binding is revoked or removed (the gateway's session recheck). */
export function adminOperations(store: Store, onCredentialsChanged: () => void = () => undefined): AdminOperations {
  return {
    listEnrolees: async (page) => {
      const result = await listEnrolees(store, page)
      return { items: result.items.map(asRecord), ...(result.nextCursor === undefined ? {} : { nextCursor: result.nextCursor }) }
    },
    addEnrolee: async (input, context) => asRecord(await addEnrolee(store, enroleeInputFromJson(input), context.now, mefOptions(context))),
    showEnrolee: async (selector) => {
      const details = await showEnrolee(store, selector)
      return { ...details.enrolee, enrolments: details.enrolments }
    },
    updateEnrolee: async (selector, patch, context) => asRecord(await updateEnrolee(store, selector, patch, context.now, mefOptions(context))),
    deleteEnrolee: async (selector, context) => {
      await deleteEnrolee(store, selector, context.now, mefOptions(context))
    },
    revokeEnrolee: async (selector, context) => asRecord(await revokeEnrolee(store, selector, context.now, mefOptions(context))),
    prepareImport: (format, content, context) => {
      const rows = parseImportFile(content, format)
      return {
        total: rows.length,
        run: async (onProgress) => {
          const result = await importEnrolees(store, rows, { ...mefOptions(context), now: context.now, onProgress })
          return { imported: result.imported, rejected: result.rejected.map(asRecord) }
        },
      }
    },
    listEnrolments: async (page) => {
      const result = await listEnrolments(store, page)
      return { items: result.items.map(asRecord), ...(result.nextCursor === undefined ? {} : { nextCursor: result.nextCursor }) }
    },
    listRules: async (page) => {
      const result = await listRules(store, page)
      return { items: result.items.map(asRecord), ...(result.nextCursor === undefined ? {} : { nextCursor: result.nextCursor }) }
    },
    putRule: async (ruleId, body, context) => {
      const { rule, replaced } = await putRule(store, ruleId, body, gatewayOptions(context))
      return { rule: asRecord(rule), replaced }
    },
    deleteRule: (ruleId, context) => deleteRule(store, ruleId, gatewayOptions(context)),
    listKpsa: async (page) => {
      const result = await listKpsa(store, { ...page })
      return { items: result.items.map(asRecord), ...(result.nextCursor === undefined ? {} : { nextCursor: result.nextCursor }) }
    },
    addKpsa: async (body, context) => {
      if (body.bind !== undefined && parseBind(body.bind.id, 'bind.id').kind !== body.bind.kind) {
        throw new GatewayOperatorError('M2MSEC_GATEWAY_OPERATOR_INVALID', 'bad-input', `bind.kind: '${body.bind.kind}' does not match the kind of bind.id`, { field: 'bind.kind' })
      }
      return asRecord(await addKpsa(store, { identity: body.identity, key: body.key, ...(body.bind === undefined ? {} : { bind: body.bind.id }), ...(body.expiresAt === undefined ? {} : { expiresAt: body.expiresAt }) }, gatewayOptions(context)))
    },
    revokeKpsa: async (identity, context) => {
      const view = await revokeKpsa(store, identity, gatewayOptions(context))
      onCredentialsChanged()
      return asRecord(view)
    },
    removeKpsa: async (identity, context) => {
      await removeKpsa(store, identity, gatewayOptions(context))
      onCredentialsChanged()
    },
    listBindings: async (page) => {
      const result = await listBindings(store, page)
      return { items: result.items.map(asRecord), ...(result.nextCursor === undefined ? {} : { nextCursor: result.nextCursor }) }
    },
    deleteBinding: async (credentialId, context) => {
      await deleteBinding(store, credentialId, gatewayOptions(context))
      onCredentialsChanged()
    },
  }
}
