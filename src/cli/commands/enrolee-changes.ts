/**
 * `m2msec enrolee update | remove | revoke`: changes to an enrolee that already exists
 * (frameworks.md §10.1 MEF instruction config), on the local data directory or through the admin
 * API with `--server` (issue 8). `update` changes only the Enrolment Expiry, the target list and the
 * Enrolee-ID — never the credential; `remove` forgets the enrolee, its Kpm and its enrolments;
 * `revoke` keeps the enrolee, refuses its Kpm from now on and deletes its enrolments.
 */
import type { Command } from 'commander'
import type { EnroleeUpdate } from '../../services/mef/operator/index.js'
import { addServerOptions, type RemoteOptions } from '../admin-client.js'
import { enroleeBackend } from '../operator-backend/enrolee-backend.js'
import type { OperatorCommandDeps } from '../operator-backend/local-store.js'
import { collect, UsageError } from '../options.js'
import { DEFAULT_DATA_DIR } from '../operator-backend/local-store.js'
import { printEnrolee } from './enrolee-output.js'

interface UpdateOptions extends RemoteOptions {
  readonly expiry?: string
  readonly target: readonly string[]
  readonly noTargets?: boolean
  /** commander's `--enrolee-id` / `--no-enrolee-id` pair: a string, false, or absent. */
  readonly enroleeId?: string | false
  readonly json: boolean
}

/** The update the options describe. @throws UsageError when they describe none, or contradict each other. */
export function updateOf(options: Omit<UpdateOptions, keyof RemoteOptions | 'json'>): EnroleeUpdate {
  if (options.noTargets === true && options.target.length > 0) throw new UsageError('give --target or --no-targets, not both')
  const targets = options.noTargets === true ? [] : options.target.length > 0 ? options.target : undefined
  const update: EnroleeUpdate = {
    ...(options.expiry === undefined ? {} : { enrolmentExpiry: options.expiry }),
    ...(targets === undefined ? {} : { targets }),
    ...(options.enroleeId === undefined ? {} : { enroleeId: options.enroleeId === false ? null : options.enroleeId }),
  }
  if (Object.keys(update).length === 0) throw new UsageError('nothing to update: give --expiry, --target, --no-targets, --enrolee-id or --no-enrolee-id')
  return update
}

/** Adds `update`, `remove` and `revoke` under `enrolee`. */
export function registerEnroleeChanges(enrolee: Command, deps: OperatorCommandDeps): void {
  addServerOptions(enrolee
    .command('update <enrolee>')
    .description('change the enrolment expiry, the targets or the Enrolee-ID of an enrolee (never its credential)')
    .option('--data-dir <dir>', 'data directory of the embedded store', DEFAULT_DATA_DIR)
    .option('--expiry <duration>', 'new enrolment expiry (e.g. 30d, PT24H)')
    .option('--target <spec>', 'the new target list, replacing the old one (repeatable): SUID:TARGET-ID[:derivation=FQDN][:lifetime=DURATION]', collect, [])
    .option('--no-targets', 'remove every target')
    .option('--enrolee-id <id>', 'new Enrolee-ID (absolute CSE-ID or AE-ID)')
    .option('--no-enrolee-id', 'remove the Enrolee-ID')
    .option('--json', 'print the updated enrolee as JSON', false))
    .action(async (selector: string, options: UpdateOptions & { targets?: boolean }) => {
      // commander stores --no-targets as `targets: false`.
      const update = updateOf({ ...options, noTargets: options.targets === false })
      const view = await enroleeBackend(deps, options).update(selector, update)
      if (options.json) return void console.log(JSON.stringify(view))
      console.log(`enrolee ${view.enroleeRef} updated`)
      printEnrolee(view)
    })
  addServerOptions(enrolee
    .command('remove <enrolee>')
    .description('delete an enrolee with its Kpm and its enrolments (revoke keeps the record; remove forgets it)')
    .option('--data-dir <dir>', 'data directory of the embedded store', DEFAULT_DATA_DIR)
    .option('--json', 'print the result as JSON', false))
    .action(async (selector: string, options: RemoteOptions & { json: boolean }) => {
      const result = await enroleeBackend(deps, options).remove(selector)
      if (options.json) return void console.log(JSON.stringify(result))
      console.log(`enrolee ${result.enrolee.enroleeRef} removed; ${result.deletedKeIds.length} enrolment(s) deleted`)
      for (const keId of result.deletedKeIds) console.log(`  ${keId}`)
    })
  addServerOptions(enrolee
    .command('revoke <enrolee>')
    .description('revoke an enrolee: its Kpm stops working at once and its enrolments (KeIDs) are deleted')
    .option('--data-dir <dir>', 'data directory of the embedded store', DEFAULT_DATA_DIR)
    .option('--json', 'print the result as JSON', false))
    .action(async (selector: string, options: RemoteOptions & { json: boolean }) => {
      const result = await enroleeBackend(deps, options).revoke(selector)
      if (options.json) return void console.log(JSON.stringify(result))
      const state = result.alreadyRevoked ? 'was already revoked' : 'revoked'
      console.log(`enrolee ${result.enrolee.enroleeRef} ${state}; ${result.revokedKeIds.length} enrolment(s) deleted`)
      for (const keId of result.revokedKeIds) console.log(`  ${keId}`)
    })
}
