/**
 * `m2msec rule add | list | remove`: the service subscription rules the gateway decides AE
 * registrations with (`<serviceSubscribedAppRule>`: applicableCredIDs, allowedApp-IDs,
 * allowedAEs, allowedRole-IDs; wire.md §7.3–§7.4). Patterns take `*` wildcards. The policy is the
 * gateway's (services/gateway/operator); the admin API applies the same.
 */
import type { Command } from 'commander'
import { deleteRule, GatewayOperatorError, putRule, validateRule } from '../../services/gateway/index.js'
import type { AppRule } from '../../store/index.js'
import { collect, UsageError } from '../options.js'
import { DEFAULT_DATA_DIR, formatTable, withStore } from './enrolee.js'

interface RuleAddOptions {
  readonly dataDir: string
  readonly credId: string[]
  readonly appId: string[]
  readonly ae: string[]
  readonly roleId: string[]
  readonly json?: boolean
}

/** The rule as `rule add` gives it, checked by the gateway's operator policy (a bad field is a usage error). */
export function parseRule(ruleId: string, o: Pick<RuleAddOptions, 'credId' | 'appId' | 'ae' | 'roleId'>): AppRule {
  return asUsage(() => validateRule(ruleId, { applicableCredIds: o.credId, allowedAppIds: o.appId, allowedAes: o.ae, allowedRoleIds: o.roleId }))
}

/** A bad-input refusal of the operator policy as the CLI's usage error (exit 2). */
export function asUsage<T>(work: () => T): T {
  try {
    return work()
  } catch (error) {
    if (error instanceof GatewayOperatorError && error.kind === 'bad-input') throw new UsageError(error.message)
    throw error
  }
}

export function registerRuleCommands(program: Command): void {
  const rule = program.command('rule').description('service subscription rules (serviceSubscribedAppRule) for AE registration at the gateway')
  rule
    .command('add <ruleId>')
    .description('add or replace a rule')
    .option('--data-dir <dir>', 'data directory', DEFAULT_DATA_DIR)
    .option('--cred-id <pattern>', 'applicableCredIDs pattern, e.g. 12-*@psk.example.com (repeatable)', collect, [])
    .option('--app-id <pattern>', 'allowedApp-IDs pattern, e.g. Nsensor* (repeatable)', collect, [])
    .option('--ae <pattern>', 'allowedAEs pattern: exact stem, C*, S* or * (repeatable)', collect, [])
    .option('--role-id <id>', 'allowedRole-IDs (repeatable)', collect, [])
    .option('--json', 'print the rule as JSON')
    .action(async (ruleId: string, o: RuleAddOptions) => {
      const parsed = parseRule(ruleId, o)
      await withStore({}, o.dataDir, true, (store) => putRule(store, ruleId, { applicableCredIds: o.credId, allowedAppIds: o.appId, allowedAes: o.ae, allowedRoleIds: o.roleId }))
      console.log(o.json ? JSON.stringify(parsed) : `rule ${ruleId} stored`)
    })
  rule
    .command('list')
    .description('list the rules')
    .option('--data-dir <dir>', 'data directory', DEFAULT_DATA_DIR)
    .option('--json', 'one JSON array')
    .action(async (o: { dataDir: string; json?: boolean }) => {
      const rules = await withStore({}, o.dataDir, false, (store) => store.reader.listAppRules())
      if (o.json) {
        console.log(JSON.stringify(rules.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }))))
        return
      }
      console.log(formatTable(['RULE', 'CRED-IDS', 'APP-IDS', 'AES'], rules.map((r) => [r.ruleId, (r.applicableCredIds ?? []).join(' '), r.allowedAppIds.join(' '), r.allowedAes.join(' ')])))
    })
  rule
    .command('remove <ruleId>')
    .description('remove a rule')
    .option('--data-dir <dir>', 'data directory', DEFAULT_DATA_DIR)
    .action(async (ruleId: string, o: { dataDir: string }) => {
      await withStore({}, o.dataDir, false, (store) => deleteRule(store, ruleId))
      console.log(`rule ${ruleId} removed`)
    })
}
