/**
 * The JSON serialization of whole primitives (TS-0004 §8.4.2 rule 11: no `m2m:rqp` wrapper in
 * JSON; used by polling channels, MQTT and WebSocket bindings). The reader accepts short and
 * long (XSD) parameter names and ignores parameters we do not implement; the writer emits short
 * names only.
 */
import { malformed } from './errors.js'
import { isJsonObject } from './json.js'
import type { JsonObject, JsonValue } from './json.js'
import type { OneM2mLimits } from './limits.js'
import { checkRequestPrimitive, checkResponsePrimitive } from './primitive.js'
import type { AttributeCondition, FilterCriteria, LocalTokenIdAssignment, RequestPrimitive, ResponsePrimitive, ResponseTypeInfo } from './primitive.js'
import { PRIMITIVE_NESTED, PRIMITIVE_PARAMETER_NAMES, assertShortNames, toShortNames } from './short-names.js'
import type { NameSchema } from './short-names.js'

const PRIMITIVE_SCHEMA: NameSchema = { names: PRIMITIVE_PARAMETER_NAMES, nested: PRIMITIVE_NESTED }

function text(name: string, v: JsonValue | undefined): string | undefined {
  if (v === undefined) return undefined
  if (typeof v !== 'string') throw malformed(`${name} must be a string`)
  return v
}

function int(name: string, v: JsonValue | undefined): number | undefined {
  if (v === undefined) return undefined
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw malformed(`${name} must be an integer`)
  return v
}

function bool(name: string, v: JsonValue | undefined): boolean | undefined {
  if (v === undefined) return undefined
  if (typeof v !== 'boolean') throw malformed(`${name} must be a boolean`)
  return v
}

/** A list; XML-style space-separated text is accepted for xs:list parameters. */
function texts(name: string, v: JsonValue | undefined): readonly string[] | undefined {
  if (v === undefined) return undefined
  if (typeof v === 'string') return v.split(' ').filter((s) => s.length > 0)
  if (!Array.isArray(v) || !v.every((s: JsonValue) => typeof s === 'string')) throw malformed(`${name} must be a list of strings`)
  return v as readonly string[]
}

function ints(name: string, v: JsonValue | undefined): readonly number[] | undefined {
  if (v === undefined) return undefined
  const list = typeof v === 'number' ? [v] : v
  if (!Array.isArray(list) || !list.every((n: JsonValue) => typeof n === 'number' && Number.isSafeInteger(n))) throw malformed(`${name} must be a list of integers`)
  return list as readonly number[]
}

/** An absRelTimestamp may be a JSON number of milliseconds; we keep every timestamp as text. */
function stamp(name: string, v: JsonValue | undefined): string | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v)
  return text(name, v)
}

function object(name: string, v: JsonValue | undefined): JsonObject | undefined {
  if (v === undefined) return undefined
  if (!isJsonObject(v)) throw malformed(`${name} must be an object`)
  return v
}

function conditions(name: string, v: JsonValue | undefined): readonly AttributeCondition[] | undefined {
  if (v === undefined) return undefined
  const list = Array.isArray(v) ? (v as readonly JsonValue[]) : [v]
  return list.map((item) => {
    const o = object(name, item) as JsonObject
    const nm = text(`${name}.nm`, o['nm'])
    const val = o['val']
    if (nm === undefined || val === undefined || (typeof val === 'object' && val !== null)) throw malformed(`${name} needs nm and a scalar val`)
    // Values travel as text in the HTTP binding; a JSON number or boolean becomes its text.
    return { nm, val: String(val) }
  })
}

function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}

function filterCriteria(v: JsonValue | undefined): FilterCriteria | undefined {
  const o = object('fc', v)
  if (o === undefined) return undefined
  return compact<FilterCriteria>({
    crb: text('fc.crb', o['crb']), cra: text('fc.cra', o['cra']), ms: text('fc.ms', o['ms']), us: text('fc.us', o['us']),
    sts: int('fc.sts', o['sts']), stb: int('fc.stb', o['stb']), exb: text('fc.exb', o['exb']), exa: text('fc.exa', o['exa']),
    lbl: texts('fc.lbl', o['lbl']), ty: ints('fc.ty', o['ty']), sza: int('fc.sza', o['sza']), szb: int('fc.szb', o['szb']),
    cty: texts('fc.cty', o['cty']), lim: int('fc.lim', o['lim']), atr: conditions('fc.atr', o['atr']),
    catr: conditions('fc.catr', o['catr']), patr: conditions('fc.patr', o['patr']), fu: int('fc.fu', o['fu']),
    smf: texts('fc.smf', o['smf']), fo: int('fc.fo', o['fo']), cfs: int('fc.cfs', o['cfs']), cfq: text('fc.cfq', o['cfq']),
    lvl: int('fc.lvl', o['lvl']), ofst: int('fc.ofst', o['ofst']),
  })
}

