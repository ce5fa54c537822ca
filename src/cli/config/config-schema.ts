/**
 * The JSON Schema of one configuration layer (the YAML file, the environment, the flags), built
 * from config-keys.ts, and the translation of ajv's findings into `key.path: why` problems.
 * Every key is optional in a layer (a layer sets what it sets) and every mapping refuses keys it
 * does not know: a typo must fail loudly, never be ignored (issue 8).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { keyName, type ConfigKey, type SchemaNode } from './config-keys.js'

/** One refused value: the key (dotted path) and what a valid value is. */
export interface SchemaProblem {
  readonly key: string
  readonly why: string
}

interface Branch {
  readonly properties: Map<string, Branch | ConfigKey>
}

function tree(keys: readonly ConfigKey[]): Branch {
  const root: Branch = { properties: new Map() }
  for (const k of keys) {
    let branch = root
    for (const part of k.path.slice(0, -1)) {
      let next = branch.properties.get(part)
      if (next === undefined) branch.properties.set(part, (next = { properties: new Map() }))
      if (!('properties' in next)) throw new Error(`config key ${keyName(k.path)} sits under a value`)
      branch = next
    }
    branch.properties.set(k.path.at(-1)!, k)
  }
  return root
}

function schemaOf(branch: Branch): SchemaNode {
  const properties: Record<string, SchemaNode> = {}
  for (const [name, node] of branch.properties) properties[name] = 'properties' in node ? schemaOf(node) : node.schema
  return { type: 'object', properties, additionalProperties: false }
}

/** The schema a layer must satisfy. */
export function layerSchema(keys: readonly ConfigKey[]): SchemaNode {
  return schemaOf(tree(keys))
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    row = next
  }
  return row[b.length]!
}

/** The closest known name within two edits, for a "did you mean" hint. */
export function nearest(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase())
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name: candidate, distance }
  }
  return best?.name
}

function segments(instancePath: string): string[] {
  return instancePath === '' ? [] : instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

function branchAt(root: Branch, path: readonly string[]): Branch | ConfigKey | undefined {
  let node: Branch | ConfigKey = root
  for (const part of path) {
    if (!('properties' in node)) return node // inside a value (a list item): the value's key answers
    const next: Branch | ConfigKey | undefined = node.properties.get(part)
    if (next === undefined) return undefined
    node = next
  }
  return node
}

function problemOf(root: Branch, error: ErrorObject): SchemaProblem {
  const path = segments(error.instancePath)
  const node = branchAt(root, path)
  if (error.keyword === 'additionalProperties' && node !== undefined && 'properties' in node) {
    const unknown = String((error.params as { additionalProperty: unknown }).additionalProperty)
    const known = [...node.properties.keys()]
    const hint = nearest(unknown, known)
    return { key: keyName([...path, unknown]), why: `unknown key${hint === undefined ? '' : ` (did you mean ${hint}?)`}; known here: ${known.join(', ')}` }
  }
  if (node !== undefined && !('properties' in node)) return { key: keyName(node.path), why: node.why }
  return { key: path.length === 0 ? '(top level)' : keyName(path), why: 'must be a mapping of keys' }
}

export interface LayerValidator {
  /** Problems of one layer, one per key (ajv may report several findings for one value). */
  (value: unknown): SchemaProblem[]
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let node = value
  for (const part of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, part)) return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return node
}

/** Compiles the layer schema once; a key with an `accepts` check is checked too when the schema found nothing wrong with it. */
export function layerValidator(keys: readonly ConfigKey[]): LayerValidator {
  const root = tree(keys)
  const ajv = new Ajv({ allErrors: true, strict: true })
  const validate: ValidateFunction = ajv.compile(schemaOf(root))
  const checked = keys.filter((k) => k.accepts !== undefined)
  return (value) => {
    const problems = new Map<string, SchemaProblem>()
    if (!validate(value)) {
      for (const error of validate.errors ?? []) {
        const problem = problemOf(root, error)
        if (!problems.has(problem.key)) problems.set(problem.key, problem)
      }
    }
    for (const k of checked) {
      const v = valueAt(value, k.path)
      if (v !== undefined && !problems.has(keyName(k.path)) && k.accepts?.(v) !== true) problems.set(keyName(k.path), { key: keyName(k.path), why: k.why })
    }
    return [...problems.values()]
  }
}
