/**
 * The seam behind `m2msec rule …`: service subscription rules (`<serviceSubscribedAppRule>`,
 * wire.md §7.3–§7.4) on the local data directory through the gateway operator policy, or on a
 * running admin API (`PUT/GET/DELETE /v1/rules`, issue 8), which applies the same policy.
 */
import { deleteRule, putRule } from '../../services/gateway/index.js'
import type { AppRule, AppRuleRecord } from '../../store/index.js'
import { adminListAll, adminRequest, adminServerFrom, segment, type AdminServer, type RemoteOptions } from '../admin-client.js'
import { withStore, type OperatorCommandDeps } from './local-store.js'
import { viewOf } from './remote-answer.js'

export interface RuleBackend {
  /** Creates or replaces the rule. */
  put(rule: AppRule): Promise<void>
  list(): Promise<readonly AppRuleRecord[]>
  remove(ruleId: string): Promise<void>
}

/** Every rule of a deployment fits one listing; this bounds a misbehaving server. */
const MAX_RULES = 100_000

/** The rule's fields as `putRule` and `PUT /v1/rules/{ruleId}` take them. */
type RuleBody = Parameters<typeof putRule>[2]

function bodyOf(rule: AppRule): RuleBody {
  return { applicableCredIds: rule.applicableCredIds ?? [], allowedAppIds: rule.allowedAppIds, allowedAes: rule.allowedAes, allowedRoleIds: rule.allowedRoleIds }
}

export function localRuleBackend(deps: OperatorCommandDeps, dataDir: string): RuleBackend {
  return {
    put: (rule) => withStore(deps, dataDir, true, async (store) => void await putRule(store, rule.ruleId, bodyOf(rule))),
    list: () => withStore(deps, dataDir, false, (store) => store.reader.listAppRules()),
    remove: (ruleId) => withStore(deps, dataDir, false, (store) => deleteRule(store, ruleId)),
  }
}

export function remoteRuleBackend(server: AdminServer): RuleBackend {
  return {
    put: async (rule) => void await adminRequest(server, 'PUT', `/v1/rules/${segment(rule.ruleId)}`, bodyOf(rule)),
    list: async () => (await adminListAll(server, '/v1/rules', MAX_RULES)).map((r) => viewOf<AppRuleRecord>(r, 'rule', ['createdAt'])),
    remove: async (ruleId) => void await adminRequest(server, 'DELETE', `/v1/rules/${segment(ruleId)}`),
  }
}

/** The admin API when `--server` (or M2MSEC_ADMIN_URL) names one, else the local data directory. */
export function ruleBackend(deps: OperatorCommandDeps, options: RemoteOptions): RuleBackend {
  const server = adminServerFrom(options)
  return server === undefined ? localRuleBackend(deps, options.dataDir) : remoteRuleBackend(server)
}
