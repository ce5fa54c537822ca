/**
 * The two file formats of `enrolee import` (issue 5: "CSV or JSON, thousands of rows"), turned
 * into one row list with the line each row starts on. A file that cannot be read as a whole
 * (unknown CSV column, unclosed quote, not a JSON array) is refused before anything is written;
 * a row that is merely wrong becomes a rejected row and the others go on.
 *
 * CSV: a header line naming columns (any order; only `enrolment_expiry` is required):
 *   kpm_id, kpm, trust_anchor_pem, expected_identity, enrolee_id, enrolment_expiry, targets
 * `targets` is a ";"-separated list of SUID:TARGET-ID[:derivation=FQDN][:lifetime=DURATION];
 * an empty cell means "not given"; a PEM goes in a double-quoted cell.
 * JSON: an array of objects with the EnroleeInput fields (kpmId, kpm, trustAnchorPem,
 * expectedIdentity, enroleeId, enrolmentExpiry, targets: [ {targetId, suid, derivationId?,
 * keyLifetime?} | "SUID:TARGET-ID…" ]).
 */
import { parseCsv } from './csv.js'
import { enroleeInputFromJson } from './enrolee-input.js'
import type { EnroleeInput } from './enrolee-input.js'
import { parseTargetList } from './enrolment-target.js'
import { OperatorError, invalidField } from './errors.js'

export type ImportFormat = 'csv' | 'json'

/** One data row: its input, or why it could not even be read. */
export interface ImportRow {
  /** 1-based position among the data rows. */
  readonly row: number
  /** 1-based line of the file where the row starts. */
  readonly line: number
  readonly input?: EnroleeInput
  readonly error?: OperatorError
}

export const CSV_COLUMNS = {
  kpm_id: 'kpmId',
  kpm: 'kpm',
  trust_anchor_pem: 'trustAnchorPem',
  expected_identity: 'expectedIdentity',
  enrolee_id: 'enroleeId',
  enrolment_expiry: 'enrolmentExpiry',
  targets: 'targets',
} as const
type CsvColumn = keyof typeof CSV_COLUMNS

export const IMPORT_MAX_CHARS = 256 * 1024 * 1024
export const IMPORT_MAX_ROWS = 1_000_000

function malformed(message: string): OperatorError {
  return new OperatorError('M2MSEC_ENROLEE_IMPORT_MALFORMED', 'bad-input', message)
}

function isColumn(name: string): name is CsvColumn {
  return Object.hasOwn(CSV_COLUMNS, name)
}

function csvRowInput(columns: readonly CsvColumn[], fields: readonly string[]): EnroleeInput {
  if (fields.length !== columns.length) throw invalidField('row', `has ${fields.length} fields; the header has ${columns.length}`)
  const input: Record<string, unknown> = { enrolmentExpiry: '' }
  columns.forEach((column, i) => {
    const value = fields[i] ?? ''
    if (value === '') return
    input[CSV_COLUMNS[column]] = column === 'targets' ? parseTargetList(value) : value
  })
  return input as unknown as EnroleeInput
}

function rowOf(row: number, line: number, read: () => EnroleeInput): ImportRow {
  try {
    return { row, line, input: read() }
  } catch (error) {
    if (error instanceof OperatorError) return { row, line, error }
    throw error
  }
}

function parseCsvRows(text: string): ImportRow[] {
  const parsed = parseCsv(text)
  if (!parsed.ok) throw malformed(`CSV line ${parsed.line}: ${parsed.problem}`)
  const [header, ...records] = parsed.records
  if (header === undefined) throw malformed('the CSV file is empty (a header line is required)')
  const names = header.fields.map((f) => f.trim())
  const unknown = names.findIndex((n) => !isColumn(n))
  if (unknown >= 0) {
    // A file without its header line puts a data row here, Kpm included: name the column, echo it only when it looks like a column name.
    const name = names[unknown] ?? ''
    const shown = /^[a-z_]{1,32}$/.test(name) ? ` ${JSON.stringify(name)}` : ''
    throw malformed(`unknown CSV column ${unknown + 1}${shown} of the header line (known: ${Object.keys(CSV_COLUMNS).join(', ')})`)
  }
  const columns = names.filter(isColumn)
  const repeated = columns.find((c, i) => columns.indexOf(c) !== i)
  if (repeated !== undefined) throw malformed(`CSV column ${repeated} appears twice`)
  if (!columns.includes('enrolment_expiry')) throw malformed('the CSV header lacks the enrolment_expiry column')
  if (records.length > IMPORT_MAX_ROWS) throw malformed(`more than ${IMPORT_MAX_ROWS} rows`)
  return records.map((r, i) => rowOf(i + 1, r.line, () => csvRowInput(columns, r.fields)))
}

/** Line on which each top-level array element starts (JSON.parse keeps no positions). */
function elementLines(text: string): number[] {
  const lines: number[] = []
  let line = 1
  let depth = 0
  let inString = false
  let expectValue = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '\n') line++
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
      continue
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') continue
    if (depth === 1 && expectValue && c !== ']') { lines.push(line); expectValue = false }
    if (c === '"') inString = true
    else if (c === '[' || c === '{') { depth++; if (depth === 1) expectValue = true }
    else if (c === ']' || c === '}') depth--
    else if (c === ',' && depth === 1) expectValue = true
  }
  return lines
}

function parseJsonRows(text: string): ImportRow[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw malformed('the file is not valid JSON')
  }
  if (!Array.isArray(value)) throw malformed('a JSON import file is an array of enrolee objects')
  if (value.length > IMPORT_MAX_ROWS) throw malformed(`more than ${IMPORT_MAX_ROWS} rows`)
  const lines = elementLines(text)
  return value.map((element: unknown, i) => rowOf(i + 1, lines[i] ?? 0, () => enroleeInputFromJson(element)))
}

/**
 * Reads an import file's text into rows.
 * @throws OperatorError M2MSEC_ENROLEE_IMPORT_MALFORMED when the file as a whole is unreadable.
 */
export function parseImportFile(text: string, format: ImportFormat): readonly ImportRow[] {
  if (text.length > IMPORT_MAX_CHARS) throw malformed(`the file is larger than ${IMPORT_MAX_CHARS} characters`)
  return format === 'csv' ? parseCsvRows(text) : parseJsonRows(text)
}

/** The format a file name implies (`.csv`, `.json`), or undefined. */
export function importFormatOf(fileName: string): ImportFormat | undefined {
  const lower = fileName.toLowerCase()
  return lower.endsWith('.csv') ? 'csv' : lower.endsWith('.json') ? 'json' : undefined
}
