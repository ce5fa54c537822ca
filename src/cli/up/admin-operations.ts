/**
 * The admin API's AdminOperations port wired to the MEF operator functions (enrolees,
 * enrolments, imports) and the gateway operator functions (rules, Kpsa, bindings) on one store:
 * the admin service imports neither service (ARCHITECTURE.md §2), the CLI joins them here.
 *
 * The MEF operator functions stamp their audit events with the actor `operator`; so the chain
 * also says which admin credential acted, each MEF write through the API appends an `admin.*`
 * event naming the actor (until the MEF operator takes an actor option). Update and delete of an
 * enrolee are not MEF operator functions yet: updateEnrolee re-validates the merged enrolee with
 * the MEF's own validateEnrolee (a throw-away Kpm stands in for the sealed one, which it never
 * replaces), so the rules stay the MEF's.
 */
import { randomBytes } from 'node:crypto'
import type { AdminOperations, AdminRecord, AdminWriteContext, EnroleePatch } from '../../services/admin/index.js'
import {
  addKpsa, deleteBinding, GatewayOperatorError, deleteRule, listBindings, listKpsa, listRules, parseBind, putRule, removeKpsa, revokeKpsa,
} from '../../services/gateway/index.js'
import {
  addEnrolee, enroleeInputFromJson, formatDuration, importEnrolees, listEnrolees, listEnrolments, parseImportFile, revokeEnrolee, showEnrolee, validateEnrolee,
} from '../../services/mef/operator/index.js'
import type { EnroleeView } from '../../services/mef/operator/index.js'
import type { JsonValue, Store } from '../../store/index.js'

async function adminAudit(store: Store, context: AdminWriteContext, action: string, subject: { readonly [key: string]: JsonValue }): Promise<void> {
  await store.transaction((tx) => tx.audit.append({ at: context.now, actor: context.actor, action, subject, outcome: 'success' }, context.auditLink))
}

function gatewayOptions(context: AdminWriteContext): { actor: string; auditLink: AdminWriteContext['auditLink']; now: Date } {
  return { actor: context.actor, auditLink: context.auditLink, now: context.now }
}

function asRecord<T extends object>(value: T): AdminRecord {
  return value as unknown as AdminRecord
}

/** The enrolee as an input object again, with `patch` applied: what validateEnrolee checks. */
function mergedInput(view: EnroleeView, patch: EnroleePatch): Record<string, unknown> {
  const targets = patch.targets ?? view.targets.map((t) => ({
    targetId: t.targetId, suid: t.suid, ...(t.derivationId === undefined ? {} : { derivationId: t.derivationId }),
    ...(t.keyLifetimeMs === undefined ? {} : { keyLifetime: formatDuration(t.keyLifetimeMs) }),
  }))
  const enroleeId = patch.enroleeId === null ? undefined : patch.enroleeId ?? view.enroleeId
  const credential = view.credentialKind === 'psk'
    ? { kpmId: view.credentialIdentity, kpm: randomBytes(32).toString('hex') }
    : { trustAnchorPem: view.trustAnchorPem, expectedIdentity: view.expectedIdentity }
  return { ...credential, enrolmentExpiry: patch.enrolmentExpiry ?? view.enrolmentExpiry, targets, ...(enroleeId === undefined ? {} : { enroleeId }) }
}

async function updateEnrolee(store: Store, selector: string, patch: EnroleePatch, context: AdminWriteContext): Promise<AdminRecord> {
  const { enrolee } = await showEnrolee(store, selector, context.now)
  const valid = validateEnrolee(enroleeInputFromJson(mergedInput(enrolee, patch)), context.now)
  if (valid.enrolee.credential.kind === 'psk') valid.enrolee.credential.kpm.wipe()
  const updated = await store.transaction(async (tx) => {
    const record = await tx.enrolees.get(enrolee.enroleeRef)
    const config = { ...record?.config ?? {} }
    delete config.targetDerivationIds
    const result = await tx.enrolees.update(enrolee.enroleeRef, {
      enroleeId: valid.enroleeId ?? null, enrolmentLifetimeMs: valid.enrolee.enrolmentLifetimeMs, targets: valid.enrolee.targets, config: { ...config, ...valid.enrolee.config },
    })
    await tx.audit.append({
      at: context.now, actor: context.actor, action: 'enrolee.update',
      subject: { enroleeRef: enrolee.enroleeRef, fields: Object.keys(patch), enrolmentLifetimeMs: valid.enrolee.enrolmentLifetimeMs, targets: valid.targets.map((t) => `${t.suid}:${t.targetId}`) },
      outcome: 'success',
    }, context.auditLink)
    return result
  })
  return asRecord((await showEnrolee(store, updated.enroleeRef, context.now)).enrolee)
}

async function deleteEnrolee(store: Store, selector: string, context: AdminWriteContext): Promise<void> {
  const { enrolee } = await showEnrolee(store, selector, context.now)
  await store.transaction(async (tx) => {
    await tx.enrolees.delete(enrolee.enroleeRef)
    await tx.audit.append({
      at: context.now, actor: context.actor, action: 'enrolee.delete',
      subject: { enroleeRef: enrolee.enroleeRef, credentialKind: enrolee.credentialKind, credentialIdentity: enrolee.credentialIdentity }, outcome: 'success',
    }, context.auditLink)
  })
}

/** The port on `store`; `onCredentialsChanged` runs after a Kpsa or binding is revoked or removed (the gateway's session recheck). */
export function adminOperations(store: Store, onCredentialsChanged: () => void = () => undefined): AdminOperations {
  return {
    listEnrolees: async (page) => {
      const result = await listEnrolees(store, page)
      return { items: result.items.map(asRecord), ...(result.nextCursor === undefined ? {} : { nextCursor: result.nextCursor }) }
    },
    addEnrolee: async (input, context) => {
      const view = await addEnrolee(store, enroleeInputFromJson(input), context.now, { auditLink: context.auditLink })
      await adminAudit(store, context, 'admin.enrolee.add', { enroleeRef: view.enroleeRef })
      return asRecord(view)
    },
    showEnrolee: async (selector) => {
      const details = await showEnrolee(store, selector)
      return { ...details.enrolee, enrolments: details.enrolments }
    },
    updateEnrolee: (selector, patch, context) => updateEnrolee(store, selector, patch, context),
    deleteEnrolee: (selector, context) => deleteEnrolee(store, selector, context),
    revokeEnrolee: async (selector, context) => {
      const result = await revokeEnrolee(store, selector, context.now, { auditLink: context.auditLink })
      await adminAudit(store, context, 'admin.enrolee.revoke', { enroleeRef: result.enrolee.enroleeRef })
      return asRecord(result)
    },
    prepareImport: (format, content, context) => {
      const rows = parseImportFile(content, format)
      return {
        total: rows.length,
        run: async (onProgress) => {
          const result = await importEnrolees(store, rows, { now: context.now, auditLink: context.auditLink, onProgress })
          await adminAudit(store, context, 'admin.enrolee.import', { rows: rows.length, imported: result.imported, rejected: result.rejected.length })
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
