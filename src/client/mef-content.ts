/**
 * The Content of the requests a MEF Client sends and tolerant reading of the MEF's partial
 * responses (an UPDATE answers only the changed attributes, a Configuration Retrieval only
 * `ccfg`; mef-maf-interface.md §4.1). Every name comes from src/onem2m's MEF/MAF names module;
 * full representations go through its readers (readClientReg, readSymmKeyReg).
 */
import { formatTimestamp, isJsonObject, OneM2mError, readRepresentation, SEC_PREFIX, type JsonObject, type JsonValue } from '../onem2m/index.js'
import { invalidInput, invalidResponse } from './errors.js'

/** `{"sec:<root>": members}` without undefined members. */
export function secContent(root: string, members: Readonly<Record<string, JsonValue | undefined>>): JsonObject {
  const value = Object.fromEntries(Object.entries(members).filter((entry): entry is [string, JsonValue] => entry[1] !== undefined))
  return { [`${SEC_PREFIX}:${root}`]: value }
}

/**
 * Runs a reader of src/onem2m on the MEF's Content; a reader's complaint is the MEF's fault.
 * @throws M2MSEC_CLIENT_RESPONSE_INVALID
 */
export function readResponse<T>(what: string, read: () => T): T {
  try {
    return read()
  } catch (error) {
    if (error instanceof OneM2mError) throw invalidResponse(`MEF ${what} response: ${error.message}`, error)
    throw error
  }
}

/** The members (short names) of a partial representation of type `ty`; `{}` when the response has no Content. */
export function responseMembers(what: string, pc: JsonValue | undefined, ty: number): JsonObject {
  if (pc === undefined) return {}
  const rep = readResponse(what, () => readRepresentation(pc, ty))
  if (!isJsonObject(rep.value)) throw invalidResponse(`MEF ${what} response is not an object`)
  return rep.value
}

export function optionalText(what: string, members: JsonObject, name: string): string | undefined {
  const v = members[name]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string' || v.length === 0) throw invalidResponse(`MEF ${what} response: ${name} must be a non-empty string`)
  return v
}

export function optionalTexts(what: string, members: JsonObject, name: string): readonly string[] | undefined {
  const v = members[name]
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v) || !v.every((item): item is string => typeof item === 'string')) throw invalidResponse(`MEF ${what} response: ${name} must be a list of strings`)
  return v
}

/** An expiry from an explicit date or a lifetime from `now` (exactly one, or the default lifetime). */
export function expiryTimestamp(options: { readonly expiry?: Date; readonly lifetimeMs?: number }, now: Date, defaultLifetimeMs?: number): string | undefined {
  if (options.expiry !== undefined && options.lifetimeMs !== undefined) throw invalidInput('give an expiry or a lifetime, not both')
  if (options.expiry !== undefined) {
    if (Number.isNaN(options.expiry.getTime())) throw invalidInput('expiry is not a valid date')
    return formatTimestamp(options.expiry)
  }
  const lifetime = options.lifetimeMs ?? defaultLifetimeMs
  if (lifetime === undefined) return undefined
  if (!Number.isSafeInteger(lifetime) || lifetime <= 0) throw invalidInput(`lifetime must be a positive number of milliseconds (got ${lifetime})`)
  return formatTimestamp(new Date(now.getTime() + lifetime))
}

export function checkLabels(labels: readonly string[] | undefined): readonly string[] | undefined {
  if (labels === undefined) return undefined
  for (const label of labels) if (label.length === 0 || /[\s\p{Cc}]/u.test(label)) throw invalidInput('labels must be non-empty tokens without white space')
  return labels
}
