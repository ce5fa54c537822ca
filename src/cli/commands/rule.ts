/**
 * `m2msec rule add | list | remove`: the service subscription rules the gateway decides AE
 * registrations with (`<serviceSubscribedAppRule>`: applicableCredIDs, allowedApp-IDs,
 * allowedAEs, allowedRole-IDs; wire.md §7.3–§7.4). Patterns take `*` wildcards. Until the admin
 * API exists the operator manages them here, on the gateway's data directory.
 */
import type { Command } from 'commander'
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

/** wire.md §7.3: allowedApp-IDs items start with `*`, `R` or `N` (lower-case `r` tolerated, §2.1). */
export function parseRule(ruleId: string, o: Pick<RuleAddOptions, 'credId' | 'appId' | 'ae' | 'roleId'>): AppRule {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(ruleId)) throw new UsageError(`rule id must be 1–64 letters, digits, ".", "_" or "-", got '${ruleId}'`)
  if (o.credId.length === 0) throw new UsageError('--cred-id is required: the gateway admits nothing without a security association')
  if (o.appId.length === 0 || o.ae.length === 0) throw new UsageError('--app-id and --ae are required')
  const bad = o.appId.find((p) => !/^[*RrN]/.test(p))
  if (bad !== undefined) throw new UsageError(`--app-id '${bad}' must start with "*", "R" or "N"`)
  const badAe = o.ae.find((p) => !/^[*CS]/.test(p))
  if (badAe !== undefined) throw new UsageError(`--ae '${badAe}' must start with "*", "C" or "S"`)
  return { ruleId, applicableCredIds: o.credId, allowedAppIds: o.appId, allowedAes: o.ae, allowedRoleIds: o.roleId }
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
      await withStore({}, o.dataDir, true, (store) => store.transaction((tx) => tx.appRules.put(parsed)))
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
      await withStore({}, o.dataDir, false, (store) => store.transaction((tx) => tx.appRules.delete(ruleId)))
      console.log(`rule ${ruleId} removed`)
    })
}
