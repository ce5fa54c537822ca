/**
 * How the enrolee and enrolment commands print (issue 5 "Operator side"): aligned tables, the
 * detail view of one enrolee, the import progress bar and its rejected rows. Every cell comes from
 * a view that carries no key material, so nothing printed here can hold a Kpm or a Ke.
 */
import { InvalidArgumentError } from 'commander'
import type { EnroleeView, EnrolmentView, ImportProgress, RejectedRow } from '../../services/mef/operator/index.js'

/** Left-aligned columns; cells never hold key material (views carry none). */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

export function parseLimit(value: string): number {
  if (!/^[1-9][0-9]{0,3}$/.test(value)) throw new InvalidArgumentError('expected an integer from 1 to 1000')
  return Number(value)
}


function targetsText(e: EnroleeView): string {
  return e.targets.map((t) => `${t.suid}:${t.targetId}`).join(' ') || '-'
}

export function enroleeRow(e: EnroleeView): string[] {
  return [e.enroleeRef, e.status, e.credentialKind, e.expectedIdentity ?? e.credentialIdentity, e.enroleeId ?? '-', e.enrolmentExpiry, targetsText(e)]
}
export const ENROLEE_HEADER = ['REF', 'STATUS', 'KIND', 'IDENTITY', 'ENROLEE-ID', 'EXPIRY', 'TARGETS']

export function enrolmentRows(items: readonly EnrolmentView[]): string[][] {
  return items.map((e) => [e.keId, e.enroleeRef, e.createdAt.toISOString(), e.expiresAt.toISOString()])
}
export const ENROLMENT_HEADER = ['KEID', 'ENROLEE', 'CREATED', 'EXPIRES']

export function printEnrolee(e: EnroleeView): void {
  const fields: [string, string][] = [
    ['reference', e.enroleeRef],
    ['status', e.status],
    ['credential', e.credentialKind],
    [e.credentialKind === 'psk' ? 'KpmID' : 'identity', e.expectedIdentity ?? e.credentialIdentity],
    ['Enrolee-ID', e.enroleeId ?? '-'],
    ['enrolment expiry', e.enrolmentExpiry],
    ['created', e.createdAt.toISOString()],
    ['updated', e.updatedAt.toISOString()],
  ]
  const width = Math.max(...fields.map(([k]) => k.length))
  for (const [k, v] of fields) console.log(`${k.padEnd(width)}  ${v}`)
  console.log('targets:')
  if (e.targets.length === 0) console.log('  (none)')
  for (const t of e.targets) {
    const extra = [t.derivationId === undefined ? '' : ` derivation=${t.derivationId}`, t.keyLifetimeMs === undefined ? '' : ` key-lifetime=${t.keyLifetimeMs}ms`].join('')
    console.log(`  SUID ${t.suid}  ${t.targetId}${extra}`)
  }
  if (e.trustAnchorPem !== undefined) console.log(`trust anchor:\n${e.trustAnchorPem.trimEnd()}`)
}

/** A one-line bar on a TTY, redrawn in place: `[#####-----] 2500/5000 50% imported 2490 rejected 10`. */
export function progressLine(p: ImportProgress, width = 30): string {
  const ratio = p.total === 0 ? 1 : p.done / p.total
  const filled = Math.round(ratio * width)
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.done}/${p.total} ${Math.floor(ratio * 100)}% imported ${p.imported} rejected ${p.rejected}`
}

export function printRejected(rejected: readonly RejectedRow[]): void {
  console.error(`rejected rows (${rejected.length}):`)
  console.error(formatTable(['LINE', 'ROW', 'CODE', 'PROBLEM'], rejected.map((r) => [String(r.line), String(r.row), r.code, r.message])))
}

