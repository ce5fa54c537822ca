/**
 * The query component of a oneM2M HTTP request (TS-0009 §6.2.2.2, Table 6.2.2.2-1): request
 * parameters, Filter Criteria members, attribute conditions (`name=value`, `c.name` for
 * childAttribute, `p.name` for parentAttribute) and `atrl` for partial retrieve. List values
 * are `+`-joined or repeated; a literal `+` inside a value is percent-encoded.
 */
import { clip, malformed, tooLarge } from './errors.js'
import type { OneM2mLimits } from './limits.js'
import type { AttributeCondition, FilterCriteria } from './primitive.js'

export interface QueryParameters {
  readonly rt?: number
  readonly rp?: string
  readonly rcn?: number
  readonly da?: boolean
  readonly drt?: number
  readonly tqi?: boolean
  readonly rids?: readonly string[]
  readonly tids?: readonly string[]
  readonly ltids?: readonly string[]
  readonly atrl?: readonly string[]
  readonly fc?: FilterCriteria
}

type FieldKind = 'int' | 'bool' | 'text' | 'texts' | 'ints'

const REQUEST_FIELDS: Readonly<Record<string, FieldKind>> = {
  rt: 'int', rp: 'text', rcn: 'int', da: 'bool', drt: 'int', tqi: 'bool',
  rids: 'texts', tids: 'texts', ltids: 'texts', atrl: 'texts',
}
const FILTER_FIELDS: Readonly<Record<string, FieldKind>> = {
  crb: 'text', cra: 'text', ms: 'text', us: 'text', sts: 'int', stb: 'int', exb: 'text', exa: 'text',
  lbl: 'texts', ty: 'ints', sza: 'int', szb: 'int', cty: 'texts', lim: 'int', fu: 'int', smf: 'texts',
  fo: 'int', cfs: 'int', cfq: 'text', lvl: 'int', ofst: 'int',
}
// TS-0009 lists these indicators; the features behind them are not implemented here, and
// wire.md §1.1 lets a receiver ignore them rather than read them as attribute conditions.
const IGNORED_FIELDS: ReadonlySet<string> = new Set(['asi', 'auri', 'sqi'])
const ATTRIBUTE_NAME_RE = /^[A-Za-z][A-Za-z0-9]{0,31}$/

function decode(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch (cause) {
    throw malformed(`query part '${clip(part)}' has a bad percent-encoding`, { cause })
  }
}

function convert(name: string, kind: FieldKind, raw: readonly string[]): number | boolean | string | readonly string[] | readonly number[] {
  const multi = kind === 'texts' || kind === 'ints'
  if (!multi && raw.length > 1) throw malformed(`query field '${name}' appears more than once`)
  const values = multi ? raw.flatMap((r) => r.split('+')).map(decode) : raw.map(decode)
  const toInt = (v: string): number => {
    if (!/^\d{1,15}$/.test(v)) throw malformed(`query field '${name}' must be a non-negative integer`)
    return Number(v)
  }
  const first = values[0] as string
  switch (kind) {
    case 'int':
      return toInt(first)
    case 'bool':
      if (first === 'true' || first === '1') return true
      if (first === 'false' || first === '0') return false
      throw malformed(`query field '${name}' must be true, false, 1 or 0`)
    case 'text':
      return first
    case 'texts':
      return values
    case 'ints':
      return values.map(toInt)
  }
}

function splitQuery(query: string, limits: OneM2mLimits): [string, string][] {
  if (query === '') return []
  const pairs = query.split('&')
  if (pairs.length > limits.maxQueryFields) throw tooLarge(`query has ${pairs.length} fields, limit is ${limits.maxQueryFields}`)
  return pairs.map((pair) => {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw malformed(`query field '${clip(pair)}' is not name=value`)
    return [decode(pair.slice(0, eq)), pair.slice(eq + 1)]
  })
}

function conditionsOf(name: string, raw: readonly string[]): { list: 'atr' | 'catr' | 'patr'; items: AttributeCondition[] } {
  const list = name.startsWith('c.') ? 'catr' : name.startsWith('p.') ? 'patr' : 'atr'
  const nm = list === 'atr' ? name : name.slice(2)
  if (!ATTRIBUTE_NAME_RE.test(nm)) throw malformed(`query field '${clip(name)}' is neither a parameter nor an attribute short name`)
  return { list, items: raw.map((r) => ({ nm, val: decode(r) })) }
}

/**
 * Parses a query string (without `?`) into request parameters and Filter Criteria.
 * @throws M2MSEC_ONEM2M_MALFORMED naming the field; M2MSEC_ONEM2M_TOO_LARGE past maxQueryFields.
 */
export function parseQuery(query: string, limits: OneM2mLimits): QueryParameters {
  const known = new Map<string, string[]>()
  const fc: Record<string, unknown> = {}
  // Conditions keep their order of appearance; parameters are grouped by name.
  for (const [name, raw] of splitQuery(query, limits)) {
    if (Object.hasOwn(REQUEST_FIELDS, name) || Object.hasOwn(FILTER_FIELDS, name)) {
      known.set(name, [...(known.get(name) ?? []), raw])
    } else if (!IGNORED_FIELDS.has(name)) {
      const { list, items } = conditionsOf(name, [raw])
      fc[list] = [...((fc[list] as AttributeCondition[] | undefined) ?? []), ...items]
    }
  }
  const out: Record<string, unknown> = {}
  for (const [name, raw] of known) {
    if (Object.hasOwn(REQUEST_FIELDS, name)) out[name] = convert(name, REQUEST_FIELDS[name] as FieldKind, raw)
    else fc[name] = convert(name, FILTER_FIELDS[name] as FieldKind, raw)
  }
  if (Object.keys(fc).length > 0) out['fc'] = fc
  return out as QueryParameters
}

// Encode everything but unreserved characters, so '+', '&', '=' and '#' inside values survive.
function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

function field(name: string, value: unknown): string {
  if (Array.isArray(value)) return `${encode(name)}=${value.map((v) => encode(String(v))).join('+')}`
  return `${encode(name)}=${encode(String(value))}`
}

/** The query string (without `?`) for request parameters; empty when there are none. */
export function formatQuery(params: QueryParameters): string {
  const parts: string[] = []
  for (const name of Object.keys(REQUEST_FIELDS)) {
    const value = (params as Record<string, unknown>)[name]
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) parts.push(field(name, value))
  }
  const fc = (params.fc ?? {}) as Record<string, unknown>
  for (const name of Object.keys(FILTER_FIELDS)) {
    const value = fc[name]
    // An empty list has no query form: it is the same as an absent condition.
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) parts.push(field(name, value))
  }
  for (const [list, prefix] of [['atr', ''], ['catr', 'c.'], ['patr', 'p.']] as const) {
    for (const c of (fc[list] as readonly AttributeCondition[] | undefined) ?? []) parts.push(field(prefix + c.nm, c.val))
  }
  return parts.join('&')
}
