/**
 * Long ↔ short member names (TS-0004 §8.2: Tables 8.2.2-1 primitive parameters, 8.2.3-x
 * resource attributes, 8.2.5-1 complex-type members) for the primitives and resource types
 * this project handles, and the two walkers over them: a tolerant reader that turns long names
 * into short ones, and a strict check that a value we emit uses short names only.
 */
import { malformed, OneM2mError } from './errors.js'
import { isJsonObject } from './json.js'
import type { JsonObject, JsonValue } from './json.js'

/** Member names of one JSON object type: long → short, and the schema of nested members. */
export interface NameSchema {
  readonly names: Readonly<Record<string, string>>
  /** Keyed by short name: the schema of that member's object value (or of each array item). */
  readonly nested?: Readonly<Record<string, NameSchema>>
  /** When true the writer accepts members outside `names` (open content such as `con`). */
  readonly open?: boolean
}

/** Table 8.2.2-1 (XSD long names). */
export const PRIMITIVE_PARAMETER_NAMES: Readonly<Record<string, string>> = {
  operation: 'op', to: 'to', from: 'fr', requestIdentifier: 'rqi', resourceType: 'ty',
  primitiveContent: 'pc', roleIDs: 'rids', originatingTimestamp: 'ot',
  requestExpirationTimestamp: 'rqet', resultExpirationTimestamp: 'rset',
  operationExecutionTime: 'oet', responseType: 'rt', resultPersistence: 'rp',
  resultContent: 'rcn', eventCategory: 'ec', deliveryAggregation: 'da',
  groupRequestIdentifier: 'gid', filterCriteria: 'fc', desiredIdentifierResultType: 'drt',
  responseStatusCode: 'rsc', tokens: 'tkns', tokenIDs: 'tids', tokenRequestIndicator: 'tqi',
  localTokenIDs: 'ltids', assignedTokenIdentifiers: 'ati', tokenRequestInformation: 'tqf',
  contentStatus: 'cnst', contentOffset: 'cnot', releaseVersionIndicator: 'rvi',
  vendorInformation: 'vsi',
}

/** Table 8.2.5-1, members of m2m:attribute (filter conditions, childAttribute …). */
export const ATTRIBUTE_CONDITION_SCHEMA: NameSchema = { names: { name: 'nm', value: 'val' } }

/** Table 8.2.5-1, members of m2m:filterCriteria used by this project. */
export const FILTER_CRITERIA_SCHEMA: NameSchema = {
  names: {
    createdBefore: 'crb', createdAfter: 'cra', modifiedSince: 'ms', unmodifiedSince: 'us',
    stateTagSmaller: 'sts', stateTagBigger: 'stb', expireBefore: 'exb', expireAfter: 'exa',
    labels: 'lbl', resourceType: 'ty', sizeAbove: 'sza', sizeBelow: 'szb', contentType: 'cty',
    limit: 'lim', attribute: 'atr', filterUsage: 'fu', semanticsFilter: 'smf',
    filterOperation: 'fo', contentFilterSyntax: 'cfs', contentFilterQuery: 'cfq', level: 'lvl',
    offset: 'ofst', childAttribute: 'catr', parentAttribute: 'patr',
  },
  nested: { atr: ATTRIBUTE_CONDITION_SCHEMA, catr: ATTRIBUTE_CONDITION_SCHEMA, patr: ATTRIBUTE_CONDITION_SCHEMA },
}

/** m2m:responseTypeInfo (TS-0004 §6.3.5.30). */
export const RESPONSE_TYPE_INFO_SCHEMA: NameSchema = { names: { responseTypeValue: 'rtv', notificationURI: 'nu' } }

/** m2m:dynAuthLocalTokenIdAssignments (Assigned Token Identifiers). */
export const LOCAL_TOKEN_ID_ASSIGNMENTS_SCHEMA: NameSchema = {
  names: { localTokenIdAssignment: 'ltia' },
  nested: { ltia: { names: { localTokenID: 'lti', tokenID: 'tkid' } } },
}

/** Request primitive members whose values have their own schema. */
export const PRIMITIVE_NESTED: Readonly<Record<string, NameSchema>> = {
  fc: FILTER_CRITERIA_SCHEMA,
  rt: RESPONSE_TYPE_INFO_SCHEMA,
  ati: LOCAL_TOKEN_ID_ASSIGNMENTS_SCHEMA,
}

