/**
 * Request and response primitives (TS-0004 §7.2.1, Tables 7.2.1.1-1 and 7.2.1.2-1) as typed
 * data with short parameter names, and the checks every binding applies after decoding:
 * presence per operation (wire.md §1.1), value ranges, identifier limits, release version.
 */
import { clip, malformed, OneM2mError, tooLarge } from './errors.js'
import type { JsonValue } from './json.js'
import type { OneM2mLimits } from './limits.js'
import { isOperation, OPERATION } from './operation.js'
import type { Operation } from './operation.js'
import { SUPPORTED_RELEASE_VERSIONS } from './parameter-values.js'
import { hasControlCharacter, parseTo } from './resource-id.js'
import { isAbsRelTimestamp, isTimestamp } from './timestamp.js'

/** One `name = value` condition of a filter (m2m:attribute); values travel as text. */
export interface AttributeCondition {
  readonly nm: string
  readonly val: string
}

/** m2m:filterCriteria members that the HTTP binding carries (TS-0009 Table 6.2.2.2-1). */
export interface FilterCriteria {
  readonly crb?: string
  readonly cra?: string
  readonly ms?: string
  readonly us?: string
  readonly sts?: number
  readonly stb?: number
  readonly exb?: string
  readonly exa?: string
  readonly lbl?: readonly string[]
  readonly ty?: readonly number[]
  readonly sza?: number
  readonly szb?: number
  readonly cty?: readonly string[]
  readonly lim?: number
  readonly atr?: readonly AttributeCondition[]
  readonly catr?: readonly AttributeCondition[]
  readonly patr?: readonly AttributeCondition[]
  readonly fu?: number
  readonly smf?: readonly string[]
  readonly fo?: number
  readonly cfs?: number
  readonly cfq?: string
  readonly lvl?: number
  readonly ofst?: number
}

/** m2m:responseTypeInfo. */
export interface ResponseTypeInfo {
  readonly rtv: number
  readonly nu?: readonly string[]
}

export interface RequestPrimitive {
  readonly op: Operation
  readonly to: string
  readonly fr?: string
  readonly rqi: string
  /** Absent: a Release-1 request. */
  readonly rvi?: string
  readonly ty?: number
  readonly pc?: JsonValue
  readonly rids?: readonly string[]
  readonly ot?: string
  readonly rqet?: string
  readonly rset?: string
  readonly oet?: string
  readonly rt?: ResponseTypeInfo
  readonly rp?: string
  readonly rcn?: number
  readonly ec?: number
  readonly da?: boolean
  readonly gid?: string
  readonly fc?: FilterCriteria
  readonly drt?: number
  readonly tkns?: readonly string[]
  readonly tids?: readonly string[]
  readonly ltids?: readonly string[]
  readonly tqi?: boolean
  readonly vsi?: string
}

/** One Assigned Token Identifier pair (m2m:dynAuthLocalTokenIdAssignment). */
export interface LocalTokenIdAssignment {
  readonly lti: string
  readonly tkid: string
}

export interface ResponsePrimitive {
  readonly rsc: number
  readonly rqi: string
  readonly pc?: JsonValue
  readonly to?: string
  readonly fr?: string
  readonly ot?: string
  readonly rset?: string
  readonly ec?: number
  readonly cnst?: number
  readonly cnot?: number
  readonly ati?: readonly LocalTokenIdAssignment[]
  readonly tqf?: JsonValue
  readonly rvi?: string
  readonly vsi?: string
}

/** Which parameters may appear per operation (wire.md §1.1): M, O or NP (absent from the list). */
type Presence = 'M' | 'O'
const C = OPERATION.CREATE, R = OPERATION.RETRIEVE, U = OPERATION.UPDATE, D = OPERATION.DELETE, N = OPERATION.NOTIFY
const PRESENCE: Readonly<Record<string, Readonly<Partial<Record<Operation, Presence>>>>> = {
  ty: { [C]: 'M' },
  pc: { [C]: 'M', [R]: 'O', [U]: 'M', [N]: 'M' },
  rp: { [C]: 'O', [R]: 'O', [U]: 'O', [D]: 'O' },
  rcn: { [C]: 'O', [R]: 'O', [U]: 'O', [D]: 'O' },
  fc: { [R]: 'O', [U]: 'O', [D]: 'O' },
  drt: { [R]: 'O' },
}

