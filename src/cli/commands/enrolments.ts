/**
 * `m2msec enrolments list [--enrolee X] [--json]`: the MEF's live enrolments — KeID, enrolee,
 * created, expiry (frameworks.md §10.3, §18) — one page at a time; metadata only, never Ke
 * (issue 5 "Operator side"). Exit status 0, or 1 on an error.
 */
import type { Command } from 'commander'
import { listEnrolments } from '../../services/mef/operator/index.js'
import { DEFAULT_DATA_DIR, ENROLMENT_HEADER, enrolmentRows, formatTable, parseLimit, withStore } from './enrolee.js'
import type { OperatorCommandDeps } from './enrolee.js'

interface ListOptions {
  readonly dataDir: string
  readonly enrolee?: string
  readonly limit?: number
  readonly cursor?: string
  readonly json: boolean
}

/** Adds `enrolments list` to `program`. */
export function registerEnrolmentCommands(program: Command, deps: OperatorCommandDeps = {}): void {
  const enrolments = program.command('enrolments').description('inspect enrolments (Ke/KeID) the MEF holds — metadata only')
  enrolments
    .command('list')
    .description('list live enrolments: KeID, enrolee, created, expiry (never key bytes)')
    .option('--data-dir <dir>', 'data directory of the embedded store', DEFAULT_DATA_DIR)
    .option('--enrolee <enrolee>', 'only this enrolee (reference, KpmID or certificate identity)')
    .option('--limit <n>', 'enrolments per page (1-1000, default 100)', parseLimit)
    .option('--cursor <cursor>', 'continue after the page that printed this cursor')
    .option('--json', 'print { items, nextCursor } as JSON', false)
    .action(async (options: ListOptions) => {
      const now = (deps.now ?? (() => new Date()))()
      const page = await withStore(deps, options.dataDir, false, (store) => listEnrolments(store, {
        ...(options.enrolee === undefined ? {} : { enrolee: options.enrolee }),
        ...(options.limit === undefined ? {} : { limit: options.limit }),
        ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
      }, now))
      if (options.json) return void console.log(JSON.stringify(page))
      console.log(formatTable(ENROLMENT_HEADER, enrolmentRows(page.items)))
      if (page.nextCursor !== undefined) console.log(`more: --cursor '${page.nextCursor}'`)
    })
}
