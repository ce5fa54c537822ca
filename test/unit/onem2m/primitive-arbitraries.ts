// fast-check generators of request and response primitives that the HTTP binding can carry
// (the binding's documented losses are excluded: empty lists, RETRIEVE Content other than an
// attributeList of two or more names, the response `to`).
import fc from 'fast-check'
import { formatTimestamp } from '../../../src/onem2m/timestamp.js'
import { RSC } from '../../../src/onem2m/response-status.js'
import type { JsonValue } from '../../../src/onem2m/json.js'
import type { FilterCriteria, RequestPrimitive, ResponsePrimitive } from '../../../src/onem2m/primitive.js'

const RESERVED_QUERY_NAMES = new Set([
  'rt', 'rp', 'rcn', 'da', 'drt', 'tqi', 'rids', 'tids', 'ltids', 'atrl', 'crb', 'cra', 'ms', 'us', 'sts', 'stb', 'exb', 'exa',
  'lbl', 'ty', 'sza', 'szb', 'cty', 'lim', 'fu', 'smf', 'fo', 'cfs', 'cfq', 'lvl', 'ofst', 'asi', 'auri', 'sqi',
])

/** Path segment: unreserved characters plus characters that need percent-encoding. */
export const segment = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._~@:!$'()*+,;=& %?é-]{0,11}$/)
const fqdn = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}(\.[a-z][a-z0-9-]{0,8}){1,2}$/)

export const toValue = fc.oneof(
  fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/')),
  fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`),
  fc.tuple(fqdn, fc.array(segment, { minLength: 1, maxLength: 3 })).map(([f, s]) => `//${f}/${s.join('/')}`),
)

/** Header-safe text: printable ASCII, no leading/trailing space (header values are trimmed). */
export const headerText = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,18}[\x21-\x7e])?$/)
const queryText = fc.stringMatching(/^[\x20-\x7e é]{1,16}$/)
const timestamp = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .chain((d) => fc.boolean().map((frac) => formatTimestamp(d, frac)))
const absRel = fc.oneof(timestamp, fc.integer({ min: -1e9, max: 1e9 }).map(String))
const list = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T[]> => fc.array(arb, { minLength: 1, maxLength: 3 })
const attrName = fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,5}$/).filter((n) => !RESERVED_QUERY_NAMES.has(n))
const condition = fc.record({ nm: attrName, val: fc.stringMatching(/^[\x20-\x7e]{0,12}$/) })
const uint = fc.integer({ min: 0, max: 100000 })

export const filterCriteria: fc.Arbitrary<FilterCriteria> = fc.record({
  crb: timestamp, cra: timestamp, ms: timestamp, us: timestamp, sts: uint, stb: uint, exb: timestamp, exa: timestamp,
  lbl: list(queryText), ty: list(uint), sza: uint, szb: uint, cty: list(queryText), lim: uint,
  atr: list(condition), catr: list(condition), patr: list(condition), fu: fc.integer({ min: 1, max: 3 }),
  smf: list(queryText), fo: fc.integer({ min: 1, max: 2 }), cfs: uint, cfq: queryText, lvl: uint, ofst: uint,
}, { requiredKeys: [] }).filter((f) => Object.keys(f).length > 0)

const content: fc.Arbitrary<JsonValue> = fc.json({ maxDepth: 4 }).map((text) => ({ 'm2m:x': JSON.parse(text) as JsonValue }))
const token = fc.stringMatching(/^[A-Za-z0-9_-]{1,12}\.[A-Za-z0-9_-]{1,12}\.[A-Za-z0-9_-]{0,12}$/)
const uri = fc.stringMatching(/^https?:\/\/[a-z]{1,8}(:[0-9]{1,4})?\/[A-Za-z0-9/._~-]{0,12}$/)