const OP_NAME: Readonly<Record<Operation, string>> = { 1: 'CREATE', 2: 'RETRIEVE', 3: 'UPDATE', 4: 'DELETE', 5: 'NOTIFY' }

export interface PrimitiveCheckOptions {
  readonly limits: OneM2mLimits
  /** Accepted `rvi` values; an absent `rvi` is always accepted (Release 1). */
  readonly releaseVersions?: readonly string[]
}


function checkText(name: string, value: string | undefined, max: number): void {
  if (value === undefined) return
  if (value.length === 0) throw malformed(`${name} is empty`)
  if (value.length > max) throw tooLarge(`${name} is ${value.length} characters, limit is ${max}`)
  if (hasControlCharacter(value)) throw malformed(`${name} contains a control character`)
}

function checkList(name: string, list: readonly string[] | undefined, options: PrimitiveCheckOptions): void {
  if (list === undefined) return
  if (list.length > options.limits.maxListLength) throw tooLarge(`${name} has ${list.length} entries, limit is ${options.limits.maxListLength}`)
  for (const item of list) checkText(name, item, options.limits.maxIdentifierLength)
}

function checkRange(name: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return
  if (!Number.isSafeInteger(value) || value < min || value > max) throw malformed(`${name} must be an integer in ${min}..${max}`)
}

function checkTimestamp(name: string, value: string | undefined, relativeAllowed: boolean): void {
  if (value === undefined) return
  if (!(relativeAllowed ? isAbsRelTimestamp(value) : isTimestamp(value))) throw malformed(`${name} '${clip(value)}' is not a valid timestamp`)
}

/**
 * Checks the release version: absent (Release 1) or one of the accepted values.
 * @throws M2MSEC_ONEM2M_RELEASE_VERSION_NOT_SUPPORTED (4001) otherwise.
 */
export function checkReleaseVersion(rvi: string | undefined, accepted: readonly string[] = SUPPORTED_RELEASE_VERSIONS): void {
  if (rvi === undefined || accepted.includes(rvi)) return
  throw new OneM2mError('M2MSEC_ONEM2M_RELEASE_VERSION_NOT_SUPPORTED', 'bad-input', `release version '${clip(rvi, 16)}' is not supported`)
}

function checkFilterCriteria(fc: FilterCriteria, options: PrimitiveCheckOptions): void {
  for (const key of ['crb', 'cra', 'ms', 'us', 'exb', 'exa'] as const) checkTimestamp(`fc.${key}`, fc[key], false)
  for (const key of ['sts', 'stb', 'sza', 'szb', 'lim', 'lvl', 'ofst', 'cfs'] as const) checkRange(`fc.${key}`, fc[key], 0, Number.MAX_SAFE_INTEGER)
  checkRange('fc.fu', fc.fu, 1, 3)
  checkRange('fc.fo', fc.fo, 1, 2)
  for (const key of ['lbl', 'cty', 'smf'] as const) checkList(`fc.${key}`, fc[key], options)
  checkText('fc.cfq', fc.cfq, options.limits.maxTargetLength)
  if (fc.ty !== undefined) {
    if (fc.ty.length > options.limits.maxListLength) throw tooLarge(`fc.ty has ${fc.ty.length} entries`)
    for (const ty of fc.ty) checkRange('fc.ty', ty, 0, Number.MAX_SAFE_INTEGER)
  }
  for (const key of ['atr', 'catr', 'patr'] as const) {
    const conditions = fc[key]
    if (conditions === undefined) continue
    if (conditions.length > options.limits.maxListLength) throw tooLarge(`fc.${key} has ${conditions.length} entries`)
    for (const c of conditions) {
      checkText(`fc.${key}.nm`, c.nm, 64)
      if (c.val.length > options.limits.maxIdentifierLength || hasControlCharacter(c.val)) throw malformed(`fc.${key} value of '${clip(c.nm)}' is too long or has a control character`)
    }
  }
}

