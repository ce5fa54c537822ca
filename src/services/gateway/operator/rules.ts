/**
 * Service subscription rules as the operator manages them (`<serviceSubscribedAppRule>`:
 * applicableCredIDs, allowedApp-IDs, allowedAEs, allowedRole-IDs; wire.md §7.3–§7.4): validation
 * shared by `m2msec rule add` and `PUT /v1/rules/{ruleId}`, and the writes with their audit event.
 * Patterns take `*` wildcards; matching is subscription-rules.ts's.
 */
import type { AppRule, AppRuleRecord, Store } from '../../../store/index.js'
import { invalidField } from './errors.js'
import { actorOf, linkOf, operatorError, type GatewayOperatorOptions } from './operator-context.js'
import { checkPage, pageOf, type Page, type PageOptions } from './page.js'

export interface RuleInput {
  readonly applicableCredIds: readonly string[]
  readonly allowedAppIds: readonly string[]
  readonly allowedAes: readonly string[]
  readonly allowedRoleIds: readonly string[]
}

export const RULE_ID_RE = /^[A-Za-z0-9._-]{1,64}$/
const MAX_PATTERNS = 256
const PATTERN_RE = /^[\x21-\x7e]{1,256}$/

function patterns(field: keyof RuleInput, list: readonly string[], first?: RegExp, firstText?: string): readonly string[] {
  if (list.length > MAX_PATTERNS) throw invalidField(field, `has more than ${MAX_PATTERNS} entries`)
  list.forEach((p, i) => {
    if (typeof p !== 'string' || !PATTERN_RE.test(p)) throw invalidField(`${field}[${i}]`, 'must be 1–256 printable characters without spaces')
    // wire.md §7.3: allowedApp-IDs start with `*`, `R` or `N` (lower-case `r` tolerated, §2.1); allowedAEs with `*`, `C` or `S`.
    if (first !== undefined && !first.test(p)) throw invalidField(`${field}[${i}]`, `'${p}' must start with ${firstText ?? ''}`)
  })
  return [...list]
}

/**
 * A rule checked field by field; nothing is written.
 * @throws GatewayOperatorError M2MSEC_GATEWAY_OPERATOR_INVALID naming the field.
 */
export function validateRule(ruleId: string, input: RuleInput): AppRule {
  if (!RULE_ID_RE.test(ruleId)) throw invalidField('ruleId', `must be 1–64 letters, digits, ".", "_" or "-", got '${ruleId.slice(0, 80)}'`)
  // The gateway admits nothing without a security association, so a rule without Credential-ID patterns would never apply.
  if (input.applicableCredIds.length === 0) throw invalidField('applicableCredIds', 'is required: the gateway admits nothing without a security association')
  if (input.allowedAppIds.length === 0) throw invalidField('allowedAppIds', 'is required')
  if (input.allowedAes.length === 0) throw invalidField('allowedAes', 'is required')
  return {
    ruleId,
    applicableCredIds: patterns('applicableCredIds', input.applicableCredIds),
    allowedAppIds: patterns('allowedAppIds', input.allowedAppIds, /^[*RrN]/, '"*", "R" or "N"'),
    allowedAes: patterns('allowedAes', input.allowedAes, /^[*CS]/, '"*", "C" or "S"'),
    allowedRoleIds: patterns('allowedRoleIds', input.allowedRoleIds),
  }
}

/**
 * Creates or replaces a rule; returns it and whether it replaced one.
 * @throws GatewayOperatorError M2MSEC_GATEWAY_OPERATOR_INVALID (nothing written); StoreError.
 */
export async function putRule(store: Store, ruleId: string, input: RuleInput, options: GatewayOperatorOptions = {}): Promise<{ readonly rule: AppRuleRecord; readonly replaced: boolean }> {
  const rule = validateRule(ruleId, input)
  return store.transaction(async (tx) => {
    const replaced = await tx.appRules.get(ruleId) !== undefined
    await tx.appRules.put(rule)
    await tx.audit.append({
      ...(options.now === undefined ? {} : { at: options.now }), actor: actorOf(options), action: 'rule.put',
      subject: { ruleId, applicableCredIds: [...rule.applicableCredIds ?? []], allowedAppIds: [...rule.allowedAppIds], allowedAes: [...rule.allowedAes], allowedRoleIds: [...rule.allowedRoleIds] },
      outcome: replaced ? 'replaced' : 'created',
    }, linkOf(options))
    const stored = await tx.appRules.get(ruleId)
    return { rule: stored ?? { ...rule, createdAt: new Date() }, replaced }
  })
}

/** @throws GatewayOperatorError M2MSEC_GATEWAY_OPERATOR_NOT_FOUND */
export async function deleteRule(store: Store, ruleId: string, options: GatewayOperatorOptions = {}): Promise<void> {
  try {
    await store.transaction(async (tx) => {
      await tx.appRules.delete(ruleId)
      await tx.audit.append({ ...(options.now === undefined ? {} : { at: options.now }), actor: actorOf(options), action: 'rule.delete', subject: { ruleId }, outcome: 'success' }, linkOf(options))
    })
  } catch (error) {
    throw operatorError(error, `rule ${ruleId}`)
  }
}

/** One page of rules in rule-id order (the rule set is small: read whole, paged here). */
export async function listRules(store: Store, options: PageOptions = {}): Promise<Page<AppRuleRecord>> {
  const { cursor, limit } = checkPage(options)
  const all = await store.reader.listAppRules()
  const after = cursor === undefined ? all : all.filter((r) => r.ruleId > cursor)
  return pageOf(after.slice(0, limit + 1), limit, (r) => r.ruleId)
}
