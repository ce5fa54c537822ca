/**
 * `m2msec rule add | list | remove`: the service subscription rules the gateway decides AE
 * registrations with (`<serviceSubscribedAppRule>`: applicableCredIDs, allowedApp-IDs,
 * allowedAEs, allowedRole-IDs; wire.md §7.3–§7.4). Patterns take `*` wildcards. The policy is the
 * gateway's (services/gateway/operator); the admin API applies the same, and with `--server` the
 * commands work through it (issue 8) — the rule is still checked here first, so a typo is a usage
 * error before anything is sent.
 */
import type { Command } from 'commander'
import { GatewayOperatorError, validateRule } from '../../services/gateway/index.js'
import type { AppRule } from '../../store/index.js'
import { addServerOptions, type RemoteOptions } from '../admin-client.js'
import { DEFAULT_DATA_DIR, type OperatorCommandDeps } from '../operator-backend/local-store.js'
import { ruleBackend } from '../operator-backend/rule-backend.js'
import { collect, UsageError } from '../options.js'
import { formatTable } from './enrolee-output.js'

interface RuleAddOptions extends RemoteOptions {
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

/** Adds `rule add|list|remove` to `program`. */
export function registerRuleCommands(program: Command, deps: OperatorCommandDeps = {}): void {
  const rule = program.command('rule').description('service subscription rules (serviceSubscribedAppRule) for AE registration at the gateway')
  addServerOptions(rule
    .command('add <ruleId>')
    .description('add or replace a rule')
    .option('--data-dir <dir>', 'data directory', DEFAULT_DATA_DIR)
    .option('--cred-id <pattern>', 'applicableCredIDs pattern, e.g. 12-*@psk.example.com (repeatable)', collect, [])
    .option('--app-id <pattern>', 'allowedApp-IDs pattern, e.g. Nsensor* (repeatable)', collect, [])
    .option('--ae <pattern>', 'allowedAEs pattern: exact stem, C*, S* or * (repeatable)', collect, [])
    .option('--role-id <id>', 'allowedRole-IDs (repeatable)', collect, [])
    .option('--json', 'print the rule as JSON'))
    .action(async (ruleId: string, o: RuleAddOptions) => {
      const parsed = parseRule(ruleId, o)
      await ruleBackend(deps, o).put(parsed)
      console.log(o.json ? JSON.stringify(parsed) : `rule ${ruleId} stored`)
    })
  addServerOptions(rule
    .command('list')
    .description('list the rules')
    .option('--data-dir <dir>', 'data directory', DEFAULT_DATA_DIR)
    .option('--json', 'one JSON array'))
    .action(async (o: RemoteOptions & { json?: boolean }) => {
      const rules = await ruleBackend(deps, o).list()
      if (o.json) {
        console.log(JSON.stringify(rules.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }))))
        return
      }
      console.log(formatTable(['RULE', 'CRED-IDS', 'APP-IDS', 'AES'], rules.map((r) => [r.ruleId, (r.applicableCredIds ?? []).join(' '), r.allowedAppIds.join(' '), r.allowedAes.join(' ')])))
    })
  addServerOptions(rule
    .command('remove <ruleId>')
    .description('remove a rule')
    .option('--data-dir <dir>', 'data directory', DEFAULT_DATA_DIR))
    .action(async (ruleId: string, o: RemoteOptions) => {
      await ruleBackend(deps, o).remove(ruleId)
      console.log(`rule ${ruleId} removed`)
    })
}
