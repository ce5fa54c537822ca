/**
 * Resource representations in the Content parameter (TS-0004 §8.4.2): an object with exactly one
 * member whose name is `<prefix>:<shortName>`. The reader is tolerant (long root and member
 * names, the alternative `m2m:` prefix for MEF/MAF roots); the writer is strict (short names
 * only, canonical prefix).
 */
import { clip, malformed } from './errors.js'
import { isJsonObject } from './json.js'
import type { JsonObject, JsonValue } from './json.js'
import { MEF_MAF_SCHEMAS } from './mef-maf-names.js'
import { TS0004_SCHEMAS } from './resource-schemas.js'
import type { ResourceSchema } from './resource-schemas.js'
import { assertShortNames, toShortNames } from './short-names.js'

export interface SchemaRegistry {
  readonly byRootName: ReadonlyMap<string, ResourceSchema>
  readonly byType: ReadonlyMap<number, ResourceSchema>
}

/** Indexes schemas by every root spelling the reader accepts and by `ty`. */
export function createSchemaRegistry(schemas: readonly ResourceSchema[]): SchemaRegistry {
  const byRootName = new Map<string, ResourceSchema>()
  const byType = new Map<number, ResourceSchema>()
  for (const schema of schemas) {
    for (const prefix of [schema.prefix, ...schema.acceptedPrefixes]) {
      byRootName.set(`${prefix}:${schema.shortName}`, schema)
      byRootName.set(`${prefix}:${schema.longName}`, schema)
    }
    if (schema.ty !== undefined) byType.set(schema.ty, schema)
  }
  return { byRootName, byType }
}

/** TS-0004 types plus the MEF/MAF proposal. */
export const DEFAULT_SCHEMA_REGISTRY: SchemaRegistry = createSchemaRegistry([...TS0004_SCHEMAS, ...MEF_MAF_SCHEMAS])

export interface Representation {
  readonly schema: ResourceSchema
  /** Canonical root name (`m2m:ae`, `sec:macr`). */
  readonly root: string
  /** The root's value with short member names. */
  readonly value: JsonValue
}

export function canonicalRoot(schema: ResourceSchema): string {
  return `${schema.prefix}:${schema.shortName}`
}

/**
 * Reads a Content value. `expectedType` (the request's `ty`, or the type a service expects)
 * must match the root's type.
 * @throws M2MSEC_ONEM2M_MALFORMED (4000) when the Content is not a single known root, the root
 *         does not match `expectedType`, or a resource root's value is not an object.
 */
export function readRepresentation(
  content: JsonValue | undefined,
  expectedType?: number,
  registry: SchemaRegistry = DEFAULT_SCHEMA_REGISTRY,
): Representation {
  if (!isJsonObject(content)) throw malformed('Content must be a JSON object with one root member')
  const keys = Object.keys(content)
  if (keys.length !== 1) throw malformed(`Content must have exactly one root member (has ${keys.length})`)
  const key = keys[0] as string
  const schema = registry.byRootName.get(key)
  if (schema === undefined) throw malformed(`unknown Content root '${clip(key)}'`)
  if (expectedType !== undefined && schema.ty !== expectedType) {
    throw malformed(`Content root '${clip(key)}' does not match resource type ${expectedType}`)
  }
  const raw = content[key] as JsonValue
  if (schema.attributes === undefined) return { schema, root: canonicalRoot(schema), value: raw }
  if (!isJsonObject(raw)) throw malformed(`'${clip(key)}' must be a JSON object`)
  return { schema, root: canonicalRoot(schema), value: toShortNames(raw, schema.attributes) }
}

/**
 * Writes `{ "<prefix>:<short>": value }` after checking that every member uses its short name.
 * @throws M2MSEC_ONEM2M_MALFORMED with kind 'internal' (5000) when a long or unknown name slipped in.
 */
export function writeRepresentation(schema: ResourceSchema, value: JsonValue): JsonObject {
  const root = canonicalRoot(schema)
  if (schema.attributes !== undefined) assertShortNames(value, schema.attributes, root)
  return Object.fromEntries([[root, value]]) as JsonObject
}

/** The schema for a `ty`, or undefined when we have no table for it. */
export function schemaForType(ty: number, registry: SchemaRegistry = DEFAULT_SCHEMA_REGISTRY): ResourceSchema | undefined {
  return registry.byType.get(ty)
}

/** The schema for a canonical or accepted root name. */
export function schemaForRoot(root: string, registry: SchemaRegistry = DEFAULT_SCHEMA_REGISTRY): ResourceSchema | undefined {
  return registry.byRootName.get(root)
}

/** `{"m2m:dbg": text}`: the debug Content of an error response (TS-0004 Table 7.5.2-2). */
export function debugContent(text: string): JsonObject {
  return { 'm2m:dbg': text }
}
