/**
 * `m2msec enrolee add | import | list | show | update | remove | revoke`: the operator's side of
 * the MEF (issue 5 "Operator side"; frameworks.md §10.1 MEF instruction config, §11 enrolee
 * certificate information). Thin: parses options, calls the enrolee backend — the MEF operator
 * functions on the local data directory, or the admin API with `--server` (issue 8) — and prints a
 * table (or JSON with --json), the same either way. A Kpm is read from a file (or, discouraged, an
 * option), sent only in the request body when remote, and never printed.
 *
 * Exit status: 0 done; 1 an error, or — for `import` — at least one row rejected (the others are
 * stored); commander's usage errors keep their own status.
 */
import { readFileSync } from 'node:fs'
import { InvalidArgumentError } from 'commander'
import type { Command } from 'commander'
import { importFormatOf, CSV_COLUMNS } from '../../services/mef/operator/index.js'
import type { ImportFormat, ImportProgress } from '../../services/mef/operator/index.js'
import { addServerOptions, type RemoteOptions } from '../admin-client.js'
import { enroleeBackend, type EnroleeAddInput } from '../operator-backend/enrolee-backend.js'
import { DEFAULT_DATA_DIR, type OperatorCommandDeps } from '../operator-backend/local-store.js'
import { collect } from '../options.js'
import { ENROLEE_HEADER, ENROLMENT_HEADER, enroleeRow, enrolmentRows, formatTable, parseLimit, printEnrolee, printRejected, progressLine } from './enrolee-output.js'
import { registerEnroleeChanges } from './enrolee-changes.js'

export { DEFAULT_DATA_DIR } from '../operator-backend/local-store.js'
export type { OperatorCommandDeps } from '../operator-backend/local-store.js'
export { formatTable, parseLimit } from './enrolee-output.js'

interface AddOptions extends RemoteOptions {
  readonly kpmId?: string
  readonly kpm?: string
  readonly kpmFile?: string
  readonly trustAnchor?: string
  readonly expectedIdentity?: string
  readonly enroleeId?: string
  readonly expiry: string
  readonly target: readonly string[]
  readonly json: boolean
}

function readKpm(options: AddOptions): string | undefined {
  if (options.kpm !== undefined && options.kpmFile !== undefined) throw new InvalidArgumentError('give --kpm-file or --kpm, not both')
  if (options.kpm !== undefined) {
    console.error('warning: --kpm puts the key into your shell history and the process list; prefer --kpm-file')
    return options.kpm
  }
  return options.kpmFile === undefined ? undefined : readFileSync(options.kpmFile, 'utf8').trim()
}

async function runAdd(deps: OperatorCommandDeps, options: AddOptions): Promise<void> {
  const kpm = readKpm(options)
  const input: EnroleeAddInput = {
    enrolmentExpiry: options.expiry,
    targets: options.target,
    ...(options.kpmId === undefined ? {} : { kpmId: options.kpmId }),
    ...(kpm === undefined ? {} : { kpm }),
    ...(options.trustAnchor === undefined ? {} : { trustAnchorPem: readFileSync(options.trustAnchor, 'utf8') }),
    ...(options.expectedIdentity === undefined ? {} : { expectedIdentity: options.expectedIdentity }),
    ...(options.enroleeId === undefined ? {} : { enroleeId: options.enroleeId }),
  }
  const view = await enroleeBackend(deps, options).add(input)
  if (options.json) console.log(JSON.stringify(view))
  else console.log(`enrolee ${view.enroleeRef} added (${view.credentialKind} ${view.expectedIdentity ?? view.credentialIdentity})`)
}

interface ImportCliOptions extends RemoteOptions {
  readonly format?: ImportFormat
  readonly batchSize?: number
  readonly json: boolean
}

async function runImport(deps: OperatorCommandDeps, file: string, options: ImportCliOptions): Promise<void> {
  const format = options.format ?? importFormatOf(file)
  if (format === undefined) throw new InvalidArgumentError('cannot tell the format from the file name: use --format csv|json')
  const content = readFileSync(file, 'utf8')
  const sink = deps.progress ?? process.stderr
  const bar = sink.isTTY === true && !options.json
  const { rows, ...result } = await enroleeBackend(deps, options).import({
    content, format,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(bar ? { onProgress: (p: ImportProgress) => void sink.write(`\r${progressLine(p)}`) } : {}),
  })
  if (bar) sink.write('\n')
  if (options.json) console.log(JSON.stringify({ rows, ...result }))
  else {
    console.log(`imported ${result.imported} of ${rows} rows; rejected ${result.rejected.length}`)
    if (result.rejected.length > 0) printRejected(result.rejected)
  }
  if (result.rejected.length > 0) process.exitCode = 1
}

function parseFormat(value: string): ImportFormat {
  if (value !== 'csv' && value !== 'json') throw new InvalidArgumentError('expected csv or json')
  return value
}

function parseBatch(value: string): number {
  if (!/^[1-9][0-9]{0,3}$/.test(value) || Number(value) > 5000) throw new InvalidArgumentError('expected an integer from 1 to 5000')
  return Number(value)
}

const IMPORT_HELP = `
File formats (chosen by extension, or --format):
  CSV   header line, then one enrolee per line; columns in any order:
          ${Object.keys(CSV_COLUMNS).join(',')}
        only enrolment_expiry is required; an empty cell means "not given".
        targets: ";"-separated SUID:TARGET-ID[:derivation=FQDN][:lifetime=DURATION]
        a PEM trust anchor goes in a double-quoted cell (line breaks allowed).
        example:
          kpm_id,kpm,enrolment_expiry,enrolee_id,targets
          dev-0001@mef.example.com,9f3c…(hex or base64),30d,//sp.example.com/Sdev0001,21:maf.example.com;22://sp.example.com/CSE-B01
  JSON  an array of objects: { kpmId, kpm, trustAnchorPem, expectedIdentity, enroleeId,
        enrolmentExpiry, targets: [ { targetId, suid, derivationId?, keyLifetime? } | "SUID:TARGET-ID…" ] }

Every row is checked on its own; a bad row is reported (line, code, problem) and never stops
or half-applies the others. A progress bar is drawn on stderr when it is a terminal.
Exit status: 0 every row imported, 1 some rows rejected (the rest are stored) or an error.`

