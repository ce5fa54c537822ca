/**
 * Which resource types the reference CSE hosts, under which parents, and which attributes an
 * originator may set at CREATE and UPDATE (TS-0004 §7.4.4 remoteCSE, §7.4.5 AE, §7.4.6
 * container, §7.4.7 contentInstance, §7.4.8 subscription; wire.md §4.4–§4.5). An attribute the
 * tables mark NP for the operation, or that the type does not have, is refused with 4000
 * BAD_REQUEST; a missing mandatory one likewise (TS-0004 §7.3.3.2 / §7.3.3.4 checks).
 * Values are checked only where the CSE itself relies on them (api, rr, poa, nu, enc, mni …);
 * the rest is stored as given.
 */
import { isJsonObject, isTimestamp, malformed, RESOURCE_TYPE, RSC, refused, type JsonValue } from '../../onem2m/index.js'

export interface TypeRule {
  readonly root: string
  /** Types this type may be created under (TS-0001 §9.6 child resource tables). */
  readonly parents: readonly number[]
  readonly mandatory: readonly string[]
  readonly create: ReadonlySet<string>
  /** Empty: the type cannot be updated at all (4005, contentInstance). */
  readonly update: ReadonlySet<string>
}

const WRITABLE_UNIVERSAL = ['et', 'lbl', 'acpi'] as const
const AE_WRITABLE = ['apn', 'poa', 'or', 'nl', 'rr', 'csz', 'esi', 'mei', 'srv', 'regs', 'trps', 'scp', 'tren', 'ape', 'tri', 'trn']
const CSR_WRITABLE = ['poa', 'mei', 'tri', 'rr', 'nl', 'trn', 'csz', 'esi', 'dcse', 'srv', 'mtcc', 'egid', 'tren', 'ape']
const CNT_WRITABLE = ['mni', 'mbs', 'mia', 'li', 'or', 'disr']
const SUB_WRITABLE = ['enc', 'exc', 'nu', 'gpi', 'nfu', 'bn', 'rl', 'pn', 'nsp', 'ln', 'nct', 'nec', 'su']

function set(...lists: readonly (readonly string[])[]): ReadonlySet<string> {
  return new Set(lists.flat())
}

const { AE, CONTAINER, CONTENT_INSTANCE, CSE_BASE, REMOTE_CSE, SUBSCRIPTION } = RESOURCE_TYPE

export const TYPE_RULES: ReadonlyMap<number, TypeRule> = new Map<number, TypeRule>([
  // `srv` is mandatory in TS-0004 R3, but Release-1/2 AEs do not send it: tolerated (OQ in report).
  [AE, { root: 'm2m:ae', parents: [CSE_BASE], mandatory: ['api', 'rr'], create: set(WRITABLE_UNIVERSAL, ['rn', 'api'], AE_WRITABLE), update: set(WRITABLE_UNIVERSAL, AE_WRITABLE) }],
  // `csi` may be sent; the Registrar overwrites it with `fr` (wire.md §4.5).
  [REMOTE_CSE, { root: 'm2m:csr', parents: [CSE_BASE], mandatory: ['cb', 'rr'], create: set(WRITABLE_UNIVERSAL, ['rn', 'cst', 'cb', 'csi'], CSR_WRITABLE), update: set(WRITABLE_UNIVERSAL, CSR_WRITABLE) }],
  [CONTAINER, { root: 'm2m:cnt', parents: [CSE_BASE, AE, CONTAINER, REMOTE_CSE], mandatory: [], create: set(WRITABLE_UNIVERSAL, ['rn'], CNT_WRITABLE), update: set(WRITABLE_UNIVERSAL, CNT_WRITABLE) }],
  [CONTENT_INSTANCE, { root: 'm2m:cin', parents: [CONTAINER], mandatory: ['con'], create: set(WRITABLE_UNIVERSAL, ['rn', 'cnf', 'conr', 'or', 'con']), update: new Set() }],
  [SUBSCRIPTION, { root: 'm2m:sub', parents: [CSE_BASE, AE, CONTAINER, REMOTE_CSE], mandatory: ['nu'], create: set(WRITABLE_UNIVERSAL, ['rn', 'psn'], SUB_WRITABLE), update: set(WRITABLE_UNIVERSAL, SUB_WRITABLE) }],
])

/** TS-0004 m2m:notificationEventType values the CSE raises (§6.3.4.2.21). */
export const NOTIFICATION_EVENT = { UPDATE: 1, DELETE: 2, CREATE_CHILD: 3, DELETE_CHILD: 4 } as const

function isStringList(value: JsonValue | undefined): boolean {
  return Array.isArray(value) && value.every((v: JsonValue) => typeof v === 'string')
}

function isCount(value: JsonValue | undefined): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

type Check = (value: JsonValue) => boolean
const VALUE_CHECKS: Readonly<Record<string, Check>> = {
  rn: (v) => typeof v === 'string' && /^[A-Za-z0-9._-]{1,255}$/.test(v) && v !== 'la' && v !== 'ol' && v !== '.' && v !== '..',
  et: (v) => typeof v === 'string' && isTimestamp(v),
  lbl: isStringList,
  acpi: isStringList,
  api: (v) => typeof v === 'string' && /^[rRN]/.test(v),
  rr: (v) => typeof v === 'boolean',
  poa: isStringList,
  srv: isStringList,
  cb: (v) => typeof v === 'string' && v.length > 0,
  nu: (v) => isStringList(v) && (v as readonly JsonValue[]).length > 0,
  su: (v) => typeof v === 'string',
  mni: isCount, mbs: isCount, mia: isCount, exc: (v) => isCount(v) && (v as number) > 0,
  nct: (v) => v === 1 || v === 2 || v === 3,
  enc: (v) => isJsonObject(v) && (v['net'] === undefined || (Array.isArray(v['net']) && v['net'].every((n: JsonValue) => n === 1 || n === 2 || n === 3 || n === 4))),
}

/**
 * Checks the members of a CREATE (`update` false) or UPDATE Content against the type's table.
 * In an UPDATE a `null` deletes the attribute (TS-0004 §8.4.2 rule 8) and is always allowed for
 * a writable, non-mandatory attribute.
 * @throws OneM2mError 4000 naming the first offending attribute; 4005 for an UPDATE of a type
 *         that cannot be updated.
 */
export function checkAttributes(rule: TypeRule, attrs: Readonly<Record<string, JsonValue>>, update: boolean): void {
  const allowed = update ? rule.update : rule.create
  if (update && allowed.size === 0) throw refused(RSC.OPERATION_NOT_ALLOWED, `a ${rule.root} cannot be updated`)
  for (const [name, value] of Object.entries(attrs)) {
    if (!allowed.has(name)) throw malformed(`attribute '${name}' may not be set in a ${update ? 'UPDATE' : 'CREATE'} of ${rule.root}`)
    if (value === null) {
      if (!update || rule.mandatory.includes(name)) throw malformed(`attribute '${name}' may not be null`)
      continue
    }
    const check = Object.hasOwn(VALUE_CHECKS, name) ? VALUE_CHECKS[name] : undefined
    if (check !== undefined && !check(value)) throw malformed(`attribute '${name}' has a value of the wrong type or form`)
  }
  if (!update) for (const name of rule.mandatory) if (attrs[name] === undefined) throw malformed(`attribute '${name}' is mandatory in a CREATE of ${rule.root}`)
}
