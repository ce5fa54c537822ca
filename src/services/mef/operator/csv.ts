/**
 * A small RFC 4180 CSV reader for `enrolee import`: comma-separated fields, double-quoted fields
 * may hold commas, quotes (doubled) and line breaks (a PEM trust anchor), CRLF or LF line ends.
 * Each record carries the physical line it starts on, so a rejected row is reported where the
 * operator's editor shows it. No dependency: this is the whole grammar.
 */

export interface CsvRecord {
  /** 1-based line on which the record starts. */
  readonly line: number
  readonly fields: readonly string[]
}

export type CsvResult = { readonly ok: true; readonly records: readonly CsvRecord[] } | { readonly ok: false; readonly line: number; readonly problem: string }

/** Splits `text` into records; a quote left open is the one error that stops the whole file. */
export function parseCsv(text: string): CsvResult {
  const records: CsvRecord[] = []
  let fields: string[] = []
  let field = ''
  let line = 1
  let start = 1
  let quoted = false
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  const endRecord = (): void => {
    fields.push(field)
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields })
    fields = []
    field = ''
  }
  for (; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++ }
      else if (c === '"') quoted = false
      else { if (c === '\n') line++; field += c }
    } else if (c === '"' && field === '') quoted = true
    else if (c === ',') { fields.push(field); field = '' }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      endRecord()
      line++
      start = line
    } else field += c
  }
  if (quoted) return { ok: false, line: start, problem: 'a quoted field is not closed' }
  if (field !== '' || fields.length > 0) endRecord()
  return { ok: true, records }
}
