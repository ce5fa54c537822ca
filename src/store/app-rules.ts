/**
 * Service subscription rules: the content of `<serviceSubscribedAppRule>` (wire.md §7.3–§7.4;
 * frameworks.md §4.3 step 2) held locally — Credential-ID patterns (`applicableCredIDs`;
 * absent = the rule for registrations without an SA), App-ID patterns, allowed AE-ID-Stem
 * patterns and Role-IDs. Patterns carry wildcards, so matching is a pure function in the
 * service; the store only lists rules.
 */
import type { RepoContext } from './context.js'
import { StoreError } from './errors.js'
import { guarded } from './guard.js'
import { decodeList, encodeList, fromMs, toMs } from './row-codec.js'
import type { AppRuleRow } from './schema.js'

export interface AppRule {
  readonly ruleId: string
  /** `apci`; undefined = applies to registrations without a security association. */
  readonly applicableCredIds?: readonly string[]
  /** `aai` */
  readonly allowedAppIds: readonly string[]
  /** `aae` */
  readonly allowedAes: readonly string[]
  /** `ari` */
  readonly allowedRoleIds: readonly string[]
}

export interface AppRuleRecord extends AppRule {
  readonly createdAt: Date
}

export interface AppRuleRepo {
  /** Inserts or replaces the rule `ruleId`. */
  put(rule: AppRule): Promise<void>
  get(ruleId: string): Promise<AppRuleRecord | undefined>
  list(): Promise<readonly AppRuleRecord[]>
  /** @throws StoreError M2MSEC_STORE_NOT_FOUND */
  delete(ruleId: string): Promise<void>
}

function decode(row: AppRuleRow): AppRuleRecord {
  return {
    ruleId: row.rule_id,
    ...(row.applicable_cred_ids_json === null ? {} : { applicableCredIds: decodeList(row.applicable_cred_ids_json, 'app_rules.applicable_cred_ids_json') }),
    allowedAppIds: decodeList(row.allowed_app_ids_json, 'app_rules.allowed_app_ids_json'),
    allowedAes: decodeList(row.allowed_aes_json, 'app_rules.allowed_aes_json'),
    allowedRoleIds: decodeList(row.allowed_role_ids_json, 'app_rules.allowed_role_ids_json'),
    createdAt: fromMs(row.created_at),
  }
}

export function appRuleRepo(ctx: RepoContext): AppRuleRepo {
  const { db } = ctx
  return {
    put: (r) => guarded('write app rule', async () => {
      const values = {
        applicable_cred_ids_json: r.applicableCredIds === undefined ? null : encodeList(r.applicableCredIds),
        allowed_app_ids_json: encodeList(r.allowedAppIds),
        allowed_aes_json: encodeList(r.allowedAes),
        allowed_role_ids_json: encodeList(r.allowedRoleIds),
      }
      await db.insertInto('app_rules').values({ rule_id: r.ruleId, created_at: toMs(ctx.clock()), ...values })
        .onConflict((oc) => oc.column('rule_id').doUpdateSet(values)).execute()
    }),
    get: (ruleId) => guarded('read app rule', async () => {
      const row = await db.selectFrom('app_rules').selectAll().where('rule_id', '=', ruleId).executeTakeFirst()
      return row === undefined ? undefined : decode(row)
    }),
    list: () => guarded('list app rules', async () => (await db.selectFrom('app_rules').selectAll().orderBy('rule_id').execute()).map(decode)),
    delete: (ruleId) => guarded('delete app rule', async () => {
      const result = await db.deleteFrom('app_rules').where('rule_id', '=', ruleId).executeTakeFirst()
      if (Number(result.numDeletedRows) === 0) throw new StoreError('M2MSEC_STORE_NOT_FOUND', 'not-found', `no app rule ${ruleId}`)
    }),
  }
}