function responseType(v: JsonValue | undefined): ResponseTypeInfo | undefined {
  // Release-1 peers send the bare responseTypeValue.
  if (typeof v === 'number') return { rtv: v }
  const o = object('rt', v)
  if (o === undefined) return undefined
  const rtv = int('rt.rtv', o['rtv'])
  if (rtv === undefined) throw malformed('rt.rtv is mandatory')
  return compact<ResponseTypeInfo>({ rtv, nu: texts('rt.nu', o['nu']) })
}

function assignments(v: JsonValue | undefined): readonly LocalTokenIdAssignment[] | undefined {
  const o = object('ati', v)
  if (o === undefined) return undefined
  const list = o['ltia']
  if (!Array.isArray(list)) throw malformed('ati.ltia must be a list')
  return (list as readonly JsonValue[]).map((item) => {
    const a = object('ati.ltia', item) as JsonObject
    const lti = text('ati.lti', a['lti'])
    const tkid = text('ati.tkid', a['tkid'])
    if (lti === undefined || tkid === undefined) throw malformed('ati.ltia entries need lti and tkid')
    return { lti, tkid }
  })
}

function shortened(value: JsonValue): JsonObject {
  if (!isJsonObject(value)) throw malformed('a primitive must be a JSON object')
  return toShortNames(value, PRIMITIVE_SCHEMA) as JsonObject
}

/**
 * Reads a JSON request primitive (short or long names) and checks it.
 * @throws M2MSEC_ONEM2M_MALFORMED naming the first wrong parameter; 4001 for an unsupported rvi.
 */
export function readRequestPrimitive(value: JsonValue, limits: OneM2mLimits, releaseVersions?: readonly string[]): RequestPrimitive {
  const o = shortened(value)
  const op = int('op', o['op'])
  const to = text('to', o['to'])
  const rqi = text('rqi', o['rqi'])
  if (op === undefined || to === undefined || rqi === undefined) throw malformed('op, to and rqi are mandatory')
  const p = compact({
    op, to, fr: text('fr', o['fr']), rqi, rvi: text('rvi', o['rvi']), ty: int('ty', o['ty']), pc: o['pc'],
    rids: texts('rids', o['rids']), ot: stamp('ot', o['ot']), rqet: stamp('rqet', o['rqet']),
    rset: stamp('rset', o['rset']), oet: stamp('oet', o['oet']), rt: responseType(o['rt']), rp: text('rp', o['rp']),
    rcn: int('rcn', o['rcn']), ec: int('ec', o['ec']), da: bool('da', o['da']), gid: text('gid', o['gid']),
    fc: filterCriteria(o['fc']), drt: int('drt', o['drt']), tkns: texts('tkns', o['tkns']), tids: texts('tids', o['tids']),
    ltids: texts('ltids', o['ltids']), tqi: bool('tqi', o['tqi']), vsi: text('vsi', o['vsi']),
  }) as RequestPrimitive
  checkRequestPrimitive(p, { limits, ...(releaseVersions === undefined ? {} : { releaseVersions }) })
  return p
}

/**
 * Reads a JSON response primitive (short or long names) and checks it.
 * @throws M2MSEC_ONEM2M_MALFORMED naming the first wrong parameter.
 */
export function readResponsePrimitive(value: JsonValue, limits: OneM2mLimits): ResponsePrimitive {
  const o = shortened(value)
  const rsc = int('rsc', o['rsc'])
  const rqi = text('rqi', o['rqi'])
  if (rsc === undefined || rqi === undefined) throw malformed('rsc and rqi are mandatory')
  const p = compact({
    rsc, rqi, pc: o['pc'], to: text('to', o['to']), fr: text('fr', o['fr']), ot: stamp('ot', o['ot']),
    rset: stamp('rset', o['rset']), ec: int('ec', o['ec']), cnst: int('cnst', o['cnst']), cnot: int('cnot', o['cnot']),
    ati: assignments(o['ati']), tqf: o['tqf'], rvi: text('rvi', o['rvi']), vsi: text('vsi', o['vsi']),
  }) as ResponsePrimitive
  checkResponsePrimitive(p, { limits })
  return p
}

function toJson(p: RequestPrimitive | ResponsePrimitive): JsonObject {
  const entries = Object.entries(p).filter(([, v]) => v !== undefined)
  const out = Object.fromEntries(entries.map(([k, v]) => [k, k === 'ati' ? { ltia: v as JsonValue } : (v as JsonValue)])) as JsonObject
  assertShortNames(out, PRIMITIVE_SCHEMA, 'primitive')
  return out
}

/** The JSON form of a request primitive, short names only. */
export function writeRequestPrimitive(p: RequestPrimitive): JsonObject {
  return toJson(p)
}

/** The JSON form of a response primitive, short names only. */
export function writeResponsePrimitive(p: ResponsePrimitive): JsonObject {
  return toJson(p)
}