const common = {
  rqi: headerText, rvi: fc.constantFrom('2', '2a', '3', '4', '5'), rids: list(queryText), ot: timestamp, rqet: absRel, rset: absRel,
  oet: absRel, rt: fc.record({ rtv: fc.integer({ min: 1, max: 5 }), nu: list(uri) }, { requiredKeys: ['rtv'] }),
  ec: fc.integer({ min: 0, max: 999 }), da: fc.boolean(), gid: headerText, tkns: list(token), tids: list(queryText),
  ltids: list(queryText), tqi: fc.boolean(), vsi: headerText, fr: headerText,
}

function drop<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
}

export const createRequest: fc.Arbitrary<RequestPrimitive> = fc.record({
  ...common, to: toValue, ty: uint, pc: content, rp: headerText, rcn: fc.integer({ min: 0, max: 10 }),
}, { requiredKeys: ['rqi', 'to', 'ty', 'pc', 'fr'] }).map((r) => drop({ op: 1 as const, ...r }))
  .chain((r) => (r.ty === 2 ? fc.boolean().map((keep) => (keep ? r : drop({ ...r, fr: undefined }))) : fc.constant(r)))

const attributeList = list(attrName).filter((l) => l.length >= 2).map((l) => ({ 'm2m:atrl': l }))

export const retrieveRequest: fc.Arbitrary<RequestPrimitive> = fc.record({
  ...common, to: toValue, rp: headerText, rcn: fc.integer({ min: 0, max: 10 }), fc: filterCriteria, drt: fc.integer({ min: 1, max: 2 }),
  attribute: attrName, pc: attributeList,
}, { requiredKeys: ['rqi', 'to', 'fr'] }).map(({ attribute, pc, ...r }) => drop({
  op: 2 as const, ...r, to: attribute !== undefined && pc === undefined ? `${r.to}#${attribute}` : r.to, pc,
}))

export const updateOrDeleteRequest: fc.Arbitrary<RequestPrimitive> = fc.constantFrom(3 as const, 4 as const).chain((op) => fc.record({
  ...common, to: toValue, rp: headerText, rcn: fc.integer({ min: 0, max: 10 }), fc: filterCriteria, pc: content,
}, { requiredKeys: op === 3 ? ['rqi', 'to', 'fr', 'pc'] : ['rqi', 'to', 'fr'] }).map((r) => drop({ op, ...r, pc: op === 3 ? r.pc : undefined })))

export const notifyRequest: fc.Arbitrary<RequestPrimitive> = fc.record({ ...common, to: toValue, pc: content }, { requiredKeys: ['rqi', 'to', 'fr', 'pc'] })
  .map((r) => drop({ op: 5 as const, ...r }))

// structuredClone gives fast-check's null-prototype records ordinary prototypes, like decoded values.
export const requestPrimitive = fc.oneof(createRequest, retrieveRequest, updateOrDeleteRequest, notifyRequest).map((p) => structuredClone(p))

const rscValue = fc.constantFrom(...Object.values(RSC))
export const responsePrimitive: fc.Arbitrary<ResponsePrimitive> = fc.record({
  rsc: rscValue, rqi: headerText, pc: content, fr: headerText, ot: timestamp, rset: absRel, ec: fc.integer({ min: 0, max: 999 }),
  cnst: fc.integer({ min: 1, max: 2 }), cnot: uint,
  ati: list(fc.record({ lti: fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/), tkid: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,12}$/) })),
  rvi: fc.constantFrom('2a', '3', '4'), vsi: headerText,
}, { requiredKeys: ['rsc', 'rqi'] }).map((r) => structuredClone(drop(r)))

/** A 4103 response whose body is Token Request Information instead of Content. */
export const tokenRequestResponse: fc.Arbitrary<ResponsePrimitive> = fc.record({ rqi: headerText, dasi: list(uri) })
  .map(({ rqi, dasi }) => ({ rsc: RSC.ORIGINATOR_HAS_NO_PRIVILEGE, rqi, tqf: { dasi } }))
