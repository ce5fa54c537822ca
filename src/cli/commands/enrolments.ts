/**
 * `m2msec enrolments list [--enrolee X] [--json]`: the MEF's live enrolments — KeID, enrolee,
 * created, expiry (frameworks.md §10.3, §18) — one page at a time; metadata only, never Ke
 * (issue 5 "Operator side"), from the local data directory or the admin API with `--server`
 * (issue 8). Exit status 0, or 1 on an error.
 */
import type { Command } from 'commander'
import { addServerOptions, type RemoteOptions } from '../admin-client.js'
import { enroleeBackend } from '../operator-backend/enrolee-backend.js'
import { DEFAULT_DATA_DIR, type OperatorCommandDeps } from '../operator-backend/local-store.js'
import { ENROLMENT_HEADER, enrolmentRows, formatTable, parseLimit } from './enrolee-output.js'

interface ListOptions extends RemoteOptions {
  readonly enrolee?: string
  readonly limit?: number
  readonly cursor?: string
  readonly json: boolean
}

/** Adds `enrolments list` to `program`. */
export function registerEnrolmentCommands(program: Command, deps: OperatorCommandDeps = {}): void {
  const enrolments = program.command('enrolments').description('inspect enrolments (Ke/KeID) the MEF holds — metadata only')
  addServerOptions(enrolments
    .command('list')
    .description('list live enrolments: KeID, enrolee, created, expiry (never key bytes)')
    .option('--data-dir <dir>', 'data directory of the embedded store', DEFAULT_DATA_DIR)
    .option('--enrolee <enrolee>', 'only this enrolee (reference, KpmID or certificate identity)')
    .option('--limit <n>', 'enrolments per page (1-1000, default 100)', parseLimit)
    .option('--cursor <cursor>', 'continue after the page that printed this cursor')
    .option('--json', 'print { items, nextCursor } as JSON', false))
    .action(async (options: ListOptions) => {
      const page = await enroleeBackend(deps, options).listEnrolments({
        ...(options.enrolee === undefined ? {} : { enrolee: options.enrolee }),
        ...(options.limit === undefined ? {} : { limit: options.limit }),
        ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
      })
      if (options.json) return void console.log(JSON.stringify(page))
      console.log(formatTable(ENROLMENT_HEADER, enrolmentRows(page.items)))
      if (page.nextCursor !== undefined) console.log(`more: --cursor '${page.nextCursor}'`)
    })
}