/** Universal and common attributes (TS-0004 §8.2.3, wire.md §4.1). */
export const UNIVERSAL_ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  resourceType: 'ty', resourceID: 'ri', resourceName: 'rn', parentID: 'pi', creationTime: 'ct',
  lastModifiedTime: 'lt', expirationTime: 'et', labels: 'lbl', accessControlPolicyIDs: 'acpi',
  announceTo: 'at', announcedAttribute: 'aa', stateTag: 'st', creator: 'cr',
  dynamicAuthorizationConsultationIDs: 'daci', childResource: 'ch', link: 'lnk',
}

/** m2m:childResourceRef: `{nm, typ, spty?, val}`; `val` holds the XML text content. */
export const CHILD_RESOURCE_REF_SCHEMA: NameSchema = {
  names: { name: 'nm', type: 'typ', specializationType: 'spty', value: 'val' },
}

const UNIVERSAL_NESTED: Readonly<Record<string, NameSchema>> = { ch: CHILD_RESOURCE_REF_SCHEMA }

/** Builds a resource attribute schema: universal attributes plus the type's own. */
export function resourceAttributeSchema(
  own: Readonly<Record<string, string>>,
  nested: Readonly<Record<string, NameSchema>> = {},
  open = false,
): NameSchema {
  return { names: { ...UNIVERSAL_ATTRIBUTE_NAMES, ...own }, nested: { ...UNIVERSAL_NESTED, ...nested }, open }
}

function nestedSchema(schema: NameSchema, short: string): NameSchema | undefined {
  // Own members only: a member named "constructor" must not find Object's.
  return schema.nested !== undefined && Object.hasOwn(schema.nested, short) ? schema.nested[short] : undefined
}

function shortNameSet(schema: NameSchema): ReadonlySet<string> {
  return new Set(Object.values(schema.names))
}

const SHORT_SETS = new WeakMap<NameSchema, ReadonlySet<string>>()
function shortsOf(schema: NameSchema): ReadonlySet<string> {
  let set = SHORT_SETS.get(schema)
  if (set === undefined) {
    set = shortNameSet(schema)
    SHORT_SETS.set(schema, set)
  }
  return set
}

/**
 * Tolerant reader: returns a copy of `value` with every known long member name replaced by its
 * short name (recursively through nested schemas). Unknown members are kept as they are.
 * @throws M2MSEC_ONEM2M_MALFORMED when a member appears under both its long and short name.
 */
export function toShortNames(value: JsonValue, schema: NameSchema): JsonValue {
  if (Array.isArray(value)) return value.map((item: JsonValue) => toShortNames(item, schema))
  if (!isJsonObject(value)) return value
  return shortenObject(value, schema)
}

function shortenObject(value: JsonObject, schema: NameSchema): JsonObject {
  const shorts = shortsOf(schema)
  const entries: [string, JsonValue][] = []
  const seen = new Set<string>()
  for (const [key, member] of Object.entries(value)) {
    const short = shorts.has(key) ? key : (Object.hasOwn(schema.names, key) ? schema.names[key] : undefined) ?? key
    if (seen.has(short)) throw malformed(`member '${short}' appears twice (long and short name)`)
    seen.add(short)
    const nested = nestedSchema(schema, short)
    entries.push([short, nested === undefined ? member : toShortNames(member, nested)])
  }
  // Object.fromEntries defines own properties, so a member named "__proto__" stays data.
  return Object.fromEntries(entries) as JsonObject
}

/**
 * Strict writer check: every member name at every schema-described level is a short name.
 * A violation is our own bug, so it is an internal error (rsc 5000), never sent as 4000.
 */
export function assertShortNames(value: JsonValue, schema: NameSchema, where: string): void {
  if (Array.isArray(value)) {
    for (const item of value as readonly JsonValue[]) assertShortNames(item, schema, where)
    return
  }
  if (!isJsonObject(value)) return
  const shorts = shortsOf(schema)
  for (const [key, member] of Object.entries(value)) {
    if (!shorts.has(key) && (schema.open !== true || Object.hasOwn(schema.names, key))) {
      throw new OneM2mError('M2MSEC_ONEM2M_MALFORMED', 'internal', `writer met non-short member name '${key}' in ${where}`)
    }
    const nested = nestedSchema(schema, key)
    if (nested !== undefined) assertShortNames(member, nested, `${where}.${key}`)
  }
}