const ADD_HELP = `
Credential (one of):
  --kpm-id ID with --kpm-file FILE (or --kpm KEY)   pre-provisioned symmetric key RSPF;
        the key as hex or base64 text, 16-64 random bytes; it is never printed
  --trust-anchor PEM-FILE with --expected-identity ID   certificate RSPF; ID is one of
        ae-id://sp/…  cse-id://sp/CSE  cse-id:<public domain name>  node-id:<id>  device:<oid>:<serial hex>
Targets (repeatable --target): SUID:TARGET-ID[:derivation=FQDN][:lifetime=DURATION]
  21:<MAF FQDN>   22:<absolute CSE-ID or AE-ID>   (an AE target needs derivation=FQDN)
Durations: 30d, 24h, 90m, 2w, P30D, PT24H.`

function registerAdd(enrolee: Command, deps: OperatorCommandDeps): void {
  const add = enrolee
    .command('add')
    .description('register an enrolee (KpmID + Kpm, or certificate information) with its enrolment targets')
    .option('--data-dir <dir>', 'data directory of the embedded store', DEFAULT_DATA_DIR)
    .option('--kpm-id <id>', 'KpmID the device presents as psk_identity')
    .option('--kpm-file <file>', 'file holding the Kpm as hex or base64 text')
    .option('--kpm <key>', 'the Kpm as hex or base64 (lands in shell history: prefer --kpm-file)')
    .option('--trust-anchor <pem-file>', 'CA certificate(s) the enrolee certificate must chain to')
    .option('--expected-identity <id>', 'identity the enrolee certificate must carry (see below)')
    .option('--enrolee-id <id>', 'Enrolee-ID (absolute CSE-ID or AE-ID) handed to targets with a key')
    .requiredOption('--expiry <duration>', 'enrolment expiry: lifetime of each Ke (e.g. 30d, PT24H)')
    .option('--target <spec>', 'allowed enrolment target (repeatable)', collect, [])
    .option('--json', 'print the stored enrolee as JSON', false)
    .addHelpText('after', ADD_HELP)
  addServerOptions(add).action(async (options: AddOptions) => runAdd(deps, options))
}

function registerImport(enrolee: Command, deps: OperatorCommandDeps): void {
  const command = enrolee
    .command('import <file>')
    .description('register many enrolees from a CSV or JSON file')
    .option('--data-dir <dir>', 'data directory of the embedded store', DEFAULT_DATA_DIR)
    .option('--format <format>', 'csv or json (default: from the file extension)', parseFormat)
    .option('--batch-size <n>', 'rows per transaction (default 250; local data directory only)', parseBatch)
    .option('--json', 'print the result as one JSON object (no progress bar)', false)
    .addHelpText('after', IMPORT_HELP)
  addServerOptions(command).action(async (file: string, options: ImportCliOptions) => runImport(deps, file, options))
}

function registerQueries(enrolee: Command, deps: OperatorCommandDeps): void {
  addServerOptions(enrolee
    .command('list')
    .description('list enrolees, one page at a time')
    .option('--data-dir <dir>', 'data directory of the embedded store', DEFAULT_DATA_DIR)
    .option('--limit <n>', 'enrolees per page (1-1000, default 100)', parseLimit)
    .option('--cursor <cursor>', 'continue after the page that printed this cursor')
    .option('--json', 'print { items, nextCursor } as JSON', false))
    .action(async (options: RemoteOptions & { limit?: number; cursor?: string; json: boolean }) => {
      const page = await enroleeBackend(deps, options).list({
        ...(options.limit === undefined ? {} : { limit: options.limit }),
        ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
      })
      if (options.json) return void console.log(JSON.stringify(page))
      console.log(formatTable(ENROLEE_HEADER, page.items.map(enroleeRow)))
      if (page.nextCursor !== undefined) console.log(`more: --cursor ${page.nextCursor}`)
    })
  addServerOptions(enrolee
    .command('show <enrolee>')
    .description('show one enrolee (by reference, KpmID or certificate identity) and its enrolments')
    .option('--data-dir <dir>', 'data directory of the embedded store', DEFAULT_DATA_DIR)
    .option('--json', 'print { enrolee, enrolments } as JSON', false))
    .action(async (selector: string, options: RemoteOptions & { json: boolean }) => {
      const details = await enroleeBackend(deps, options).show(selector)
      if (options.json) return void console.log(JSON.stringify(details))
      printEnrolee(details.enrolee)
      console.log(`enrolments (${details.enrolments.length}):`)
      if (details.enrolments.length > 0) console.log(formatTable(ENROLMENT_HEADER, enrolmentRows(details.enrolments)))
    })
}

/** Adds `enrolee add|import|list|show|update|remove|revoke` to `program`. */
export function registerEnroleeCommands(program: Command, deps: OperatorCommandDeps = {}): void {
  const enrolee = program.command('enrolee').description('manage the enrolees an MEF knows (PPSK and certificate RSPF)')
  registerAdd(enrolee, deps)
  registerImport(enrolee, deps)
  registerQueries(enrolee, deps)
  registerEnroleeChanges(enrolee, deps)
}