function checkPresence(p: RequestPrimitive): void {
  const opName = OP_NAME[p.op]
  for (const [name, table] of Object.entries(PRESENCE)) {
    const present = (p as unknown as Record<string, unknown>)[name] !== undefined
    const rule = table[p.op]
    if (present && rule === undefined) throw malformed(`${name} is not allowed in a ${opName} request`)
    if (!present && rule === 'M') throw malformed(`${name} is mandatory in a ${opName} request`)
  }
  // fr may be absent only when an AE registers (TS-0004 §7.3.2.1, wire.md §1.1 note *).
  if (p.fr === undefined && !(p.op === OPERATION.CREATE && p.ty === 2)) throw malformed(`fr is mandatory in a ${opName} request`)
}

/**
 * All binding-independent checks of a request primitive.
 * @throws M2MSEC_ONEM2M_MALFORMED / M2MSEC_ONEM2M_TOO_LARGE (4000) naming the parameter;
 *         M2MSEC_ONEM2M_RELEASE_VERSION_NOT_SUPPORTED (4001).
 */
export function checkRequestPrimitive(p: RequestPrimitive, options: PrimitiveCheckOptions): void {
  const { limits } = options
  if (!isOperation(p.op)) throw malformed('op must be an integer in 1..5')
  // TS-0009 §6.2.2.2: `#attribute` addresses one attribute of a partial RETRIEVE only.
  if (parseTo(p.to, limits.maxToLength).attribute !== undefined && p.op !== OPERATION.RETRIEVE) throw malformed('a #attribute in to is allowed only in a RETRIEVE request')
  checkText('rqi', p.rqi, limits.maxIdentifierLength)
  if (p.rqi === undefined) throw malformed('rqi is mandatory')
  for (const name of ['fr', 'gid', 'vsi', 'rp', 'rvi'] as const) checkText(name, p[name], limits.maxIdentifierLength)
  for (const name of ['rids', 'tkns', 'tids', 'ltids'] as const) checkList(name, p[name], options)
  checkTimestamp('ot', p.ot, false)
  for (const name of ['rqet', 'rset', 'oet'] as const) checkTimestamp(name, p[name], true)
  checkRange('ty', p.ty, 0, Number.MAX_SAFE_INTEGER)
  checkRange('rcn', p.rcn, 0, 10)
  checkRange('drt', p.drt, 1, 2)
  checkRange('ec', p.ec, 0, 999)
  if (p.rt !== undefined) {
    checkRange('rt.rtv', p.rt.rtv, 1, 5)
    checkList('rt.nu', p.rt.nu, options)
  }
  if (p.fc !== undefined) checkFilterCriteria(p.fc, options)
  checkPresence(p)
  checkReleaseVersion(p.rvi, options.releaseVersions)
}

/**
 * Checks of a response primitive (the client side of a binding).
 * @throws M2MSEC_ONEM2M_MALFORMED / M2MSEC_ONEM2M_TOO_LARGE naming the parameter.
 */
export function checkResponsePrimitive(p: ResponsePrimitive, options: PrimitiveCheckOptions): void {
  const { limits } = options
  checkRange('rsc', p.rsc, 1000, 6999)
  if (typeof p.rqi !== 'string' || p.rqi.length > limits.maxIdentifierLength || hasControlCharacter(p.rqi)) throw malformed('rqi is missing, too long or has a control character')
  for (const name of ['fr', 'vsi', 'rvi'] as const) checkText(name, p[name], limits.maxIdentifierLength)
  if (p.to !== undefined) parseTo(p.to, limits.maxToLength)
  checkTimestamp('ot', p.ot, false)
  checkTimestamp('rset', p.rset, true)
  checkRange('ec', p.ec, 0, 999)
  checkRange('cnst', p.cnst, 1, 2)
  checkRange('cnot', p.cnot, 0, Number.MAX_SAFE_INTEGER)
  for (const a of p.ati ?? []) {
    checkText('ati.lti', a.lti, limits.maxIdentifierLength)
    checkText('ati.tkid', a.tkid, limits.maxIdentifierLength)
  }
}
